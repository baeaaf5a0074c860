import { describe, expect, it } from "vitest";
import { createCheck } from "./index";
import { checkSpecSchema, parseResolverAddress } from "./spec";

describe("check settings", () => {
  it("read the issue's examples: durations to milliseconds, defaults filled in", () => {
    const tcp = checkSpecSchema.parse({ type: "tcp", host: "10.0.0.1", port: 179, interval: "30s", timeout: "5s" });
    expect(tcp).toEqual({ type: "tcp", host: "10.0.0.1", port: 179, interval_ms: 30_000, timeout_ms: 5000, failures_before_down: 3, successes_before_up: 2 });
    const http = checkSpecSchema.parse({ type: "http", url: "https://api.example/health", interval: "30s", timeout: "5s", failures_before_down: 3, successes_before_up: 2, latency_threshold_ms: 300 });
    expect(http).toMatchObject({ type: "http", method: "GET", expected_status: [{ from: 200, to: 299 }], max_redirects: 10, max_body_bytes: 65536, latency_threshold_ms: 300, interval_ms: 30_000 });
  });
  it("fill every type's defaults and make a runner for all but push", () => {
    const specs = [
      { type: "http", url: "http://x.test/" },
      { type: "tcp", host: "x.test", port: 22 },
      { type: "dns", name: "x.test" },
      { type: "tls", host: "x.test" },
      { type: "icmp", host: "x.test" },
      { type: "push", token: "a".repeat(32) },
    ].map((s) => checkSpecSchema.parse(s));
    expect(specs.map((s) => [s.type, s.interval_ms, s.timeout_ms])).toEqual(["http", "tcp", "dns", "tls", "icmp", "push"].map((t) => [t, 60_000, 10_000]));
    expect(specs.map((s) => createCheck(s)?.type ?? null)).toEqual(["http", "tcp", "dns", "tls", "icmp", null]);
    expect(specs[5]).toMatchObject({ grace_ms: 10_000 });
  });
  it("refuse what would be guessed or unsafe, naming the field", () => {
    const issues = (s: unknown) => checkSpecSchema.safeParse(s).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ type: "http", url: "file:///etc/passwd" })[0]).toMatch(/^url: expected an http/);
    expect(issues({ type: "http", url: "http://x.test", interval: "30" })[0]).toMatch(/^interval: invalid duration "30": a unit is needed/);
    expect(issues({ type: "http", url: "http://x.test", expected_status: ["2xy"] })[0]).toMatch(/^expected_status.0: expected a status/);
    expect(issues({ type: "http", url: "http://x.test", json_query: "status == 1" })[0]).toMatch(/^json_query: invalid JSON query/);
    expect(issues({ type: "http", url: "http://x.test", headers: { "x-a": "1\r\nInjected: 1" } })[0]).toMatch(/^headers.x-a: no line breaks/);
    expect(issues({ type: "tcp", host: "x.test", port: 22, colour: "red" })[0]).toMatch(/Unrecognized key/);
    expect(issues({ type: "smtp", host: "x.test" })[0]).toMatch(/^type: /);
    expect(issues({ type: "push", token: "short" })[0]).toMatch(/^token: /);
  });
  it("address resolvers by IP, with a port or not", () => {
    expect(parseResolverAddress("1.1.1.1")).toEqual({ host: "1.1.1.1", port: 53 });
    expect(parseResolverAddress("127.0.0.1:5353")).toEqual({ host: "127.0.0.1", port: 5353 });
    expect(parseResolverAddress("[2606:4700::1111]:53")).toEqual({ host: "2606:4700::1111", port: 53 });
    expect(parseResolverAddress("dns.google")).toBeNull();
  });
});
