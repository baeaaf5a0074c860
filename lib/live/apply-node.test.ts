import { describe, expect, it } from "vitest";
import { applyNodeDetail, applyNodeIncidents, applyNodeLatency, type LiveLatency, type LiveNodeDetail } from "./apply-node";
import type { IncidentDelta, NetworkDelta } from "../contracts/live";
import type { Incident, IncidentsSnapshot } from "../contracts/incidents";
import type { NodeStatus, NodeView } from "../contracts/network";

const MIN = 60_000;
const node = (status: NodeStatus = "up", id = 7): Omit<NodeView, "checks"> => ({ id, key: `n${id}`, name: `node ${id}`, kind: "server", parent_id: null, critical: false, status, last_latency_ms: 5, last_check_at: 1000, since: 0 });
const detail = (times: number[] = [1000]): LiveNodeDetail => ({
  epoch: "e",
  seq: 10,
  node: node(),
  parent: null,
  checks: times.map((time) => ({ time, ok: true, latency_ms: 5, message: null, error: null, check: "web" })),
});
const beat = (time: number, status: NodeStatus, ok = status !== "down", id = 7, latency: number | null = ok ? 12 : null): NetworkDelta => ({
  type: "heartbeat",
  node_id: id,
  status,
  check: { time, ok, latency_ms: latency, check: "web", ...(ok ? {} : { error: "connection refused" }) },
});

describe("applyNodeDetail (the node page follows the network stream)", () => {
  it("a failed check of this node appends to its checks, and a change of status dates from it", () => {
    const before = detail();
    const after = applyNodeDetail(7, before, [beat(2000, "down")]);
    expect(after.node).toMatchObject({ status: "down", since: 2000, last_check_at: 2000, last_latency_ms: null });
    expect(after.checks.at(-1)).toEqual({ time: 2000, ok: false, latency_ms: null, message: "connection refused", error: "connection refused", check: "web" });
    expect(after.checks[0]).toBe(before.checks[0]);
  });

  it("a heartbeat node's move says why, and its return to up clears the reason", () => {
    const down = applyNodeDetail(7, detail(), [{ ...beat(2000, "unreachable", false), reason: "its parent is down" } as NetworkDelta]);
    expect(down.node).toMatchObject({ status: "unreachable", reason: "its parent is down" });
    expect(applyNodeDetail(7, down, [beat(3000, "up")]).node.reason).toBeNull();
  });

  it("the node's own delta replaces its fields (the engine's since and reason)", () => {
    const after = applyNodeDetail(7, detail(), [beat(2000, "down"), { type: "node", node: { ...node("down"), since: 1500, reason: "3 checks failed", checks: [] } }]);
    expect(after.node).toMatchObject({ status: "down", since: 1500, reason: "3 checks failed" });
    expect("checks" in after.node).toBe(false);
  });

  it("deltas of other nodes keep the very same object", () => {
    const before = detail();
    expect(applyNodeDetail(7, before, [beat(2000, "down", false, 8), { type: "node_removed", node_id: 8 }])).toBe(before);
  });

  it("a late check goes to its place in time and does not move last_check_at back", () => {
    const loaded = detail([1000, 3000]);
    loaded.node = { ...loaded.node, last_check_at: 3000, last_latency_ms: 5 };
    const after = applyNodeDetail(7, loaded, [beat(2000, "up")]);
    expect(after.checks.map((c) => c.time)).toEqual([1000, 2000, 3000]);
    expect(after.node).toMatchObject({ last_check_at: 3000, last_latency_ms: 5 });
  });

  it("a check the snapshot already holds is not added twice", () => {
    const before = detail([1000]);
    const after = applyNodeDetail(7, before, [{ type: "heartbeat", node_id: 7, status: "up", check: { time: 1000, ok: true, latency_ms: 5, check: "web" } }]);
    expect(after.checks).toHaveLength(1);
  });

  it("keeps at most as many checks as it holds (or 60)", () => {
    const before = detail(Array.from({ length: 60 }, (_, i) => i));
    const after = applyNodeDetail(7, before, [beat(100, "up"), beat(101, "up")]);
    expect(after.checks).toHaveLength(60);
    expect(after.checks.at(-1)!.time).toBe(101);
    expect(after.checks[0].time).toBe(2);
  });

  it("a deleted node is marked so", () => {
    expect(applyNodeDetail(7, detail(), [{ type: "node_removed", node_id: 7 }]).removed).toBe(true);
  });
});

