import { describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { countEvents } from "../../db/queries/security";
import { MAX_REJECTIONS_LISTED } from "./validate";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0); // testCore's clock

describe("bounded answers: the rejection list is capped, its count is true", () => {
  it("lists the first rejections and counts all 50,000", () => {
    const { core } = testCore();
    const r = core.ingestEvents(Array.from({ length: 50_000 }, () => ({})), "test");
    expect(r.accepted).toBe(0);
    expect(r.rejected).toHaveLength(MAX_REJECTIONS_LISTED);
    expect(r.rejected_total).toBe(50_000);
    expect(r.rejected.map((x) => x.index)).toEqual(Array.from({ length: MAX_REJECTIONS_LISTED }, (_, i) => i));
  });

  it("counts malformed lines and invalid items together, in index order", () => {
    const { core } = testCore();
    const r = core.ingestEvents([undefined, { kind: "anomaly" }, { kind: "nope" }], "test", [{ index: 0, error: "line 1 is not valid JSON" }]);
    expect(r).toMatchObject({ accepted: 1, rejected_total: 2 });
    expect(r.rejected.map((x) => x.index)).toEqual([0, 2]);
  });
});

describe("strict times: only real instants inside [now - retention, now + skew] are stored", () => {
  it.each([
    ["far future", "2099-01-01T00:00:00Z", /ahead of the server's clock/],
    ["largest date", 8.64e15, /ahead/],
    ["2^53 - 1", 2 ** 53 - 1, /beyond/],
    ["negative year", "-000001-01-01T00:00:00Z", /not ISO-8601/],
    ["free text", "hello 1", /not ISO-8601/],
    ["zero as text", "0", /older than the retention/],
    ["30 February", "2026-02-30T00:00:00Z", /not a calendar date/],
    ["older than retention", "2026-11-01T00:00:00Z", /older than the retention/],
    ["no offset", "2026-11-21T11:00:00", /no UTC offset/],
  ])("rejects %s with a reason and stores nothing", (_name, time, reason) => {
    const { core, handle } = testCore();
    const r = core.ingestEvents([{ kind: "anomaly", time }], "test");
    expect(r.accepted).toBe(0);
    expect(r.rejected[0].error).toMatch(reason);
    expect(r.rejected[0].error).toMatch(/^time: /);
    expect(countEvents(handle.db)).toBe(0);
  });

  it("stores epoch seconds, epoch milliseconds and offsets as the same instant", () => {
    const { core, drain } = testCore();
    const t = NOW - 60_000;
    core.ingestEvents([{ kind: "anomaly", time: t }, { kind: "anomaly", time: t / 1000 }, { kind: "anomaly", time: "2026-11-21T12:59:00+01:00" }], "test");
    expect(drain("security").map((d) => d.event.time)).toEqual([t, t, t]);
  });

  it("rejects a heartbeat from the future too", () => {
    const { core } = testCore();
    const r = core.ingestHeartbeats([{ node: "gw", ok: true, time: NOW + 3_600_000 }], "test");
    expect(r).toMatchObject({ accepted: 0, rejected_total: 1 });
  });
});

describe("one canonical form per source and per node", () => {
  it("counts respelled IPv6 and IPv4-mapped addresses as one brute-force source", () => {
    const { core, drain } = testCore();
    const spellings = ["2001:db8::1", "2001:0db8:0:0:0:0:0:1", "2001:DB8::0:1", "[2001:db8::1]", "2001:db8:0::1"];
    const mapped = ["203.0.113.5", "::ffff:203.0.113.5", "::FFFF:cb00:7105", "0:0:0:0:0:ffff:203.0.113.5", "203.0.113.5"];
    const items = [...spellings, ...spellings, ...mapped, ...mapped].map((src_ip, i) => ({ kind: "auth_failure", src_ip, user: "root", time: NOW - 30_000 + i }));
    core.ingestEvents(items, "test");
    expect(new Set(drain("security").map((d) => d.event.src_ip))).toEqual(new Set(["2001:db8::1", "203.0.113.5"]));
    const incidents = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    // brute force is keyed by service and source; these JSON items name no service
    expect(incidents.map((i) => i.entity).sort()).toEqual(["unknown:2001:db8::1", "unknown:203.0.113.5"]);
  });

  it("treats node keys case-insensitively: Auth-1 and auth-1 are one node", () => {
    const { core } = testCore();
    core.ingestHeartbeats([{ node: "Auth-1", ok: true }, { node: "auth-1", ok: true }, { node: "AUTH-1", ok: false }], "test");
    const nodes = core.networkSnapshot().nodes;
    expect(nodes.map((n) => n.key)).toEqual(["auth-1"]);
    expect(nodes[0].checks).toHaveLength(3);
  });
});

describe("floods: heartbeats cannot create unlimited nodes", () => {
  it("refuses a heartbeat for a new node past the cap with a reason, and still takes known nodes", () => {
    const { core } = testCore({ maxNodes: 3 });
    const r = core.ingestHeartbeats(["a", "b", "c", "d", "e", "a"].map((node) => ({ node, ok: true })), "test");
    expect(r.accepted).toBe(4);
    expect(r.rejected_total).toBe(2);
    expect(r.rejected.map((x) => x.index)).toEqual([3, 4]);
    expect(r.rejected[0].error).toMatch(/node limit \(VIGIL_MAX_NODES=3\)/);
    expect(core.nodesPage({ limit: 10 }).total).toBe(3);
  });

  it("pages the node list with a cursor and a true total", () => {
    const { core } = testCore();
    core.ingestHeartbeats(Array.from({ length: 25 }, (_, i) => ({ node: `n-${i}`, ok: true })), "test");
    const seen: string[] = [];
    let after: number | undefined;
    for (;;) {
      const page = core.nodesPage({ limit: 10, after });
      expect(page.total).toBe(25);
      seen.push(...page.nodes.map((n) => n.key));
      if (page.next_after === null) break;
      after = page.next_after;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `n-${i}`));
  });

  it("sweeps silent nodes in slices and takes every one of them down", async () => {
    const { core, clock } = testCore();
    core.ingestHeartbeats(Array.from({ length: 450 }, (_, i) => ({ node: `n-${i}`, ok: true })), "test");
    for (let i = 0; i < 3; i++) {
      clock.advance(61_000);
      expect((await core.sweepSilentNodes(60_000)).accepted).toBe(450);
    }
    expect(core.networkSnapshot().nodes.every((n) => n.status === "down")).toBe(true);
  });
});

describe("structured fields are bounded", () => {
  it("rejects attributes nested past 8 levels (even a million) by index, storing its neighbours", () => {
    const { core, handle } = testCore();
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 1_000_000; i++) deep = { a: deep };
    const r = core.ingestEvents([{ kind: "anomaly", attributes: deep }, { kind: "anomaly", attributes: { a: { b: 1 } } }], "test");
    expect(r.accepted).toBe(1);
    expect(r.rejected[0]).toMatchObject({ index: 0, error: expect.stringMatching(/attributes: nested deeper than 8 levels/) });
    expect(countEvents(handle.db)).toBe(1);
  });

  it("rejects attributes over 16 KiB", () => {
    const { core } = testCore();
    const r = core.ingestEvents([{ kind: "anomaly", attributes: { blob: "x".repeat(20_000) } }], "test");
    expect(r.rejected[0].error).toMatch(/larger than 16 KiB/);
  });
});
