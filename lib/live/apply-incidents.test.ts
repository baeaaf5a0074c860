import { describe, expect, it } from "vitest";
import { applyIncidents, mergeIncidentPage, type LiveIncidents } from "./apply-incidents";
import type { Incident } from "../contracts/incidents";
import type { IncidentDelta } from "../contracts/live";
import { testCore, personOf } from "../../server/test-support/core";

const incident = (id: number, over: Partial<Incident> = {}): Incident => ({
  id, rule: "r", entity: `e${id}`, pane: "security", title: "t", severity: "high", status: "open", first_seen: 0, last_seen: id, count: 1, version: 1,
  acknowledged_by: null, acknowledged_at: null, resolved_by: null, resolved_at: null, explanation: null, mitre: null, details: null, assignee: null, snoozed_until: null, resolution: null, previous_id: null, ...over,
});
const delta = (i: Incident): IncidentDelta => ({ type: "incident", incident: i });

/** a snapshot that holds incidents 1 and 2 of 10 open ones (ids 1..10) */
function base(): LiveIncidents {
  return {
    epoch: "e", seq: 0, total: 10, next_before: "2-2", max_id: 10,
    incidents: [incident(2), incident(1)],
    groups: [{ rule: "r", pane: "security", open: 10, acknowledged: 0, open_severity: { high: 10 }, acknowledged_severity: {}, last_seen: 10 }],
    counts: { open: 10, acknowledged: 0, severity: { high: 10 }, open_severity: { high: 10 }, pane: { network: 0, security: 10 } },
  };
}

describe("applyIncidents keeps the list", () => {
  it("updates a known incident and adds a new one, most recent first", () => {
    const s = applyIncidents(base(), [delta(incident(1, { count: 9, last_seen: 50 })), delta(incident(11, { last_seen: 40 }))]);
    expect(s.incidents.map((i) => [i.id, i.count])).toEqual([[1, 9], [11, 1], [2, 1]]);
  });
  it("drops a resolved incident from the active list", () => {
    expect(applyIncidents(base(), [delta(incident(1, { status: "resolved", version: 2 }))]).incidents.map((i) => i.id)).toEqual([2]);
  });
  it("keeps a newer version over a stale delta", () => {
    const acked = applyIncidents(base(), [delta(incident(1, { status: "acknowledged", version: 2 }))]);
    const s = applyIncidents(acked, [delta(incident(1, { count: 5 }))]);
    expect(s.incidents.find((i) => i.id === 1)?.status).toBe("acknowledged");
    expect(s.counts).toMatchObject({ open: 9, acknowledged: 1 });
  });
});

describe("applyIncidents keeps the true counts", () => {
  it("moves a held incident between statuses and severities", () => {
    const s = applyIncidents(base(), [delta(incident(1, { status: "acknowledged", version: 2 })), delta(incident(2, { severity: "critical" }))]);
    expect(s.counts).toEqual({ open: 9, acknowledged: 1, severity: { high: 9, critical: 1 }, open_severity: { high: 8, critical: 1 }, pane: { network: 0, security: 10 } });
    expect(s.total).toBe(10);
    expect(s.unsure).toBeUndefined();
  });
  it("counts a new incident (id past max_id) once, however many deltas it gets", () => {
    const s = applyIncidents(base(), [delta(incident(11)), delta(incident(11, { count: 2 })), delta(incident(12, { rule: "node_down", pane: "network", severity: "critical" }))]);
    expect(s.counts).toMatchObject({ open: 12, pane: { network: 1, security: 11 } });
    expect(s.groups.map((g) => [g.rule, g.open])).toEqual([["node_down", 1], ["r", 11]]);
    // the same delta again (a replay) changes nothing
    expect(applyIncidents(s, [delta(incident(12, { rule: "node_down", pane: "network", severity: "critical" }))]).counts).toEqual(s.counts);
  });
  it("does not count again an open, untouched incident it does not hold (a flood's repeat hit)", () => {
    const s = applyIncidents(base(), [delta(incident(7, { count: 40, last_seen: 99 }))]);
    expect(s.counts.open).toBe(10);
    expect(s.unsure).toBeUndefined();
    expect(s.incidents[0].id).toBe(7);
  });
  it("is unsure, and counts nothing, for a change to an incident it does not hold", () => {
    const acked = applyIncidents(base(), [delta(incident(7, { status: "acknowledged", version: 2 }))]);
    expect(acked.unsure).toBe(true);
    expect(acked.counts).toEqual(base().counts);
    expect(acked.older?.map((i) => i.id)).toEqual([7]);
    const resolved = applyIncidents(base(), [delta(incident(8, { status: "resolved", version: 2 }))]);
    expect(resolved.unsure).toBe(true);
    expect(resolved.counts).toEqual(base().counts);
  });
  it("is unsure when a group mixes severities and an unheld incident's old severity is unknown", () => {
    const mixed = applyIncidents(base(), [delta(incident(2, { severity: "critical" }))]);
    expect(applyIncidents(mixed, [delta(incident(7, { severity: "critical" }))]).unsure).toBe(true);
  });
  it("a merged page of open, untouched rows is counted from; acknowledged rows are only shown", () => {
    const page = [incident(6), incident(5, { status: "acknowledged", version: 2 }), incident(2, { count: 99 }), incident(11)];
    const merged = mergeIncidentPage(base(), page);
    expect(merged.incidents.map((i) => [i.id, i.count])).toEqual([[6, 1], [2, 1], [1, 1]]);
    expect(merged.older?.map((i) => i.id)).toEqual([5]);
    const acked = applyIncidents(merged, [delta(incident(6, { status: "acknowledged", version: 2 }))]);
    expect(acked.counts).toMatchObject({ open: 9, acknowledged: 1 });
    expect(acked.unsure).toBeUndefined();
  });
});

