// Builds the production bundle when there is none, or when the sources changed since it was made.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { precompressDir } from "./precompress.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["app", "components", "lib", "server", "db"];
const FILES = ["next.config.mjs", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const STAMP = path.join(root, ".next", "vigil-source-hash");
/** The custom server, bundled to plain JavaScript: no TypeScript loader thread in production. */
export const SERVER_BUNDLE = path.join(root, ".next", "vigil", "server.mjs");
/** The parse worker (server/security/parse-worker.ts), bundled beside the server. */
export const PARSE_WORKER_BUNDLE = path.join(root, ".next", "vigil", "parse-worker.mjs");
/** The nodes file's parse worker (server/network/config-worker.ts), bundled beside the server. */
export const CONFIG_WORKER_BUNDLE = path.join(root, ".next", "vigil", "config-worker.mjs");

/**
 * Node flags for the server. A heap cap well above the working set (about 100 MB at 5,000
 * events/s) makes V8 collect before it grows: RSS stays near 210 MB instead of creeping past 250.
 */
export function serverNodeArgs(env = process.env) {
  const heap = Number(env.VIGIL_MAX_HEAP_MB || 256);
  if (!Number.isInteger(heap) || heap < 64) throw new Error(`VIGIL_MAX_HEAP_MB=${env.VIGIL_MAX_HEAP_MB}: use a whole number of megabytes, at least 64`);
  return [`--max-old-space-size=${heap}`];
}

function walk(dir, out) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
}

/** A hash of every file the bundle is made from. */
export function sourceHash() {
  const files = [];
  for (const d of SOURCES) walk(path.join(root, d), files);
  for (const f of FILES) if (fs.existsSync(path.join(root, f))) files.push(path.join(root, f));
  const hash = createHash("sha256");
  for (const f of files) hash.update(path.relative(root, f)).update("\0").update(fs.readFileSync(f)).update("\0");
  return hash.digest("hex");
}

export function ensureBuild({ quiet = false } = {}) {
  const hash = sourceHash();
  const current =
    fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(SERVER_BUNDLE) && fs.existsSync(PARSE_WORKER_BUNDLE) && fs.existsSync(CONFIG_WORKER_BUNDLE) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === hash;
  // brotli and gzip copies of the static assets, sent as they are (server/ops/static-assets.ts);
  // a build made before they were is given them here
  if (current) {
    precompressDir(path.join(root, ".next", "static"));
    return false;
  }
  if (!quiet) console.log("[vigil] building the production bundle (sources changed or no build yet)…");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (result.status !== 0) {
    console.error("[vigil] next build failed");
    process.exit(result.status ?? 1);
  }
  // node_modules stay external: each bundle resolves them from the project, like the sources do.
  // The workers' scripts go beside the server bundle, where server/security/parse-pool.ts and
  // server/network/config-parse.ts find them.
  for (const [entry, outfile, what] of [
    ["server/index.ts", SERVER_BUNDLE, "the server"],
    ["server/security/parse-worker.ts", PARSE_WORKER_BUNDLE, "the parse worker"],
    ["server/network/config-worker.ts", CONFIG_WORKER_BUNDLE, "the config worker"],
  ]) {
    const bundle = spawnSync(
      path.join(root, "node_modules", ".bin", "esbuild"),
      [entry, "--bundle", "--platform=node", "--format=esm", "--packages=external", "--target=node20", "--log-level=warning", `--outfile=${outfile}`],
      { cwd: root, stdio: "inherit" },
    );
    if (bundle.status !== 0) {
      console.error(`[vigil] bundling ${what} failed`);
      process.exit(bundle.status ?? 1);
    }
  }
  // brotli and gzip copies of the static assets, sent as they are (server/ops/static-assets.ts)
  precompressDir(path.join(root, ".next", "static"));
  fs.writeFileSync(STAMP, hash);
  return true;
}
