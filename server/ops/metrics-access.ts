import { BlockList, isIP } from "node:net";
import { REMOTE_ADDR_HEADER } from "../auth/better-auth";

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

/**
 * A direct connection from this machine: the address the custom server stamped (the socket's
 * peer, or with VIGIL_TRUST_PROXY the proxy-reported client) is loopback, and the request did
 * not come through a proxy at all. A proxy on the same machine would otherwise make every
 * outside caller look local; behind one, use a key with the `metrics` scope.
 */
export function fromLoopback(req: Request): boolean {
  if (req.headers.has("x-forwarded-for") || req.headers.has("forwarded") || req.headers.has("x-real-ip")) return false;
  return isLoopbackAddress(req.headers.get(REMOTE_ADDR_HEADER));
}
