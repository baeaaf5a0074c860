import { describe, expect, it } from "vitest";
import { applySecurity, LIVE_EVENT_CAP } from "./apply-security";
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

