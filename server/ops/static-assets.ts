import fs from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";

/** The content types of what a build puts under .next/static; anything else is left to Next. */
const TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".mjs": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".map": "application/json; charset=UTF-8",
  ".txt": "text/plain; charset=UTF-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
};

type Encoding = "br" | "gzip" | "identity";

interface Asset {
  file: string;
  type: string;
  etag: string;
  /** the copies made at build time (scripts/precompress.mjs) */
  encodings: Encoding[];
}

/**
 * The build's static assets (`/_next/static/…`, content-hashed names), sent before Next sees the
 * request: the brotli or gzip copy made at build time as one buffer, held in memory once read, with
 * a year's immutable cache. Next's handler and the per-request compressor (server/ops/compress.ts)
 * took several event-loop turns per chunk, each waiting behind ingest work, and compressed the same
 * bytes for every browser. Only files found under the directory when the server starts are served
 * (a table, not a path made from the URL); any other URL goes on to Next.
 */
export class StaticAssets {
  private readonly assets = new Map<string, Asset>();
  private readonly bodies = new Map<string, Buffer>();

  constructor(dir: string, urlPrefix = "/_next/static/") {
    const walk = (d: string) => {
      if (!fs.existsSync(d)) return;
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else {
          const type = TYPES[path.extname(entry.name)];
          if (!type) continue;
          const stat = fs.statSync(full);
          const encodings: Encoding[] = [];
          for (const [encoding, ext] of [["br", ".br"], ["gzip", ".gz"]] as const) {
            const copy = fs.statSync(full + ext, { throwIfNoEntry: false });
            if (copy && copy.mtimeMs >= stat.mtimeMs) encodings.push(encoding);
          }
          encodings.push("identity");
          const url = urlPrefix + path.relative(dir, full).split(path.sep).map(encodeURIComponent).join("/");
          this.assets.set(url, { file: full, type, etag: `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`, encodings });
        }
      }
    };
    walk(dir);
  }

  get size(): number {
    return this.assets.size;
  }

  /** Answers the request if it asks for one of the assets (GET or HEAD), and says whether it did. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const asset = this.assets.get((req.url ?? "").split("?")[0]);
    if (!asset) return false;
    const encoding = pickEncoding(String(req.headers["accept-encoding"] ?? ""), asset.encodings);
    res.setHeader("Content-Type", asset.type);
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.setHeader("ETag", asset.etag);
    if (asset.encodings.length > 1) res.setHeader("Vary", "Accept-Encoding");
    // weak: the same validator for each encoding of the file
    if (req.headers["if-none-match"]?.split(",").some((t) => t.trim().replace(/^W\//, "") === asset.etag.slice(2))) {
      res.writeHead(304).end();
      return true;
    }
    let body: Buffer;
    try {
      body = this.body(asset, encoding);
    } catch {
      // removed since the server started (a build over a running server): Next answers
      return false;
    }
    if (encoding !== "identity") res.setHeader("Content-Encoding", encoding);
    res.setHeader("Content-Length", body.length);
    res.writeHead(200);
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  private body(asset: Asset, encoding: Encoding): Buffer {
    const file = encoding === "br" ? `${asset.file}.br` : encoding === "gzip" ? `${asset.file}.gz` : asset.file;
    let body = this.bodies.get(file);
    if (!body) {
      body = fs.readFileSync(file);
      this.bodies.set(file, body);
    }
    return body;
  }
}

/** The best of the copies the client accepts (`br` before `gzip`, a `q=0` refuses), else the file as it is. */
export function pickEncoding(acceptEncoding: string, available: readonly Encoding[]): Encoding {
  const accepted = new Set<string>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [token, ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(token.trim());
  }
  for (const encoding of ["br", "gzip"] as const) if (available.includes(encoding) && (accepted.has(encoding) || accepted.has("*"))) return encoding;
  return "identity";
}
