import { describe, expect, it } from "vitest";
import { applyIncidents } from "./apply-incidents";
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