describe("applyIncidents against the real core", () => {
  const T0 = Date.UTC(2026, 10, 21, 11, 0, 0);
  const burst = (src: string, at: number) => Array.from({ length: 10 }, (_, i) => ({ kind: "auth_failure", src_ip: src, user: `u-${src}`, time: at + i }));

  it("ends with the counts a fresh snapshot has, through a flood, repeat hits, acknowledgements and resolutions", () => {
    const { core, drain } = testCore();
    core.ingestEvents(Array.from({ length: 120 }, (_, i) => burst(`198.51.100.${i}`, T0 + i)).flat(), "test");
    drain("incidents");
    // the browser's first load holds one page of 20 of the 120
    let live: LiveIncidents = core.incidentsSnapshot({ status: "active", limit: 20 });
    const fold = () => (live = applyIncidents(live, drain("incidents")));
    // a second wave (new incidents), and repeat hits on old unheld ones
    core.ingestEvents(Array.from({ length: 60 }, (_, i) => burst(`203.0.113.${i}`, T0 + 500 + i)).flat(), "test");
    core.ingestEvents(Array.from({ length: 30 }, (_, i) => burst(`198.51.100.${i}`, T0 + 1000 + i)).flat(), "test");
    fold();
    expect(live.unsure).toBeUndefined();
    // acknowledge and resolve held incidents, as this browser's person would
    const held = live.incidents.slice(0, 10);
    for (const i of held.slice(0, 6)) expect(core.acknowledgeIncident(i.id, personOf("analyst")).ok).toBe(true);
    for (const i of held.slice(6)) expect(core.resolveIncident(i.id, personOf("analyst")).ok).toBe(true);
    fold();
    const truth = core.incidentsSnapshot({ status: "active", limit: 1 });
    expect(live.unsure).toBeUndefined();
    expect(live.counts).toEqual(truth.counts);
    expect(live.groups).toEqual(truth.groups.map((g) => ({ ...g, last_seen: expect.any(Number) })));
    expect(live.total).toBe(truth.total);
    expect(truth.total).toBe(176);
  });

  it("asks for a refetch when someone else acknowledges an incident it does not hold", () => {
    const { core, drain } = testCore();
    core.ingestEvents(Array.from({ length: 30 }, (_, i) => burst(`198.51.100.${i}`, T0 + i)).flat(), "test");
    drain("incidents");
    const live: LiveIncidents = core.incidentsSnapshot({ status: "active", limit: 5 });
    const oldest = core.incidentsSnapshot({ status: "active", limit: 30 }).incidents.at(-1)!;
    expect(live.incidents.some((i) => i.id === oldest.id)).toBe(false);
    core.acknowledgeIncident(oldest.id, personOf("analyst"));
    expect(applyIncidents(live, drain("incidents")).unsure).toBe(true);
  });
});