describe("applyNodeLatency (the chart gains checks as they arrive)", () => {
  const chart = (n = 60): LiveLatency => ({
    epoch: "e",
    seq: 10,
    node: { id: 7, key: "n7", name: "node 7" },
    from: 0,
    to: n * MIN,
    resolution: "minute",
    step_ms: MIN,
    points: Array.from({ length: n }, (_, k) => ({ t: k * MIN, count: k === 10 ? 2 : 0, failures: 0, p50: k === 10 ? 4 : null, p95: k === 10 ? 6 : null, p99: k === 10 ? 6 : null, max: k === 10 ? 6 : null })),
  });

  it("a check counts into its point: the first success of an empty point is its percentiles", () => {
    const after = applyNodeLatency(7, chart(), [beat(30 * MIN + 5, "up", true, 7, 12)]);
    expect(after.points[30]).toEqual({ t: 30 * MIN, count: 1, failures: 0, p50: 12, p95: 12, p99: 12, max: 12 });
  });

  it("a point with data keeps its percentiles, gains the count, the failure and the max", () => {
    const after = applyNodeLatency(7, chart(), [beat(10 * MIN + 1, "up", true, 7, 40), beat(10 * MIN + 2, "down")]);
    expect(after.points[10]).toEqual({ t: 10 * MIN, count: 4, failures: 1, p50: 4, p95: 6, p99: 6, max: 40 });
  });

  it("a check past the last point opens new points and the oldest leave: the range keeps its length", () => {
    const after = applyNodeLatency(7, chart(60), [beat(62 * MIN + 1, "up", true, 7, 9)]);
    expect(after.points).toHaveLength(60);
    expect(after.points[0].t).toBe(3 * MIN);
    expect(after.points.at(-1)).toMatchObject({ t: 62 * MIN, count: 1, p50: 9 });
    expect(after.from).toBe(3 * MIN);
    expect(after.to).toBe(63 * MIN);
  });

  it("other nodes' checks and checks before the range change nothing", () => {
    const before = chart();
    const after = applyNodeLatency(7, before, [beat(5 * MIN, "up", true, 8)]);
    expect(after).toBe(before);
    expect(applyNodeLatency(7, before, [beat(-5, "up")]).points).toEqual(before.points);
  });
});

describe("applyNodeIncidents (the node's incidents follow the incidents stream)", () => {
  const incident = (id: number, entity: string, last_seen: number, status: Incident["status"] = "open"): Incident => ({
    id, rule: "node_down", entity, pane: "network", title: `${entity} is down`, severity: "high", status, first_seen: last_seen, last_seen, count: 1, version: 1,
    acknowledged_by: null, acknowledged_at: null, resolved_by: null, resolved_at: null, explanation: null, mitre: null, details: null, assignee: null, snoozed_until: null, resolution: null, previous_id: null,
  });
  const list = (incidents: Incident[]): IncidentsSnapshot => ({ epoch: "e", seq: 1, incidents, total: incidents.length, next_before: null, counts: { open: 0, acknowledged: 0, open_severity: {}, acknowledged_severity: {} } as never, groups: [], max_id: 0 });
  const delta = (i: Incident): IncidentDelta => ({ type: "incident", incident: i });

  it("a new incident about the node joins at the top and counts in the total", () => {
    const after = applyNodeIncidents("n7", 20, list([incident(1, "n7", 100, "resolved")]), [delta(incident(2, "n7", 200))]);
    expect(after.incidents.map((i) => i.id)).toEqual([2, 1]);
    expect(after.total).toBe(2);
  });

  it("a listed incident is replaced (resolved); another node's incident is not listed", () => {
    const before = list([incident(2, "n7", 200)]);
    const after = applyNodeIncidents("n7", 20, before, [delta(incident(2, "n7", 250, "resolved")), delta(incident(3, "n8", 300))]);
    expect(after.incidents).toHaveLength(1);
    expect(after.incidents[0].status).toBe("resolved");
    expect(applyNodeIncidents("n7", 20, before, [delta(incident(3, "n8", 300))])).toBe(before);
  });

  it("keeps at most the limit", () => {
    const after = applyNodeIncidents("n7", 2, list([incident(1, "n7", 100), incident(2, "n7", 200)]), [delta(incident(3, "n7", 300))]);
    expect(after.incidents.map((i) => i.id)).toEqual([3, 2]);
    expect(after.total).toBe(3);
  });
});
