import { describe, expect, it } from "vitest";
import { personOf, testCore } from "./test-support/core";
import { countEvents } from "../db/queries/security";

// an hour before the test clock's now (2026-11-21T12:00Z), inside the retention window
const T0 = Date.UTC(2026, 10, 21, 11, 0, 0);
const failure = (i: number, src = "203.0.113.9") => ({ kind: "auth_failure", src_ip: src, user: "root", time: T0 + i * 1000 });

describe("security ingest", () => {
  it("stores valid items and names each invalid one by index", () => {
    const { core, handle } = testCore();
    const r = core.ingestEvents(
      [{ kind: "ids_alert", signature: "ET x" }, { kind: "bogus" }, { kind: "auth_failure", src_ip: "not-an-ip" }, { kind: "anomaly", severity: "urgent" }],
      "test",
    );
    expect(r.accepted).toBe(1);
    expect(r.rejected.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(r.rejected[0].error).toMatch(/^kind: /);
    expect(r.rejected[1].error).toMatch(/^src_ip: /);
    expect(r.rejected[2].error).toMatch(/^severity: /);
    expect(countEvents(handle.db)).toBe(1);
  });

  it("rejects unknown fields instead of dropping them silently", () => {
    const { core } = testCore();
    expect(core.ingestEvents([{ kind: "anomaly", sourceip: "1.2.3.4" }], "test").rejected[0].error).toMatch(/sourceip/);
  });

  it("stores nothing when the transaction fails part-way", () => {
    const { core, handle } = testCore();
    handle.sqlite.exec(`CREATE TRIGGER fail_on_poison BEFORE INSERT ON security_events WHEN NEW.message = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END;`);
    expect(() => core.ingestEvents([{ kind: "anomaly", message: "fine" }, { kind: "anomaly", message: "poison" }], "test")).toThrow(/poisoned/);
    expect(countEvents(handle.db)).toBe(0);
    expect(core.hub.head("security")).toBe(0);
  });

  it("announces stored events on the security stream after commit, with their ids", () => {
    const { core, drain } = testCore();
    core.ingestEvents([{ kind: "ids_alert", signature: "<script>alert(1)</script>" }], "test");
    const items = drain("security");
    expect(items).toHaveLength(1);
    expect(items[0].event).toMatchObject({ id: 1, signature: "<script>alert(1)</script>", severity: "medium", source: "test" });
  });

  it("counts events into the per-minute rollup by severity", () => {
    const { core } = testCore();
    const t = Date.UTC(2026, 10, 21, 12, 0, 0);
    core.ingestEvents([{ kind: "ids_alert", severity: "high", time: t }, { kind: "ids_alert", severity: "high", time: t + 5000 }, { kind: "anomaly", severity: "low", time: t }], "test");
    expect(core.securitySnapshot().rate).toEqual([
      { minute: t, severity: "high", count: 2 },
      { minute: t, severity: "low", count: 1 },
    ]);
  });

  it("opens one brute-force incident for a burst from one source and grows its count", () => {
    const { core, drain } = testCore();
    core.ingestEvents(Array.from({ length: 12 }, (_, i) => failure(i)), "test");
    core.ingestEvents([failure(13)], "test");
    const { incidents } = core.incidentsSnapshot({ status: "all", limit: 10 });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ rule: "brute_force", entity: "unknown:203.0.113.9", pane: "security", count: 13, status: "open" });
    expect(drain("incidents").map((d) => d.incident.count)).toEqual([12, 13]);
  });
});

