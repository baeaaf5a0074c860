import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pickEncoding, StaticAssets } from "./static-assets";
// @ts-expect-error plain ESM helper shared with scripts/ensure-build.mjs
import { precompressDir } from "../../scripts/precompress.mjs";

let dir: string;
let server: http.Server;
let base: string;
const script = `console.log(${JSON.stringify("vigil ".repeat(2000))});\n`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-static-"));
  fs.mkdirSync(path.join(dir, "static", "chunks"), { recursive: true });
  fs.writeFileSync(path.join(dir, "static", "chunks", "a1b2.js"), script);
  fs.writeFileSync(path.join(dir, "static", "chunks", "tiny.js"), "1");
  fs.writeFileSync(path.join(dir, "static", "chunks", "logo.png"), Buffer.alloc(4096, 7));
  fs.writeFileSync(path.join(dir, "secret.txt"), "not an asset ".repeat(200));
  const made = precompressDir(path.join(dir, "static"));
  expect(made.files).toBe(1);
  const assets = new StaticAssets(path.join(dir, "static"));
  // whatever the assets do not answer goes on, as to Next
  server = http.createServer((req, res) => assets.serve(req, res) || res.writeHead(404).end("next"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (fetch would decode the body and hide Content-Encoding). */
function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (b: Buffer) => parts.push(b));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("static assets sent before Next", () => {
  it("precompresses text assets of 1 KB or more at build time, once", () => {
    const chunks = path.join(dir, "static", "chunks");
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(chunks, "a1b2.js.br"))).toString()).toBe(script);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(chunks, "a1b2.js.gz"))).toString()).toBe(script);
    expect(fs.existsSync(path.join(chunks, "tiny.js.br"))).toBe(false);
    expect(fs.existsSync(path.join(chunks, "logo.png.br"))).toBe(false);
    expect(precompressDir(path.join(dir, "static")).files).toBe(0);
  });

  it("sends the brotli copy to a browser that takes it, gzip to one that takes only gzip, the file to the rest, each with a year's immutable cache", async () => {
    const br = await get("/_next/static/chunks/a1b2.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(script.length / 10);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(script);

    const gz = await get("/_next/static/chunks/a1b2.js?dpl=x", { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).toString()).toBe(script);

    const plain = await get("/_next/static/chunks/a1b2.js", { "accept-encoding": "br;q=0, gzip;q=0" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);

    const png = await get("/_next/static/chunks/logo.png", { "accept-encoding": "br" });
    expect(png.headers["content-type"]).toBe("image/png");
    expect(png.headers["content-encoding"]).toBeUndefined();
    expect(png.body.length).toBe(4096);
  });

  it("answers a revalidation with 304 and HEAD without a body", async () => {
    const first = await get("/_next/static/chunks/a1b2.js", { "accept-encoding": "br" });
    const again = await get("/_next/static/chunks/a1b2.js", { "accept-encoding": "br", "if-none-match": String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const head = await get("/_next/static/chunks/a1b2.js", { "accept-encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("serves only files it found under the directory: other paths, escapes and other methods go on to Next", async () => {
    for (const url of ["/_next/static/chunks/nope.js", "/_next/static/../secret.txt", "/_next/static/%2e%2e/secret.txt", "/_next/static/chunks/a1b2.js.br", "/_next/static/chunks//a1b2.js", "/secret.txt"]) {
      const res = await get(url, { "accept-encoding": "br" });
      expect(res.body.toString(), url).toBe("next");
    }
    expect((await get("/_next/static/chunks/a1b2.js", {}, "POST")).body.toString()).toBe("next");
  });

  it("picks the encoding from Accept-Encoding", () => {
    const both = ["br", "gzip", "identity"] as const;
    expect(pickEncoding("gzip, br", both)).toBe("br");
    expect(pickEncoding("GZIP", both)).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip;q=0.5", both)).toBe("gzip");
    expect(pickEncoding("*", both)).toBe("br");
    expect(pickEncoding("", both)).toBe("identity");
    expect(pickEncoding("br", ["identity"])).toBe("identity");
  });
});
