import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckTimeout } from "./check";
import { tlsCheck } from "./tls";
import { tlsCheckSchema } from "./spec";
import { hasOpenssl, listen, selfSignedCert, silentTcpServer } from "./test-servers";

const check = (settings: Record<string, unknown>) => tlsCheck(tlsCheckSchema.parse({ type: "tls", host: "127.0.0.1", ...settings }));
function deadline(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new CheckTimeout(ms)), ms).unref();
  return controller.signal;
}

const openssl = await hasOpenssl();
describe.skipIf(!openssl)("TLS check against a real local server with a certificate expiring in 5 days (skipped: openssl is not installed, and node:crypto cannot make an X.509 certificate)", () => {
  let cert: { key: string; cert: string };
  let server: Awaited<ReturnType<typeof listen>>;
  /** the names clients sent (SNI), seen during the handshake */
  const names: string[] = [];
  beforeAll(async () => {
    cert = await selfSignedCert(5);
    const context = tls.createSecureContext(cert);
    const SNICallback = (name: string, done: (e: Error | null, c: tls.SecureContext) => void) => {
      names.push(name);
      done(null, context);
    };
    const tlsServer = tls.createServer({ ...cert, SNICallback }, (socket) => socket.end());
    server = await listen(tlsServer);
  });
  afterAll(() => server?.close());

  it("completes the handshake with the trusted CA, sends the SNI name and reports days left", async () => {
    names.length = 0;
    const r = await check({ port: server.port, servername: "localhost", ca: cert.cert }).run(deadline(2000));
    expect(r).toMatchObject({ ok: true, details: { tls_authorized: true, servername: "localhost", cert_days_left: 4, tls_protocol: "TLSv1.3" } });
    expect(names).toEqual(["localhost"]);
  });
  it("is down below the minimum days, and warns below the warning days", async () => {
    expect(await check({ port: server.port, ca: cert.cert, cert_min_days: 30 }).run(deadline(2000))).toMatchObject({ ok: false, error: expect.stringContaining("under the 30-day minimum") });
    expect(await check({ port: server.port, ca: cert.cert, cert_warn_days: 30 }).run(deadline(2000))).toMatchObject({ ok: true, warning: expect.stringContaining("expires in 4 days") });
  });
  it("is down when the certificate is not trusted, unless TLS errors are ignored", async () => {
    expect(await check({ port: server.port }).run(deadline(2000))).toMatchObject({ ok: false, error: "TLS certificate is self-signed and not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)" });
    expect(await check({ port: server.port, ignore_tls_errors: true }).run(deadline(2000))).toMatchObject({ ok: true, details: { tls_authorized: false, cert_days_left: 4 } });
  });
  it("is down when the name does not match the certificate", async () => {
    expect(await check({ port: server.port, servername: "other.example", ca: cert.cert }).run(deadline(2000))).toMatchObject({ ok: false, error: expect.stringContaining("ERR_TLS_CERT_ALTNAME_INVALID") });
  });
});

describe("TLS check timeouts", () => {
  it("times out on a server that accepts and never shakes hands, and hangs up", async () => {
    const silent = await silentTcpServer();
    try {
      expect(await check({ port: silent.port }).run(deadline(300))).toMatchObject({ ok: false, error: "timed out after 300 ms" });
      const socket = silent.accepted[0];
      if (!socket.closed) await new Promise((resolve) => socket.once("close", resolve));
    } finally {
      await silent.close();
    }
  });
});
