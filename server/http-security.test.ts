import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, stampRemoteAddress } from "./http-security";

const req = (remote: string, headers: Record<string, string> = {}) => ({ headers, socket: { remoteAddress: remote } }) as unknown as IncomingMessage;

describe("client address", () => {
  it("is the socket's peer, IPv4-mapped addresses unwrapped", () => {
    expect(clientAddress(req("::ffff:10.1.2.3"), false)).toBe("10.1.2.3");
  });
  it("ignores X-Forwarded-For unless the proxy is trusted", () => {
    expect(clientAddress(req("10.0.0.1", { "x-forwarded-for": "203.0.113.5" }), false)).toBe("10.0.0.1");
  });
  it("behind a trusted proxy, takes the entry the proxy appended, not the client's own", () => {
    expect(clientAddress(req("10.0.0.1", { "x-forwarded-for": "1.2.3.4, 203.0.113.5" }), true)).toBe("203.0.113.5");
    expect(clientAddress(req("10.0.0.1", { "x-forwarded-for": "not-an-ip" }), true)).toBe("10.0.0.1");
  });
  it("drops a client-sent copy of the internal header", () => {
    const r = req("10.0.0.9", { "x-vigil-remote-addr": "127.0.0.1" });
    stampRemoteAddress(r, false);
    expect(r.headers["x-vigil-remote-addr"]).toBe("10.0.0.9");
  });
});
