import { describe, expect, it } from "vitest";
import { buildHostPolicy, hostAllowed, originAllowed } from "./origin";

const loopback = buildHostPolicy({ bindHost: "127.0.0.1", port: 3000, tls: false });
const behindProxy = buildHostPolicy({ bindHost: "0.0.0.0", port: 3000, tls: false, publicUrl: "https://vigil.bank.example" });

describe("Host header: which names Vigil answers to (DNS rebinding)", () => {
  it("accepts the loopback names and any IP literal when bound to loopback", () => {
    for (const h of ["localhost:3000", "LOCALHOST:3000", "127.0.0.1:3000", "[::1]:3000", "localhost"]) expect(hostAllowed(loopback, h)).toBe(true);
  });
  it("refuses a name that merely resolves to Vigil (a rebinding page's Host)", () => {
    for (const h of ["attacker.example", "attacker.example:3000", "localhost.attacker.example:3000", "vigil.bank.example"]) expect(hostAllowed(loopback, h)).toBe(false);
  });
  it("refuses malformed Host headers and a missing one", () => {
    for (const h of [undefined, "", "a b", "user@localhost", "localhost/x", "localhost:3000:1", "[::1"]) expect(hostAllowed(loopback, h)).toBe(false);
  });
  it("accepts the public URL's name, and not the loopback names, when bound to every interface", () => {
    expect(hostAllowed(behindProxy, "vigil.bank.example")).toBe(true);
    expect(hostAllowed(behindProxy, "localhost:3000")).toBe(false);
    expect(hostAllowed(behindProxy, "10.0.0.5:3000")).toBe(true);
  });
  it("accepts names listed in VIGIL_ALLOWED_HOSTS", () => {
    const p = buildHostPolicy({ bindHost: "0.0.0.0", port: 3000, tls: false, allowedHosts: ["vigil.internal", "noc.example:8443"] });
    expect(hostAllowed(p, "vigil.internal:3000")).toBe(true);
    expect(hostAllowed(p, "noc.example:8443")).toBe(true);
    expect(originAllowed(p, "http://vigil.internal:3000")).toBe(true);
    expect(originAllowed(p, "http://noc.example:8443")).toBe(true);
  });
});

describe("Origin: scheme, host and port against the configured origins, never the request's Host", () => {
  it("accepts Vigil's own origins", () => {
    expect(originAllowed(loopback, "http://localhost:3000")).toBe(true);
    expect(originAllowed(loopback, "http://127.0.0.1:3000")).toBe(true);
    expect(originAllowed(loopback, "http://[::1]:3000")).toBe(true);
    expect(originAllowed(behindProxy, "https://vigil.bank.example")).toBe(true);
  });
  it("refuses another scheme, port or host, even when the Host header agrees with it", () => {
    expect(originAllowed(loopback, "https://localhost:3000", "localhost:3000")).toBe(false);
    expect(originAllowed(loopback, "http://localhost:3001", "localhost:3001")).toBe(false);
    expect(originAllowed(loopback, "http://attacker.example:3000", "attacker.example:3000")).toBe(false);
    expect(originAllowed(behindProxy, "http://vigil.bank.example")).toBe(false);
    expect(originAllowed(loopback, "null")).toBe(false);
  });
  it("accepts a page loaded from an IP literal only when it is the address the request went to", () => {
    expect(originAllowed(behindProxy, "http://10.0.0.5:3000", "10.0.0.5:3000")).toBe(true);
    expect(originAllowed(behindProxy, "http://6.6.6.6:3000", "10.0.0.5:3000")).toBe(false);
    expect(originAllowed(behindProxy, "https://10.0.0.5:3000", "10.0.0.5:3000")).toBe(false);
  });
  it("lets a request without an Origin through (not a page)", () => {
    expect(originAllowed(loopback, undefined)).toBe(true);
  });
});
