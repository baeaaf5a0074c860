import { describe, expect, it } from "vitest";
import { applyNetwork } from "./apply-network";
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

