import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { getTimeline } from "../../db/queries/incidents";
import type { Detection } from "./service";
import { IncidentService } from "./service";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const detection = (entity: string, over: Partial<Detection> = {}): Detection => ({
  rule: "brute_force",
  entity,
  pane: "security",
  title: `Brute-force logins from ${entity}`,
  severity: "high",
  time: T0 - 60_000,
  increment: 10,
  ...over,
});

function setup(options: Parameters<typeof testCore>[0] = {}) {
  const t = testCore(options);
  const service = new IncidentService(t.handle.db, t.clock);
  const bulk = (...args: Parameters<typeof t.core.bulkIncidents>) => {
    const r = t.core.bulkIncidents(...args);
    if ("forbidden" in r) throw new Error(r.forbidden);
    return r;
  };
  return { ...t, service, core: { ...t.core, bulkIncidents: bulk } };
}

function setupForbidden(who: ReturnType<typeof personOf>) {
  return testCore().core.bulkIncidents({ action: "acknowledge", filter: { status: "active", pane: "network" } }, who);
}

describe("incident lifecycle through the core", () => {
  const ana = personOf("analyst", "ana@bank.test");
  const bob = personOf("analyst", "bob@bank.test");
  const noc = personOf("noc", "nora@bank.test");

  it("repeating your own acknowledgement is a harmless success, another person's is a conflict naming who and when", () => {
    const { core, service } = setup();
    const i = service.record(detection("203.0.113.1"))!;
    expect(core.acknowledgeIncident(i.id, ana)).toMatchObject({ ok: true, changed: true });
    const again = core.acknowledgeIncident(i.id, ana);
    expect(again).toMatchObject({ ok: true, changed: false, incident: { version: 2 } });
    const other = core.acknowledgeIncident(i.id, bob);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.message).toMatch(/acknowledged by ana@bank\.test at 2026-11-21T12:00:00\.000Z/);
  });

  it("assigns, notes, changes severity and resolves with a reason, each on the timeline with who and when", () => {
    const { core, service, handle, clock } = setup();
    const i = service.record(detection("203.0.113.2"))!;
    expect(core.changeIncident(i.id, { action: "assign", assignee: "ana@bank.test" }, bob)).toMatchObject({ ok: true, incident: { assignee: "ana@bank.test" } });
    clock.advance(1000);
    expect(core.changeIncident(i.id, { action: "note" }, ana, { note: "blocked <b>at</b> edge" }).ok).toBe(true);
    expect(core.changeIncident(i.id, { action: "severity", severity: "critical" }, ana)).toMatchObject({ ok: true, incident: { severity: "critical" } });
    const resolved = core.resolveIncident(i.id, ana, { reason: "false_positive", note: "pen test" });
    expect(resolved).toMatchObject({ ok: true, incident: { status: "resolved", resolution: "false_positive", resolved_by: "ana@bank.test" } });
    const timeline = getTimeline(handle.db, i.id).map((e) => [e.action, e.actor, e.note]);
    expect(timeline).toEqual([
      ["opened", "vigil", "Brute-force logins from 203.0.113.2"],
      ["assigned", "bob@bank.test", "assigned to ana@bank.test"],
      ["note", "ana@bank.test", "blocked <b>at</b> edge"],
      ["severity", "ana@bank.test", "severity raised from high to critical"],
      ["resolved", "ana@bank.test", "false positive: pen test"],
    ]);
    // every change is audited
    const audit = handle.sqlite.prepare(`SELECT action FROM audit_log ORDER BY id`).all() as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(["incident_assigned", "incident_note", "incident_severity", "incident_resolved"]);
  });

  it("a note needs text; a snooze must end in the future", () => {
    const { core, service } = setup();
    const i = service.record(detection("203.0.113.3"))!;
    expect(core.changeIncident(i.id, { action: "note" }, ana, { note: "  " })).toMatchObject({ ok: false, code: "invalid" });
    expect(core.changeIncident(i.id, { action: "snooze", until: T0 - 1 }, ana)).toMatchObject({ ok: false, code: "invalid" });
  });

  it("a snooze holds the incident until its time, then the timer sweep opens it again with a timeline entry", () => {
    const { core, service, clock, handle } = setup();
    const i = service.record(detection("203.0.113.4"))!;
    const snoozed = core.changeIncident(i.id, { action: "snooze", until: T0 + 3_600_000 }, ana);
    expect(snoozed).toMatchObject({ ok: true, incident: { status: "acknowledged", snoozed_until: T0 + 3_600_000 } });
    clock.advance(3_599_999);
    expect(core.sweepIncidentTimers()).toEqual([]);
    clock.advance(1);
    const [back] = core.sweepIncidentTimers();
    expect(back).toMatchObject({ id: i.id, status: "open", snoozed_until: null, acknowledged_by: null });
    expect(getTimeline(handle.db, i.id).at(-1)).toMatchObject({ action: "reopened", actor: "vigil", from_status: "acknowledged", to_status: "open" });
  });

  it("an acknowledgement nobody resolves within the severity's timeout returns the incident to open; other severities stay", () => {
    const { core, service, clock } = setup({ ackTimeoutMs: { high: 30 * 60_000 } });
    const high = service.record(detection("203.0.113.5"))!;
    const low = service.record(detection("203.0.113.6", { severity: "low" }))!;
    core.acknowledgeIncident(high.id, ana);
    core.acknowledgeIncident(low.id, ana);
    clock.advance(30 * 60_000);
    expect(core.sweepIncidentTimers().map((x) => x.id)).toEqual([high.id]);
    expect(core.incident(low.id)?.incident.status).toBe("acknowledged");
  });

  it("reopens a resolved incident, unless a newer incident of the same problem is active", () => {
    const { core, service } = setup();
    const first = service.record(detection("203.0.113.7"))!;
    core.resolveIncident(first.id, ana);
    expect(core.changeIncident(first.id, { action: "reopen" }, ana)).toMatchObject({ ok: true, incident: { status: "open", resolution: null } });
    core.resolveIncident(first.id, ana);
    const second = service.record(detection("203.0.113.7"))!;
    // the new incident links the one resolved before it
    expect(core.incident(second.id)?.incident.previous_id).toBe(first.id);
    const r = core.changeIncident(first.id, { action: "reopen" }, ana);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(`incident ${second.id} is already active`);
  });

  it("a stale version is a conflict that names the current holder", () => {
    const { core, service } = setup();
    const i = service.record(detection("203.0.113.8"))!;
    core.changeIncident(i.id, { action: "assign", assignee: "bob@bank.test" }, bob);
    const r = core.acknowledgeIncident(i.id, ana, { version: 1 });
    expect(r).toMatchObject({ ok: false, code: "conflict" });
    if (!r.ok) expect(r.message).toContain("version 1, now 2");
  });

  it("bulk-acknowledges every incident a filter matches in one transaction with a true count, and reports each failure with its reason", () => {
    const { core, service, drain } = setup();
    const ids = Array.from({ length: 300 }, (_, k) => service.record(detection(`198.51.100.${k % 250}`, { rule: k < 250 ? "brute_force" : "password_spraying" }))!.id);
    const network = service.record({ rule: "node_down", entity: "edge-1", pane: "network", title: "edge-1 down", severity: "critical", time: T0, increment: 1 })!;
    core.acknowledgeIncident(ids[0], bob);
    drain("incidents");
    const r = core.bulkIncidents({ action: "acknowledge", filter: { status: "active", rule: "brute_force" } }, ana);
    expect(r.matched).toBe(250);
    expect(r.succeeded).toBe(249);
    expect(r.failed).toEqual([{ id: ids[0], reason: expect.stringContaining("already acknowledged by bob@bank.test") }]);
    // live: every changed incident is announced
    expect(drain("incidents").length).toBe(249);
    // an analyst may not act on network incidents: named per incident, the rest still succeed
    const mixed = core.bulkIncidents({ action: "snooze", ids: [ids[260], network.id, 999_999], until: T0 + 60_000 }, ana);
    expect(mixed).toEqual({
      matched: 3,
      succeeded: 1,
      failed: [
        { id: network.id, reason: expect.stringContaining("may not act on network incidents") },
        { id: 999_999, reason: "incident 999999 not found" },
      ],
    });
    // a filter naming a pane the caller may not act on is refused outright
    expect(setupForbidden(ana)).toEqual({ forbidden: expect.stringContaining("may not act on network incidents") });
    // the NOC may
    expect(core.bulkIncidents({ action: "assign", ids: [network.id], assignee: "nora@bank.test" }, noc)).toMatchObject({ matched: 1, succeeded: 1, failed: [] });
  });

  it("bulk by filter narrows by severity, assignee and free text (text is matched literally)", () => {
    const { core, service } = setup();
    service.record(detection("10.0.0.1", { severity: "critical" }))!;
    const b = service.record(detection("10.0.0.2"))!;
    service.record(detection("host_%", { title: "Brute-force logins from host_%" }))!;
    core.changeIncident(b.id, { action: "assign", assignee: "ana@bank.test" }, ana);
    expect(core.bulkIncidents({ action: "acknowledge", filter: { status: "open", severity: ["critical"] } }, ana).matched).toBe(1);
    expect(core.bulkIncidents({ action: "resolve", filter: { status: "active", assignee: "ana@bank.test" } }, ana)).toMatchObject({ matched: 1, succeeded: 1 });
    expect(core.bulkIncidents({ action: "resolve", filter: { status: "active", q: "_%" } }, ana).matched).toBe(1);
    expect(core.incidentsSnapshot({ status: "all", limit: 10, assignee: "none" }).total).toBe(2);
  });

  it("bulk by a filter with free text acts on exactly the incidents the list shows for it, case folded beyond ASCII", () => {
    const { core, service } = setup();
    service.record(detection("gw-ÄRGER-1", { title: "Ärger über Straße at ÉCOLE" }))!;
    service.record(detection("gw-ärger-2", { title: "ärger again" }))!;
    service.record(detection("10.0.0.9", { title: "Brute-force logins from 10.0.0.9" }))!;
    for (const q of ["ärger", "Ä", "ÉCOLE école", "é", "straße"]) {
      const listed = core.incidentsSnapshot({ status: "open", q, limit: 50 });
      expect(listed.total, q).toBeGreaterThan(0);
      const r = core.bulkIncidents({ action: "assign", filter: { status: "open", q }, assignee: "ana@bank.test" }, ana);
      expect({ q, matched: r.matched }).toEqual({ q, matched: listed.total });
    }
  });

  it("response figures: time to acknowledge and resolve from opening, by severity and week", () => {
    const { core, service, clock } = setup();
    const a = service.record(detection("192.0.2.1"))!;
    const b = service.record(detection("192.0.2.2", { severity: "critical" }))!;
    clock.advance(5 * 60_000);
    core.acknowledgeIncident(a.id, ana);
    clock.advance(5 * 60_000);
    core.acknowledgeIncident(b.id, ana);
    core.resolveIncident(a.id, ana);
    const stats = core.incidentStats({ since: T0 - 1, until: T0 + 86_400_000 });
    expect(stats.by_severity.high).toMatchObject({ opened: 1, acknowledged: 1, resolved: 1, mtta_ms: 300_000, mttr_ms: 600_000 });
    expect(stats.by_severity.critical).toMatchObject({ opened: 1, acknowledged: 1, resolved: 0, mtta_ms: 600_000, mttr_ms: null });
    expect(stats.by_week.map((w) => [w.week, w.opened])).toEqual([["2026-11-16", 2]]);
    expect(stats.oldest_open.map((o) => o.id)).toEqual([b.id]);
  });
});
