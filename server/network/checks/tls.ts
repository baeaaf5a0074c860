import tls from "node:tls";
import net from "node:net";
import { certDetails, certFacts, judgeCert } from "./cert";
import { downResult, elapsed, guarded, systemCheckEnv, upResult, type Check, type CheckEnv } from "./check";
import type { TlsCheckSpec } from "./spec";

/**
 * A TLS handshake check: up when the handshake completes with a trusted certificate (unless told
 * to ignore TLS errors) that is not under `cert_min_days`; reports the days left, the protocol and
 * the server name it sent (SNI: `servername`, else the host when it is a name).
 */
export function tlsCheck(spec: TlsCheckSpec, env: CheckEnv = systemCheckEnv): Check {
  const servername = spec.servername ?? (net.isIP(spec.host) ? undefined : spec.host.replace(/\.$/, ""));
  return {
    type: "tls",
    run: (signal) =>
      guarded(signal, () => {
        const start = env.monotonic();
        return new Promise((resolve, reject) => {
          const socket = tls.connect({ host: spec.host, port: spec.port, servername, rejectUnauthorized: !spec.ignore_tls_errors, ca: spec.ca, ALPNProtocols: ["h2", "http/1.1"] });
          const onAbort = () => socket.destroy();
          signal.addEventListener("abort", onAbort, { once: true });
          socket.once("close", () => signal.removeEventListener("abort", onAbort));
          socket.once("secureConnect", () => {
            const latency = elapsed(env, start);
            const facts = certFacts(socket.getPeerCertificate(), env.now());
            const details = {
              tls_protocol: socket.getProtocol() ?? null,
              tls_authorized: socket.authorized,
              servername: servername ?? null,
              ...(facts ? certDetails(facts) : {}),
            };
            socket.destroy();
            if (!facts) return resolve(downResult("the server sent no certificate", latency, details));
            const verdict = judgeCert(facts, spec);
            resolve(verdict.error ? downResult(verdict.error, latency, details) : upResult(latency, details, verdict.warning));
          });
          socket.once("error", (error) => {
            socket.destroy();
            reject(error);
          });
        });
      }),
  };
}
