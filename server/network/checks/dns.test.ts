import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckTimeout } from "./check";
import { dnsCheck } from "./dns";
import { dnsCheckSchema } from "./spec";
import { dnsServer, type DnsQuestion } from "./test-servers";

let answer: (q: DnsQuestion, n: number) => string[] | number | "drop" = () => [];
let server: Awaited<ReturnType<typeof dnsServer>>;
beforeAll(async () => {
  server = await dnsServer((q, n) => answer(q, n));
});
afterAll(() => server.close());

const check = (settings: Record<string, unknown>) => dnsCheck(dnsCheckSchema.parse({ type: "dns", name: "api.vigil.test", server: server.server, ...settings }));
const signal = () => new AbortController().signal;

describe("DNS check against a real UDP DNS server", () => {
  it("follows an A answer that changes between queries", async () => {
    answer = (_q, n) => (n % 2 === 0 ? ["10.0.0.1", "10.0.0.9"] : ["10.0.0.2"]);
    server.queries.length = 0;
    const c = check({ expected: ["10.0.0.1"] });
    expect(await c.run(signal())).toMatchObject({ ok: true, details: { answers: ["10.0.0.1", "10.0.0.9"], record_type: "A", server: server.server } });
    expect(await c.run(signal())).toMatchObject({ ok: false, error: "expected 10.0.0.1 among the answers; got 10.0.0.2", details: { answers: ["10.0.0.2"] } });
    expect(await c.run(signal())).toMatchObject({ ok: true });
    expect(server.queries).toEqual([1, 2, 3].map(() => ({ name: "api.vigil.test", type: 1 })));
  });
  it("matches exactly or any of the expected answers when told to", async () => {
    answer = () => ["10.0.0.1", "10.0.0.9"];
    expect(await check({ expected: ["10.0.0.1"], match: "exact" }).run(signal())).toMatchObject({ ok: false, error: "expected exactly 10.0.0.1; got 10.0.0.1, 10.0.0.9" });
    expect(await check({ expected: ["10.0.0.9", "10.0.0.1"], match: "exact" }).run(signal())).toMatchObject({ ok: true });
    expect(await check({ expected: ["10.0.0.7", "10.0.0.9"], match: "any" }).run(signal())).toMatchObject({ ok: true });
    expect(await check({ expected: ["10.0.0.7", "10.0.0.8"], match: "any" }).run(signal())).toMatchObject({ ok: false });
  });
  it("is up on any answer when nothing is expected, down on NXDOMAIN and on no records", async () => {
    answer = () => ["192.0.2.1"];
    expect(await check({}).run(signal())).toMatchObject({ ok: true });
    answer = () => 3;
    expect(await check({}).run(signal())).toMatchObject({ ok: false, error: "the name does not exist (NXDOMAIN) for A api.vigil.test" });
    answer = () => [];
    expect(await check({}).run(signal())).toMatchObject({ ok: false, error: "the name has no records of this type for A api.vigil.test" });
    answer = () => 2;
    expect(await check({}).run(signal())).toMatchObject({ ok: false, error: "the DNS server failed (SERVFAIL) for A api.vigil.test" });
  });
  it("settles with the timeout reason when the server stays silent", async () => {
    answer = () => "drop";
    const controller = new AbortController();
    const asked = once(server.events, "query");
    const run = check({ timeout: "30s" }).run(controller.signal);
    await asked;
    controller.abort(new CheckTimeout(300));
    expect(await run).toEqual({ ok: false, status: "down", latency_ms: null, error: "timed out after 300 ms", details: {} });
  });
  it("takes a resolver as an IP with an optional port, never a name", () => {
    expect(dnsCheckSchema.safeParse({ type: "dns", name: "x.test", server: "[::1]:5353" }).success).toBe(true);
    expect(dnsCheckSchema.safeParse({ type: "dns", name: "x.test", server: "2606:4700::1111" }).success).toBe(true);
    expect(dnsCheckSchema.safeParse({ type: "dns", name: "x.test", server: "dns.google" }).success).toBe(false);
    expect(dnsCheckSchema.safeParse({ type: "dns", name: "x.test", server: "1.1.1.1:99999" }).success).toBe(false);
  });
});
