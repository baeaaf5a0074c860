import { once } from "node:events";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckTimeout } from "./check";
import { httpCheck } from "./http";
import { httpCheckSchema } from "./spec";
import { hasOpenssl, httpServer, selfSignedCert, silentTcpServer, type Handler } from "./test-servers";

/** The signal the scheduler gives a run: aborted with CheckTimeout after `ms`. */
function deadline(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new CheckTimeout(ms)), ms).unref();
  return controller.signal;
}
const check = (settings: Record<string, unknown>) => httpCheck(httpCheckSchema.parse({ type: "http", ...settings }));
const runOnce = (settings: Record<string, unknown>, ms = 2000) => check(settings).run(deadline(ms));

const routes: Record<string, Handler> = {
  "/ok": (_q, s) => s.end("service is healthy"),
  "/json": (_q, s) => s.setHeader("content-type", "application/json").end(JSON.stringify({ status: "ok", checks: [{ name: "db", ms: 12 }] })),
  "/500": (_q, s) => s.writeHead(500).end("internal error"),
  "/moved": (_q, s) => s.writeHead(301, { location: "/ok" }).end(),
  "/loop-a": (_q, s) => s.writeHead(302, { location: "/loop-b" }).end(),
  "/loop-b": (_q, s) => s.writeHead(302, { location: "/loop-a" }).end(),
  "/big": (_q, s) => s.end("x".repeat(1024 * 1024) + "NEEDLE"),
  "/gzip": (_q, s) => s.writeHead(200, { "content-encoding": "gzip" }).end(zlib.gzipSync("compressed and healthy")),
  "/see-other": (q, s) => s.writeHead(303, { location: `/method` }).end(),
  "/method": (q, s) => s.end(`method=${q.method}`),
};
let server: Awaited<ReturnType<typeof httpServer>>;
/** requests a test holds open; each settles when the client gives up */
const held: Promise<unknown>[] = [];
let slow = false;
const seenAuth: (string | undefined)[] = [];

beforeAll(async () => {
  server = await httpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (slow) {
      held.push(once(req.socket, "close"));
      return;
    }
    const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (chain) return res.writeHead(302, { location: `/chain/${Number(chain[1]) + 1}` }).end();
    if (url.pathname === "/auth") {
      seenAuth.push(req.headers.authorization);
      return res.writeHead(302, { location: `http://localhost:${server.port}/auth-landing` }).end();
    }
    if (url.pathname === "/auth-landing") {
      seenAuth.push(req.headers.authorization);
      return res.end("landed");
    }
    (routes[url.pathname] ?? ((_q, s) => s.writeHead(404).end()))(req, res);
  });
});
afterAll(() => server.close());

