import { describe, expect, it } from "vitest";
import { applyIncidents, applyNetwork, applySecurity, LIVE_EVENT_CAP } from "./apply";
import type { NetworkSnapshot, NodeView } from "../contracts/network";
import type { SecurityEvent, SecuritySnapshot } from "../contracts/events";
import type { Incident, IncidentsSnapshot } from "../contracts/incidents";

const node = (id: number): NodeView => ({ id, key: `n${id}`, name: `N${id}`, kind: "server", parent_id: null, critical: false, status: "up", last_latency_ms: 1, last_check_at: 0, checks: [] });
const event = (id: number, time = id * 1000, severity: SecurityEvent["severity"] = "low"): SecurityEvent => ({
  id, time, kind: "ids_alert", severity, source: "t", src_ip: null, dst_ip: null, user: null, signature: null, message: null, attributes: null,
});
const incident = (id: number, over: Partial<Incident> = {}): Incident => ({
  id, rule: "r", entity: "e", pane: "security", title: "t", severity: "high", status: "open", first_seen: 0, last_seen: 0, count: 1, version: 1,
  acknowledged_by: null, acknowledged_at: null, resolved_by: null, resolved_at: null, ...over,
});

describe("applyNetwork", () => {
  it("appends a heartbeat to its node's checks, capped at 30, and takes its status", () => {
    let s: NetworkSnapshot = { epoch: "e", seq: 0, nodes: [node(1)] };
    for (let i = 0; i < 35; i++) s = applyNetwork(s, [{ type: "heartbeat", node_id: 1, status: i === 34 ? "down" : "up", check: { time: i, ok: i !== 34, latency_ms: i } }]);
    expect(s.nodes[0].checks).toHaveLength(30);
    expect(s.nodes[0].checks.at(-1)).toEqual({ time: 34, ok: false, latency_ms: 34 });
    expect(s.nodes[0].status).toBe("down");
  });
  it("adds a newly registered node", () => {
    const s = applyNetwork({ epoch: "e", seq: 0, nodes: [node(1)] }, [{ type: "node", node: node(2) }]);
    expect(s.nodes.map((n) => n.id)).toEqual([1, 2]);
  });
});

describe("applySecurity", () => {
  it("puts new events first, newest on top, within the cap", () => {
    const base: SecuritySnapshot = { epoch: "e", seq: 0, events: Array.from({ length: LIVE_EVENT_CAP }, (_, i) => event(LIVE_EVENT_CAP - i)), rate: [] };
    const s = applySecurity(base, [{ type: "event", event: event(1001) }, { type: "event", event: event(1002) }]);
    expect(s.events.slice(0, 3).map((e) => e.id)).toEqual([1002, 1001, LIVE_EVENT_CAP]);
    expect(s.events).toHaveLength(LIVE_EVENT_CAP);
  });
  it("counts new events into their minute and severity", () => {
    const s = applySecurity({ epoch: "e", seq: 0, events: [], rate: [{ minute: 60_000, severity: "high", count: 2 }] }, [
      { type: "event", event: event(1, 61_000, "high") },
      { type: "event", event: event(2, 125_000, "low") },
    ]);
    expect(s.rate).toEqual([
      { minute: 60_000, severity: "high", count: 3 },
      { minute: 120_000, severity: "low", count: 1 },
    ]);
  });
});

describe("applyIncidents", () => {
  const base: IncidentsSnapshot = { epoch: "e", seq: 0, incidents: [incident(1), incident(2)] };
  it("updates a known incident and adds a new one", () => {
    const s = applyIncidents(base, [{ type: "incident", incident: incident(1, { count: 9 }) }, { type: "incident", incident: incident(3) }]);
    expect(s.incidents.find((i) => i.id === 1)?.count).toBe(9);
    expect(s.incidents.map((i) => i.id).sort()).toEqual([1, 2, 3]);
  });
  it("drops a resolved incident from the active list", () => {
    expect(applyIncidents(base, [{ type: "incident", incident: incident(1, { status: "resolved", version: 2 }) }]).incidents.map((i) => i.id)).toEqual([2]);
  });
  it("keeps a newer version over a stale delta", () => {
    const acked = applyIncidents(base, [{ type: "incident", incident: incident(1, { status: "acknowledged", version: 2 }) }]);
    const s = applyIncidents(acked, [{ type: "incident", incident: incident(1, { count: 5 }) }]);
    expect(s.incidents.find((i) => i.id === 1)?.status).toBe("acknowledged");
  });
});
