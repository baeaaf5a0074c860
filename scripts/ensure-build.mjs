// Builds the production bundle when there is none, or when the sources changed since it was made.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["app", "components", "lib", "server", "db"];
const FILES = ["next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
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
  if (current) return false;
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
  // node_modules stay external: the bundle resolves them from the project, like the sources do
  const bundle = spawnSync(
    path.join(root, "node_modules", ".bin", "esbuild"),
    ["server/index.ts", "--bundle", "--platform=node", "--format=esm", "--packages=external", "--target=node20", "--log-level=warning", `--outfile=${SERVER_BUNDLE}`],
    { cwd: root, stdio: "inherit" },
  );
  if (bundle.status !== 0) {
    console.error("[vigil] bundling the server failed");
    process.exit(bundle.status ?? 1);
  }
  // the parse worker's script, beside the server bundle (server/security/parse-pool.ts finds it there)
  const worker = spawnSync(
    path.join(root, "node_modules", ".bin", "esbuild"),
    ["server/security/parse-worker.ts", "--bundle", "--platform=node", "--format=esm", "--packages=external", "--target=node20", "--log-level=warning", `--outfile=${PARSE_WORKER_BUNDLE}`],
    { cwd: root, stdio: "inherit" },
  );
  if (worker.status !== 0) {
    console.error("[vigil] bundling the parse worker failed");
    process.exit(worker.status ?? 1);
  }
  // the nodes file's parse worker, beside it too (server/network/config-parse.ts)
  const configWorker = spawnSync(
    path.join(root, "node_modules", ".bin", "esbuild"),
    ["server/network/config-worker.ts", "--bundle", "--platform=node", "--format=esm", "--packages=external", "--target=node20", "--log-level=warning", `--outfile=${CONFIG_WORKER_BUNDLE}`],
    { cwd: root, stdio: "inherit" },
  );
  if (configWorker.status !== 0) {
    console.error("[vigil] bundling the config worker failed");
    process.exit(configWorker.status ?? 1);
  }
  fs.writeFileSync(STAMP, hash);
  return true;
}