describe("HTTP check against a real local server", () => {
  it("is up on 200 with the keyword, with status and latency", async () => {
    const r = await runOnce({ url: `${server.base}/ok`, keyword: "healthy" });
    expect(r).toMatchObject({ ok: true, status: "up", details: { http_status: 200, redirects: 0 } });
    expect(r.latency_ms).toBeGreaterThan(0);
  });
  it("is down when the keyword is missing, or when a keyword that must be absent is there", async () => {
    expect(await runOnce({ url: `${server.base}/ok`, keyword: "ready" })).toMatchObject({ ok: false, error: 'keyword "ready" not found' });
    expect(await runOnce({ url: `${server.base}/500`, expected_status: ["5xx"], keyword_absent: "error" })).toMatchObject({ ok: false, error: 'keyword "error" found, expected absent' });
  });
  it("is down on a 500, unless 5xx is expected", async () => {
    expect(await runOnce({ url: `${server.base}/500` })).toMatchObject({ ok: false, status: "down", error: "HTTP 500, expected 2xx", details: { http_status: 500 } });
    expect(await runOnce({ url: `${server.base}/500`, expected_status: [200, "500-503"] })).toMatchObject({ ok: true });
  });
  it("matches a JSON query, and says what it found when it fails", async () => {
    expect(await runOnce({ url: `${server.base}/json`, json_query: '$.status == "ok"' })).toMatchObject({ ok: true, details: { json_value: '"ok"' } });
    expect(await runOnce({ url: `${server.base}/json`, json_query: "$.checks[0].ms < 10" })).toMatchObject({ ok: false, error: "JSON query $.checks[0].ms < 10 failed (found 12)" });
    expect(await runOnce({ url: `${server.base}/ok`, json_query: "$.status" })).toMatchObject({ ok: false, error: "body is not JSON" });
  });
  it("follows a redirect, or refuses it and judges the 3xx itself", async () => {
    expect(await runOnce({ url: `${server.base}/moved`, keyword: "healthy" })).toMatchObject({ ok: true, details: { redirects: 1, final_url: `${server.base}/ok` } });
    expect(await runOnce({ url: `${server.base}/moved`, max_redirects: 0 })).toMatchObject({ ok: false, error: "HTTP 301, expected 2xx" });
    expect(await runOnce({ url: `${server.base}/moved`, max_redirects: 0, expected_status: [301] })).toMatchObject({ ok: true });
  });
  it("stops a redirect loop and a chain longer than allowed", async () => {
    expect(await runOnce({ url: `${server.base}/loop-a` })).toMatchObject({ ok: false, error: `redirect loop: ${server.base}/loop-a was already visited` });
    expect(await runOnce({ url: `${server.base}/chain/0`, max_redirects: 3 })).toMatchObject({ ok: false, error: `more than 3 redirects (last to ${server.base}/chain/3)` });
  });
  it("turns a POST into a GET after a 303", async () => {
    expect(await runOnce({ url: `${server.base}/see-other`, method: "POST", body: "x", keyword: "method=GET" })).toMatchObject({ ok: true });
  });
  it("does not hand the Authorization header to another origin", async () => {
    seenAuth.length = 0;
    await runOnce({ url: `${server.base}/auth`, headers: { Authorization: "Bearer secret" } });
    expect(seenAuth).toEqual(["Bearer secret", undefined]);
  });
  it("reads at most max_body_bytes and says so", async () => {
    const r = await runOnce({ url: `${server.base}/big`, keyword: "NEEDLE" });
    expect(r).toMatchObject({ ok: false, error: 'keyword "NEEDLE" not found in the first 65536 bytes', details: { body_bytes: 65536, body_truncated: true } });
    expect(await runOnce({ url: `${server.base}/big`, keyword: "NEEDLE", max_body_bytes: 1024 * 1024 })).toMatchObject({ ok: false, details: { body_truncated: true } });
  });
  it("decodes a gzip body before looking for the keyword", async () => {
    expect(await runOnce({ url: `${server.base}/gzip`, keyword: "compressed and healthy" })).toMatchObject({ ok: true });
  });
  it("times out when the server slows down past the timeout, and hangs up on it", async () => {
    expect(await runOnce({ url: `${server.base}/ok` }, 300)).toMatchObject({ ok: true });
    slow = true;
    try {
      const r = await runOnce({ url: `${server.base}/ok` }, 300);
      expect(r).toEqual({ ok: false, status: "down", latency_ms: null, error: "timed out after 300 ms", details: {} });
      await Promise.all(held);
    } finally {
      slow = false;
    }
  });
  it("times out when the body stops half way, though the headers came", async () => {
    const trickle = await httpServer((_q, s) => {
      s.writeHead(200, { "content-length": "1000" });
      s.write("partial ");
    });
    try {
      expect(await runOnce({ url: `${trickle.base}/`, keyword: "healthy" }, 300)).toMatchObject({ ok: false, error: "timed out after 300 ms" });
    } finally {
      await trickle.close();
    }
  });
  it("times out against a server that accepts and never answers", async () => {
    const silent = await silentTcpServer();
    try {
      const r = await runOnce({ url: `http://127.0.0.1:${silent.port}/` }, 300);
      expect(r).toMatchObject({ ok: false, error: "timed out after 300 ms" });
      expect(silent.accepted).toHaveLength(1);
      if (!silent.accepted[0].destroyed) await once(silent.accepted[0], "close");
    } finally {
      await silent.close();
    }
  });
  it("is down with a clear reason when nothing listens", async () => {
    const gone = await httpServer((_q, s) => s.end());
    await gone.close();
    expect(await runOnce({ url: `${gone.base}/` })).toMatchObject({ ok: false, error: "connection refused (ECONNREFUSED)" });
  });
  it("never shows the URL's password in its details", async () => {
    const r = await runOnce({ url: `http://user:pw@127.0.0.1:${server.port}/ok` });
    expect(r.details.final_url).toBe(`${server.base}/ok`);
  });
});

const openssl = await hasOpenssl();
describe.skipIf(!openssl)("HTTPS check with a self-signed certificate expiring in 5 days (skipped: openssl is not installed, and node:crypto cannot make an X.509 certificate)", () => {
  let tls: { key: string; cert: string };
  let secure: Awaited<ReturnType<typeof httpServer>>;
  beforeAll(async () => {
    tls = await selfSignedCert(5);
    secure = await httpServer((_q, s) => s.end("secure and healthy"), tls);
  });
  afterAll(() => secure?.close());

  it("is down when the certificate is not trusted", async () => {
    expect(await runOnce({ url: `${secure.base}/` })).toMatchObject({ ok: false, error: "TLS certificate is self-signed and not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)" });
  });
  it("trusts a given CA and reports the days left", async () => {
    const r = await runOnce({ url: `${secure.base}/`, ca: tls.cert, keyword: "healthy" });
    expect(r).toMatchObject({ ok: true, details: { http_status: 200, cert_days_left: 4, cert_subject: "localhost" } });
    expect(r.warning).toBeUndefined();
  });
  it("fails under the minimum days and warns under the warning days", async () => {
    expect(await runOnce({ url: `${secure.base}/`, ca: tls.cert, cert_min_days: 7 })).toMatchObject({ ok: false, error: expect.stringMatching(/^TLS certificate expires in 4 days \(.+\), under the 7-day minimum$/) });
    expect(await runOnce({ url: `${secure.base}/`, ca: tls.cert, cert_min_days: 3, cert_warn_days: 14 })).toMatchObject({ ok: true, warning: expect.stringMatching(/^TLS certificate expires in 4 days/) });
  });
  it("still reads the expiry when told to ignore TLS errors", async () => {
    expect(await runOnce({ url: `${secure.base}/`, ignore_tls_errors: true, cert_min_days: 7 })).toMatchObject({ ok: false, details: { cert_days_left: 4 } });
  });
});
