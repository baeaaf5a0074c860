import { BlockList, isIP } from "node:net";
import type { IncomingMessage } from "node:http";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** 127.0.0.0/8 and ::1, in any spelling (`0:0:0:0:0:0:0:1`, `::ffff:127.0.0.1`, `[::1]`). */
export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const a = address.trim().replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a)?.[1];
  const v4 = mapped ?? a;
  if (isIP(v4) === 4) return LOOPBACK.check(v4, "ipv4");
  return isIP(a) === 6 && LOOPBACK.check(a, "ipv6");
}

/** Set by the custom server on a direct loopback connection; any copy sent by a client is dropped. */
export const LOOPBACK_HEADER = "x-vigil-loopback";
const PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"];

/**
 * Marks a request that is a direct connection from this machine: its TCP peer is loopback and it
 * carries no proxy header. A proxy on the same machine would otherwise make every outside caller
 * look local (behind one, use a key with the `metrics` scope). Runs in the custom server before
 * Next, which adds X-Forwarded-* headers of its own.
 */
export function stampLoopback(req: Pick<IncomingMessage, "headers" | "socket">): void {
  delete req.headers[LOOPBACK_HEADER];
  if (PROXY_HEADERS.some((h) => req.headers[h] !== undefined)) return;
  if (isLoopbackAddress(req.socket.remoteAddress)) req.headers[LOOPBACK_HEADER] = "1";
}

/** Whether the custom server marked this request as a direct loopback connection. */
export function fromLoopback(req: Request): boolean {
  return req.headers.get(LOOPBACK_HEADER) === "1";
}
