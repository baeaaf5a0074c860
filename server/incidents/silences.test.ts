import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { matches } from "./silences";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const ana = personOf("analyst", "ana@bank.test");
const nora = personOf("noc", "nora@bank.test");

/** Ten failed logins from `ip` (a brute force) at the test clock's time. */
const burst = (ip: string) => Array.from({ length: 10 }, (_, i) => ({ kind: "auth_failure", src_ip: ip, user: `u-${ip}`, service: "sshd", time: T0 - 30_000 + i }));

describe("silences", () => {
  it("holds back a matching detection: events stored, no incident, the silence counts it; others still open incidents", () => {
    const { core } = testCore();
    const s = core.createSilence({ matcher: { pane: "security", rule: "brute_force", source: "203.0.113.5" }, reason: "pen test until noon", ends_at: T0 + 3_600_000 }, ana);
    expect(s).toMatchObject({ state: "active", hits: 0 });
    core.ingestEvents(burst("203.0.113.5"), "test");
    core.ingestEvents(burst("198.51.100.9"), "test");
    const active = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(active.map((i) => i.entity)).toEqual(["sshd:198.51.100.9"]);
    expect(core.events({ limit: 100 }).total).toBe(20);
    expect(core.silences()[0]).toMatchObject({ hits: 10, last_hit_at: T0 - 30_000 + 9 });
  });

  it("ends on its own at its expiry, and can be ended early; both are audited", () => {
    const { core, clock } = testCore();
    const s = core.createSilence({ matcher: { pane: "security" }, reason: "maintenance of the IDS", ends_at: T0 + 60_000 }, ana);
    if ("error" in s) throw new Error(s.error);
    clock.advance(60_000);
    expect(core.silences()[0].state).toBe("expired");
    core.ingestEvents(burst("203.0.113.5").map((e) => ({ ...e, time: e.time + 60_000 })), "test");
    expect(core.incidentsSnapshot({ status: "active", limit: 10 }).total).toBe(1);
    const t = core.createSilence({ matcher: { pane: "security" }, reason: "again", ends_at: T0 + 3_600_000 }, ana);
    if ("error" in t) throw new Error(t.error);
    expect(core.endSilence(t.id, ana)).toMatchObject({ state: "ended", ended_by: "ana@bank.test" });
    expect(core.endSilence(t.id, ana)).toMatchObject({ status: 404 });
    expect(core.access.audit.list({ limit: 10 }).map((e) => e.action)).toEqual(expect.arrayContaining(["silence_created", "silence_ended"]));
  });

  it("needs the pane's permission (both panes for a silence without one), a reason and an expiry in the future", () => {
    const { core } = testCore();
    expect(core.createSilence({ matcher: { rule: "node_down" }, reason: "noc only", ends_at: T0 + 60_000 }, nora)).toMatchObject({ status: 403 });
    expect(core.createSilence({ matcher: { pane: "network", rule: "node_down" }, reason: "noc only", ends_at: T0 + 60_000 }, nora)).toMatchObject({ state: "active" });
    expect(core.createSilence({ matcher: { pane: "network" }, reason: "x", ends_at: T0 + 60_000 }, ana)).toMatchObject({ status: 403 });
    expect(core.createSilence({ matcher: { pane: "security" }, reason: "past", ends_at: T0 - 1 }, ana)).toMatchObject({ status: 400 });
    expect(core.createSilence({ matcher: { pane: "security" }, reason: "too long", ends_at: T0 + 91 * 86_400_000 }, ana)).toMatchObject({ status: 400 });
  });

  it("holds back node_down of nodes carrying a tag (a site that lost power), not of others", () => {
    const { core } = testCore();
    const admin = personOf("admin", "ada@bank.test");
    expect(core.createNode({ id: "fra1-gw", tags: { site: "fra1" } } as never, admin).ok).toBe(true);
    expect(core.createNode({ id: "ams1-gw", tags: { site: "ams1" } } as never, admin).ok).toBe(true);
    const s = core.createSilence({ matcher: { pane: "network", tag: "site=fra1" }, reason: "fra1 power work", ends_at: T0 + 3_600_000 }, nora);
    expect(s).toMatchObject({ state: "active" });
    const fail = (node: string) => [1, 2, 3, 4].map((k) => ({ node, ok: false, time: T0 - 10_000 + k * 1000 }));
    core.ingestHeartbeats([...fail("fra1-gw"), ...fail("ams1-gw")], "test");
    const open = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents.map((i) => i.entity);
    expect(open).toEqual(["ams1-gw"]);
    expect(core.silences()[0].hits).toBeGreaterThan(0);
  });

  it("matches every field given: rule, pane, exact entity, a source part of the entity, severity at or below", () => {
    const d = { rule: "brute_force", entity: "sshd:203.0.113.5", pane: "security" as const, severity: "high" };
    expect(matches({ rule: "brute_force" }, d)).toBe(true);
    expect(matches({ rule: "port_scan" }, d)).toBe(false);
    expect(matches({ source: "203.0.113.5" }, d)).toBe(true);
    expect(matches({ source: "203.0.113.50" }, d)).toBe(false);
    expect(matches({ entity: "sshd:203.0.113.5", pane: "network" }, d)).toBe(false);
    expect(matches({ severity: "high" }, d)).toBe(true);
    expect(matches({ severity: "medium" }, d)).toBe(false);
    expect(matches({ severity: "critical" }, d)).toBe(true);
    const node = { rule: "node_down", entity: "fra1-gw", pane: "network" as const, severity: "high" };
    expect(matches({ tag: "site=fra1" }, node, () => ({ site: "fra1" }))).toBe(true);
    expect(matches({ tag: "site=fra1" }, node, () => ({ site: "ams1" }))).toBe(false);
    expect(matches({ tag: "site=fra1" }, node)).toBe(false);
  });
});