describe("network ingest", () => {
  const beat = (ok: boolean, second: number, node = "gw-1") => ({ node, ok, time: T0 + second * 1000, latency_ms: ok ? 12 : undefined });

  it("registers an unknown node on its first heartbeat", () => {
    const { core, drain } = testCore();
    core.ingestHeartbeats([beat(true, 1)], "test");
    expect(core.networkSnapshot().nodes).toMatchObject([{ key: "gw-1", status: "up", last_latency_ms: 12, checks: [{ ok: true, latency_ms: 12 }] }]);
    expect(drain("network").map((d) => d.type)).toEqual(["node", "heartbeat"]);
  });

  it("opens a network incident when a node fails its checks, grows it while down, and resolves it on recovery", () => {
    const { core } = testCore();
    core.registerNodes([{ key: "gw-1", name: "Gateway 1", kind: "gateway", critical: true }]);
    core.ingestHeartbeats([beat(false, 1), beat(false, 2)], "test");
    expect(core.incidentsSnapshot({ status: "all", limit: 10 }).incidents).toHaveLength(0);
    core.ingestHeartbeats([beat(false, 3)], "test");
    core.ingestHeartbeats([beat(false, 4)], "test");
    let [incident] = core.incidentsSnapshot({ status: "all", limit: 10 }).incidents;
    expect(incident).toMatchObject({ rule: "node_down", entity: "gw-1", pane: "network", title: "Gateway 1 is down", severity: "critical", count: 4, status: "open" });
    core.ingestHeartbeats([beat(true, 5)], "test");
    [incident] = core.incidentsSnapshot({ status: "all", limit: 10 }).incidents;
    expect(incident).toMatchObject({ status: "resolved", resolved_by: "vigil" });
    // the timeline says when it went down by the evidence (first failed check) and when that was confirmed
    const timeline = core.incident(incident.id)!.timeline;
    expect(timeline.map((t) => t.action)).toEqual(["opened", "note", "resolved"]);
    expect(timeline[1].note).toMatch(/^down since \S+ \(first failed check\), confirmed at \S+/);
  });

  it("follows the batch's order: a node that recovers and fails again ends with an open incident", () => {
    const { core } = testCore();
    core.ingestHeartbeats([beat(false, 1), beat(false, 2), beat(false, 3), beat(true, 4), beat(false, 5), beat(false, 6), beat(false, 7)], "test");
    const incidents = core.incidentsSnapshot({ status: "all", limit: 10 }).incidents;
    expect(incidents.map((i) => i.status).sort()).toEqual(["open", "resolved"]);
    expect(core.networkSnapshot().nodes[0].status).toBe("down");
  });

  it("stores nothing, incidents included, when a batch fails part-way", () => {
    const { core, handle } = testCore();
    core.registerNodes([{ key: "gw-1", name: "Gateway 1", kind: "gateway" }]);
    handle.sqlite.exec(`CREATE TRIGGER no_incidents BEFORE INSERT ON incidents BEGIN SELECT RAISE(ABORT, 'incident store down'); END;`);
    expect(() => core.ingestHeartbeats([beat(false, 1), beat(false, 2), beat(false, 3)], "test")).toThrow(/incident store down/);
    expect(core.networkSnapshot().nodes[0]).toMatchObject({ status: "pending", checks: [] });
    expect(core.hub.head("network")).toBe(1); // only the registration was announced
  });

  it("takes a node that stops reporting down after three silent sweeps, and brings it back on its next heartbeat", async () => {
    const { core, clock } = testCore();
    core.ingestHeartbeats([{ node: "gw-1", ok: true, latency_ms: 5 }], "test");
    clock.advance(30_000);
    expect((await core.sweepSilentNodes(60_000)).accepted).toBe(0);
    for (let i = 0; i < 3; i++) {
      clock.advance(40_000);
      await core.sweepSilentNodes(60_000);
    }
    const [node] = core.networkSnapshot().nodes;
    expect(node.status).toBe("down");
    expect(node.checks.at(-1)).toMatchObject({ ok: false });
    expect(core.incidentsSnapshot({ status: "active", limit: 5 }).incidents).toMatchObject([{ rule: "node_down", entity: "gw-1" }]);
    clock.advance(40_000);
    expect((await core.sweepSilentNodes(60_000)).accepted).toBe(0); // down already: no more synthetic checks
    core.ingestHeartbeats([{ node: "gw-1", ok: true, latency_ms: 5 }], "test");
    expect(core.incidentsSnapshot({ status: "active", limit: 5 }).incidents).toEqual([]);
  });

  it("leaves alone a registered node that has never reported", async () => {
    const { core, clock } = testCore();
    core.registerNodes([{ key: "new", name: "New", kind: "server" }]);
    clock.advance(3_600_000);
    expect((await core.sweepSilentNodes(60_000)).accepted).toBe(0);
  });

  it("names the bad field of a rejected heartbeat", () => {
    const { core } = testCore();
    const r = core.ingestHeartbeats([{ node: "../etc/passwd", ok: true }, { node: "a", ok: "yes" }, { node: "b", ok: true, latency_ms: -1 }], "test");
    expect(r.accepted).toBe(0);
    expect(r.rejected.map((x) => x.error.split(":")[0])).toEqual(["node", "ok", "latency_ms"]);
  });
});

describe("incident actions through the core", () => {
  it("announces an acknowledgement on the incidents stream", () => {
    const { core, drain } = testCore();
    core.ingestEvents(Array.from({ length: 10 }, (_, i) => failure(i)), "test");
    drain("incidents");
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(core.acknowledgeIncident(incident.id, personOf("analyst", "ana@bank.test")).ok).toBe(true);
    expect(drain("incidents")).toMatchObject([{ incident: { id: incident.id, status: "acknowledged", acknowledged_by: "ana@bank.test" } }]);
  });

  it("refuses an acknowledgement from a role that may not act on the incident's pane, changing nothing", () => {
    const { core, drain } = testCore();
    core.ingestEvents(Array.from({ length: 10 }, (_, i) => failure(i)), "test");
    drain("incidents");
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    for (const role of ["viewer", "noc"] as const) {
      expect(core.acknowledgeIncident(incident.id, personOf(role))).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(drain("incidents")).toEqual([]);
    expect(core.access.audit.list({ limit: 10 })).toEqual([]);
  });

  it("writes each acknowledgement and resolution to the audit log with before and after", () => {
    const { core } = testCore();
    core.ingestEvents(Array.from({ length: 10 }, (_, i) => failure(i)), "test");
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    core.acknowledgeIncident(incident.id, personOf("oncall", "oc@bank.test"), { note: "on it" });
    core.resolveIncident(incident.id, personOf("analyst", "ana@bank.test"));
    const entries = core.access.audit.list({ limit: 10 }).reverse();
    expect(entries.map((e) => [e.action, e.actor, e.before, e.after])).toEqual([
      ["incident_acknowledged", "oc@bank.test", { status: "open", version: 1, assignee: null, severity: "high" }, { status: "acknowledged", version: 2, assignee: null, severity: "high", note: "on it" }],
      ["incident_resolved", "ana@bank.test", { status: "acknowledged", version: 2, assignee: null, severity: "high" }, { status: "resolved", version: 3, assignee: null, severity: "high" }],
    ]);
    expect(core.access.audit.verify()).toEqual({ ok: true, entries: 2 });
  });
});
