import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPRESS_THRESHOLD, responseCompressor } from "./compress";

const big = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `node-${i}`, status: "up" })) });
const small = JSON.stringify({ ok: true });
let server: http.Server;
let base: string;

beforeAll(async () => {
  const compress = responseCompressor();
  server = http.createServer((req, res) =>
    compress(req, res, () => {
      const body = req.url === "/small" ? small : big;
      // headers set, not written: the body's length is known when the middleware decides
      res.setHeader("content-type", req.url === "/png" ? "image/png" : "application/json");
      res.end(body);
    }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A raw GET (node's http does not decode), its headers and body bytes. */
function get(path: string, acceptEncoding?: string): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(`${base}${path}`, { headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

describe("response compression", () => {
  it("sends JSON as brotli to a client that accepts it, smaller and intact", async () => {
    const r = await get("/big", "gzip, deflate, br");
    expect(r.headers["content-encoding"]).toBe("br");
    expect(r.headers.vary).toMatch(/accept-encoding/i);
    expect(r.body.length).toBeLessThan(big.length / 4);
    expect(zlib.brotliDecompressSync(r.body).toString()).toBe(big);
  });
  it("falls back to gzip for a client without brotli", async () => {
    const r = await get("/big", "gzip");
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(r.body).toString()).toBe(big);
  });
  it("sends the body as it is to a client that accepts no encoding", async () => {
    const r = await get("/big");
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(r.body.toString()).toBe(big);
  });
  it(`leaves bodies under ${COMPRESS_THRESHOLD} bytes and images uncompressed`, async () => {
    expect(small.length).toBeLessThan(COMPRESS_THRESHOLD);
    expect((await get("/small", "br, gzip")).headers["content-encoding"]).toBeUndefined();
    expect((await get("/png", "br, gzip")).headers["content-encoding"]).toBeUndefined();
  });
});
