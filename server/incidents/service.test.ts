import { describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { IncidentService, type Detection } from "./service";
import { getTimeline } from "../../db/queries/incidents";

const detection = (over: Partial<Detection> = {}): Detection => ({
  rule: "brute_force",
  entity: "203.0.113.9",
  pane: "security",
  title: "Brute-force logins from 203.0.113.9",
  severity: "high",
  time: 1000,
  increment: 10,
  ...over,
});

function service() {
  const { handle, clock } = testCore();
  return { incidents: new IncidentService(handle.db, clock), handle, clock };
}

describe("IncidentService", () => {
  it("grows one incident for a continuing problem instead of opening another", () => {
    const { incidents } = service();
    const a = incidents.record(detection())!;
    const b = incidents.record(detection({ increment: 1, time: 5000 }))!;
    expect(b.id).toBe(a.id);
    expect(b.count).toBe(11);
    expect(b.last_seen).toBe(5000);
    expect(b.first_seen).toBe(1000);
  });

  it("opens separate incidents for different entities", () => {
    const { incidents } = service();
    expect(incidents.record(detection())!.id).not.toBe(incidents.record(detection({ entity: "198.51.100.1" }))!.id);
  });

  it("opens a new incident when the problem returns after resolution", () => {
    const { incidents } = service();
    const first = incidents.record(detection())!;
    incidents.resolve(first.id, "ana");
    const again = incidents.record(detection())!;
    expect(again.id).not.toBe(first.id);
    expect(again.status).toBe("open");
  });

  it("records who acknowledged and when, with a timeline entry", () => {
    const { incidents, handle, clock } = service();
    const i = incidents.record(detection())!;
    const r = incidents.acknowledge(i.id, "ana", { note: "looking" });
    expect(r).toMatchObject({ ok: true, incident: { status: "acknowledged", acknowledged_by: "ana", acknowledged_at: clock.now(), version: 2 } });
    const timeline = getTimeline(handle.db, i.id);
    expect(timeline.map((t) => [t.action, t.actor, t.note])).toEqual([
      ["opened", "vigil", i.title],
      ["acknowledged", "ana", "looking"],
    ]);
  });

  it("gives a second acknowledgement a conflict naming who won", () => {
    const { incidents } = service();
    const i = incidents.record(detection())!;
    expect(incidents.acknowledge(i.id, "ana", { version: 1 }).ok).toBe(true);
    const lost = incidents.acknowledge(i.id, "bo", { version: 1 });
    expect(lost).toMatchObject({ ok: false, code: "conflict" });
    expect(!lost.ok && lost.message).toMatch(/acknowledged by ana/);
  });

  it("refuses a resolution made against a stale version", () => {
    const { incidents } = service();
    const i = incidents.record(detection())!;
    incidents.acknowledge(i.id, "ana");
    const r = incidents.resolve(i.id, "bo", { version: 1 });
    expect(r).toMatchObject({ ok: false, code: "conflict" });
    expect(!r.ok && r.message).toMatch(/changed since you saw it.*acknowledged by ana/);
  });

  it("does not bump the version when only the count grows, so an acknowledgement is not refused for it", () => {
    const { incidents } = service();
    const i = incidents.record(detection())!;
    incidents.record(detection({ increment: 1 }))!;
    expect(incidents.acknowledge(i.id, "ana", { version: i.version }).ok).toBe(true);
  });

  it("answers not_found for an unknown incident", () => {
    const { incidents } = service();
    expect(incidents.acknowledge(999, "ana")).toMatchObject({ ok: false, code: "not_found" });
  });

  it("escalates severity but never lowers it", () => {
    const { incidents } = service();
    incidents.record(detection({ severity: "medium" }))!;
    expect(incidents.record(detection({ severity: "critical" }))!.severity).toBe("critical");
    expect(incidents.record(detection({ severity: "low" }))!.severity).toBe("critical");
  });

  it("resolves by key as of the evidence's time when given one, clamped to first seen and now; the timeline entry stays at now", () => {
    const { incidents, handle, clock } = service();
    const now = clock.now();
    const opened = incidents.record(detection({ rule: "node_down", entity: "gw", pane: "network", time: now - 60_000 }))!;
    const resolved = incidents.resolveByKey("node_down", "gw", "passing again", now - 20_000)!;
    expect(resolved).toMatchObject({ id: opened.id, status: "resolved", resolved_at: now - 20_000, resolved_by: "vigil" });
    expect(getTimeline(handle.db, opened.id).at(-1)).toMatchObject({ action: "resolved", time: now });
    incidents.record(detection({ rule: "node_down", entity: "gw", pane: "network", time: now - 5_000 }))!;
    // evidence older than the incident itself cannot date its end before its start
    expect(incidents.resolveByKey("node_down", "gw", "passing again", now - 90_000)!.resolved_at).toBe(now - 5_000);
    // without a time, as before: now
    incidents.record(detection({ rule: "node_down", entity: "gw", pane: "network", time: now - 1_000 }))!;
    expect(incidents.resolveByKey("node_down", "gw", "passing again")!.resolved_at).toBe(now);
  });

  it("rewrites a detection's picture of itself without a lifecycle change", () => {
    const { incidents } = service();
    const a = incidents.record(detection())!;
    const b = incidents.describe(a.id, { title: "6 nodes down", details: { members: ["a", "b"] }, count: 6, lastSeen: 9000 })!;
    expect(b).toMatchObject({ title: "6 nodes down", details: { members: ["a", "b"] }, count: 6, last_seen: 9000, version: a.version, explanation: a.explanation });
    expect(incidents.activeByKey(a.rule, a.entity)?.id).toBe(a.id);
  });
});
