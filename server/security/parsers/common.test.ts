import { describe, expect, it } from "vitest";
import { capBytes, clip, fingerprintOf, prepareLine, sourceOf } from "./common";

describe("capBytes", () => {
  it("keeps text up to 8 KiB as it is", () => {
    const s = "x".repeat(8192);
    expect(capBytes(s)).toBe(s);
  });

  it("cuts longer text to at most 8 KiB with a marker giving the bytes removed", () => {
    const out = capBytes("x".repeat(10_000));
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(8192);
    const removed = Number(/…\[truncated ([\d,]+) bytes\]$/.exec(out)![1].replace(/,/g, ""));
    const kept = out.slice(0, out.indexOf("…"));
    expect(Buffer.byteLength(kept) + removed).toBe(10_000);
  });

  it("never cuts inside a multi-byte character", () => {
    const out = capBytes("€".repeat(5000));
    expect(out).toMatch(/^€+…\[truncated [\d,]+ bytes\]$/);
  });

  it("never cuts inside a run of digits, which could leave part of a number reading as a card", () => {
    const out = capBytes(`${"x".repeat(8150)} 4111111111111111111111111111111111111111111111111111111111111 tail`);
    expect(out).toMatch(/x…\[truncated [\d,]+ bytes\]$/);
  });
});

describe("clip", () => {
  it("keeps short text and cuts long text with an ellipsis, never half a surrogate pair", () => {
    expect(clip("abc", 3)).toBe("abc");
    expect(clip("abcd", 3)).toBe("ab…");
    expect(clip("a😀b", 3)).toBe("a…");
  });
});

describe("prepareLine", () => {
  it("drops a trailing CR or LF and a leading byte-order mark", () => {
    expect(prepareLine("\uFEFFabc\r\n")).toEqual({ ok: true, line: "abc" });
  });
});

describe("fingerprintOf", () => {
  it("is the format and 32 hex digits of the line's sha256, the same for the same line", () => {
    expect(fingerprintOf("syslog", "abc")).toBe("syslog:ba7816bf8f01cfea414140de5dae2223");
    expect(fingerprintOf("fast", "abc")).toBe("fast:ba7816bf8f01cfea414140de5dae2223");
  });
});

describe("sourceOf", () => {
  it("reads an address as src_ip, a host name as lower-case src_host, and anything else as neither", () => {
    expect(sourceOf("2001:DB8::1")).toEqual({ src_ip: "2001:db8::1", src_host: null });
    expect(sourceOf("Mail.Example.NET")).toEqual({ src_ip: null, src_host: "mail.example.net" });
    expect(sourceOf("<b>")).toEqual({ src_ip: null, src_host: null });
    expect(sourceOf("")).toEqual({ src_ip: null, src_host: null });
  });

  it("reads a scoped IPv6 address (sshd logs link-local peers as fe80::1%eth0) as the address, the zone dropped; a zone on anything else is neither", () => {
    expect(sourceOf("fe80::1%eth0")).toEqual({ src_ip: "fe80::1", src_host: null });
    expect(sourceOf("FE80:0:0:0:0:0:0:1%enp0s31f6")).toEqual({ src_ip: "fe80::1", src_host: null });
    expect(sourceOf("192.0.2.1%eth0")).toEqual({ src_ip: null, src_host: null });
    expect(sourceOf("fe80::1%")).toEqual({ src_ip: null, src_host: null });
    expect(sourceOf("fe80::1%<b>")).toEqual({ src_ip: null, src_host: null });
  });
});
