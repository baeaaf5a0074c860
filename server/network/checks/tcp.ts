import net from "node:net";
import { elapsed, guarded, systemCheckEnv, upResult, type Check, type CheckEnv } from "./check";
import type { TcpCheckSpec } from "./spec";

/** A TCP connect check: up when the handshake completes; the connection is closed at once. */
export function tcpCheck(spec: TcpCheckSpec, env: CheckEnv = systemCheckEnv): Check {
  return {
    type: "tcp",
    run: (signal) =>
      guarded(signal, () => {
        const start = env.monotonic();
        return new Promise((resolve, reject) => {
          const socket = net.connect({ host: spec.host, port: spec.port, signal });
          socket.once("connect", () => {
            const latency = elapsed(env, start);
            const details = { remote_address: socket.remoteAddress ?? null };
            socket.destroy();
            resolve(upResult(latency, details));
          });
          socket.once("error", (error) => {
            socket.destroy();
            reject(error);
          });
        });
      }),
  };
}
