import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { getTimeline } from "../../db/queries/incidents";
import { IncidentService, type Detection } from "./service";
import { entityTokens } from "./plans";
import type { ResponsePlanInput } from "../../lib/contracts/incidents";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const ana = personOf("analyst", "ana@bank.test");
const admin = personOf("admin", "ada@bank.test");

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

const plan = (over: Partial<ResponsePlanInput> = {}): ResponsePlanInput => ({
  name: "Brute force",
  rule: "brute_force",
  severity: null,
  runbook_url: "https://wiki.bank.example/runbooks/brute-force",
  steps: [
    { id: "block", text: "Block the source at the edge", phase: "containment", required: true },
    { id: "accounts", text: "Check the targeted accounts for a success", phase: "investigation", required: true },
    { id: "tell", text: "Tell the service owner", phase: "communication", required: false },
  ],
  ...over,
});

function setup() {
  const t = testCore();
  return { ...t, service: new IncidentService(t.handle.db, t.clock) };
}

describe("response plans and checklists", () => {
  it("gives an incident the most specific plan (rule and severity, rule, severity, default) and keeps its copy when the plan changes", () => {
    const { core, service } = setup();
    core.createResponsePlan(plan({ name: "Default", rule: null, steps: [{ id: "triage", text: "Triage", phase: "investigation", required: false }] }), admin);
    core.createResponsePlan(plan({ name: "Critical anything", rule: null, severity: "critical" }), admin);
    const bf = core.createResponsePlan(plan(), admin)!;
    expect(core.createResponsePlan(plan({ name: "again" }), admin)).toBeNull();
    const i = service.record(detection("203.0.113.1"))!;
    const other = service.record(detection("x", { rule: "port_scan", severity: "low" }))!;
    expect(core.incident(i.id)?.checklist.plan).toEqual({ id: bf.id, name: "Brute force", runbook_url: "https://wiki.bank.example/runbooks/brute-force" });
    expect(core.incident(other.id)?.checklist.plan?.name).toBe("Default");
    core.updateResponsePlan(bf.id, plan({ steps: [{ id: "new", text: "New step", phase: "recovery", required: false }] }), admin);
    expect(core.incident(i.id)?.checklist.items.map((s) => s.step_id)).toEqual(["block", "accounts", "tell"]);
  });

  it("refuses to resolve as fixed with required steps open, names them, and accepts another reason or an override", () => {
    const { core, service, handle } = setup();
    core.createResponsePlan(plan(), admin);
    const i = service.record(detection("203.0.113.2"))!;
    const refused = core.resolveIncident(i.id, ana);
    expect(refused).toMatchObject({ ok: false, code: "conflict" });
    if (!refused.ok) expect(refused.message).toContain('2 required steps not done ("Block the source at the edge", "Check the targeted accounts for a success")');
    expect(core.tickChecklist(i.id, "block", true, ana).ok).toBe(true);
    expect(core.tickChecklist(i.id, "nope", true, ana)).toMatchObject({ ok: false, code: "not_found" });
    const item = core.incident(i.id)!.checklist.items[0];
    expect(item).toMatchObject({ step_id: "block", done_by: "ana@bank.test", done_at: T0 });
    expect(core.resolveIncident(i.id, ana).ok).toBe(false);
    const forced = core.resolveIncident(i.id, ana, { override: "owner confirmed by phone" } as never);
    expect(forced).toMatchObject({ ok: true, incident: { status: "resolved", resolution: "fixed" } });
    const notes = getTimeline(handle.db, i.id).map((e) => `${e.action}: ${e.note}`);
    expect(notes).toContain("checklist: done: Block the source at the edge");
    expect(notes.at(-1)).toBe("resolved: fixed: (required steps overridden: owner confirmed by phone)");
    // a false positive needs no checklist
    const j = service.record(detection("203.0.113.3"))!;
    expect(core.resolveIncident(j.id, ana, { reason: "false_positive" }).ok).toBe(true);
  });

  it("bulk resolve reports the incidents whose required steps are open, and resolves the rest", () => {
    const { core, service } = setup();
    core.createResponsePlan(plan({ rule: null, severity: "critical", name: "Critical" }), admin);
    const crit = service.record(detection("10.0.0.1", { severity: "critical" }))!;
    const high = service.record(detection("10.0.0.2"))!;
    const r = core.bulkIncidents({ action: "resolve", ids: [crit.id, high.id] }, ana);
    expect(r).toMatchObject({ matched: 2, succeeded: 1, failed: [{ id: crit.id, reason: expect.stringContaining("required steps not done") }] });
  });
});

describe("links between incidents", () => {
  it("links a network and a security incident both ways, on both timelines, and unlinks", () => {
    const { core, service, handle } = setup();
    const net = service.record({ rule: "latency_anomaly", entity: "auth-service", pane: "network", title: "auth-service latency", severity: "high", time: T0, increment: 1 })!;
    const sec = service.record(detection("auth-service:203.0.113.9", { rule: "credential_stuffing" }))!;
    // an analyst may not act on network incidents
    expect(core.linkIncidents(net.id, sec.id, "caused_by", ana)).toMatchObject({ ok: false, code: "forbidden" });
    expect(core.linkIncidents(net.id, sec.id, "caused_by", admin).ok).toBe(true);
    expect(core.incident(net.id)?.links).toMatchObject([{ id: sec.id, kind: "caused_by", pane: "security" }]);
    expect(core.incident(sec.id)?.links).toMatchObject([{ id: net.id, kind: "causes", pane: "network" }]);
    expect(getTimeline(handle.db, sec.id).at(-1)?.note).toContain(`linked from #${net.id}`);
    expect(core.linkIncidents(net.id, net.id, "related", admin)).toMatchObject({ ok: false, code: "invalid" });
    expect(core.unlinkIncidents(sec.id, net.id, admin).ok).toBe(true);
    expect(core.incident(net.id)?.links).toEqual([]);
  });

  it("suggests an incident of the other pane that touches the same node, service or address within minutes", () => {
    const { core, service, clock } = setup();
    const net = service.record({ rule: "node_down", entity: "auth-service", pane: "network", title: "auth-service down", severity: "critical", time: T0, increment: 1 })!;
    const sec = service.record(detection("auth-service:203.0.113.9", { time: T0 + 5 * 60_000 }))!;
    service.record(detection("sshd:198.51.100.1", { time: T0 }))!;
    // the same service, hours later, is not "within minutes"
    clock.advance(3 * 3_600_000);
    service.record(detection("auth-service:192.0.2.1", { time: T0 + 3 * 3_600_000, rule: "password_spraying" }))!;
    expect(core.incident(net.id)?.suggestions).toEqual([{ id: sec.id, title: sec.title, pane: "security", status: "open", severity: "high", shared: ["auth-service"] }]);
    core.linkIncidents(net.id, sec.id, "related", admin);
    expect(core.incident(net.id)?.suggestions).toEqual([]);
  });

  it("reads the parts of an entity worth matching", () => {
    expect(entityTokens("sshd:203.0.113.5")).toEqual(["sshd", "203.0.113.5"]);
    expect(entityTokens("2001:db8::17")).toEqual(["2001:db8::17"]);
    expect(entityTokens("unknown:10.0.0.1")).toEqual(["10.0.0.1"]);
  });
});
