// Brotli and gzip copies of the build's static assets, made once at build time (scripts/ensure-build.mjs)
// so the server sends them as they are (server/ops/static-assets.ts) instead of compressing each
// request on the event loop.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/** Files worth compressing: text. Images and fonts are compressed already. */
export const COMPRESSIBLE = /\.(js|mjs|css|json|svg|txt|map|html)$/;
/** Smaller than this goes as it is (server/ops/compress.ts sends such bodies uncompressed too). */
export const MIN_BYTES = 1024;

function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/**
 * Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside each compressible file of `dir`
 * of MIN_BYTES or more, unless a copy at least as new is there. Returns what it wrote.
 */
export function precompressDir(dir) {
  let files = 0;
  let bytes = 0;
  let br = 0;
  for (const file of walk(dir, [])) {
    if (!COMPRESSIBLE.test(file)) continue;
    const stat = fs.statSync(file);
    if (stat.size < MIN_BYTES) continue;
    let raw;
    for (const [ext, encode] of [
      [".br", (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } })],
      [".gz", (b) => zlib.gzipSync(b, { level: 9 })],
    ]) {
      const copy = file + ext;
      if (fs.existsSync(copy) && fs.statSync(copy).mtimeMs >= stat.mtimeMs) continue;
      raw ??= fs.readFileSync(file);
      const out = encode(raw);
      fs.writeFileSync(copy, out);
      if (ext === ".br") br += out.length;
    }
    if (!raw) continue;
    files++;
    bytes += raw.length;
  }
  return { files, bytes, br };
}
