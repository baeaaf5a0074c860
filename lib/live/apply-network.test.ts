import { describe, expect, it } from "vitest";
import { applyNetwork } from "./apply-network";
import type { NetworkDelta } from "../contracts/live";
import { NODE_STATUSES, SPARK_POINTS, type NetworkSummary, type NodeStatus, type NodeTileView, type NodeView, type StatusCounts } from "../contracts/network";

const tile = (id: number, status: NodeStatus = "up", name = `n${String(id).padStart(4, "0")}`): NodeTileView => ({
  id, key: name, name, kind: "server", parent_id: null, critical: false, status, last_latency_ms: 1, last_check_at: 0, spark: [],
});
const nodeView = (id: number, status: NodeStatus = "pending"): NodeView => ({ ...tile(id, status), parent_id: null, critical: false, checks: [] });
const recount = (nodes: NodeTileView[]): StatusCounts => {
  const c = Object.fromEntries(NODE_STATUSES.map((st) => [st, 0])) as StatusCounts;
  for (const n of nodes) c[n.status] += 1;
  return c;
};
const summaryOf = (nodes: NodeTileView[], truncated = false): NetworkSummary => ({ epoch: "e", seq: 0, counts: recount(nodes), total: nodes.length, nodes, truncated });
const beat = (id: number, status: NodeStatus, time = 1, latency: number | null = 5): NetworkDelta => ({ type: "heartbeat", node_id: id, status, check: { time, ok: status !== "down", latency_ms: latency } });
const ids = (s: NetworkSummary) => s.nodes.map((n) => n.id);

describe("applyNetwork (the pane's summary)", () => {
  it("a heartbeat replaces only its node's object; every other tile keeps its identity", () => {
    const before = summaryOf(Array.from({ length: 100 }, (_, i) => tile(i + 1)));
    const after = applyNetwork(before, [beat(42, "up", 10, 7)]);
    for (let i = 0; i < 100; i++) {
      if (after.nodes[i].id === 42) expect(after.nodes[i]).not.toBe(before.nodes[i]);
      else expect(after.nodes[i]).toBe(before.nodes[i]);
    }
    expect(after.nodes.find((n) => n.id === 42)).toMatchObject({ spark: [7], last_latency_ms: 7, last_check_at: 10 });
    // no status change: the counts object is shared too
    expect(after.counts).toBe(before.counts);
  });

  it("a move says why on the tile (a heartbeat node's reason), and a move back up clears it", () => {
    const before = summaryOf([tile(1), tile(2)]);
    const down = applyNetwork(before, [{ ...beat(1, "unreachable"), reason: "its parent is down" } as NetworkDelta]);
    expect(down.nodes.find((n) => n.id === 1)).toMatchObject({ status: "unreachable", reason: "its parent is down" });
    const up = applyNetwork(down, [beat(1, "up", 2)]);
    expect(up.nodes.find((n) => n.id === 1)!.reason).toBeUndefined();
  });

  it("a node going down moves to the front and the counts move by the transition", () => {
    const before = summaryOf(Array.from({ length: 10 }, (_, i) => tile(i + 1)));
    const after = applyNetwork(before, [beat(7, "down")]);
    expect(ids(after)[0]).toBe(7);
    expect(after.counts).toMatchObject({ down: 1, degraded: 0, pending: 0, up: 9 });
    // the others keep their objects, in their relative order
    expect(after.nodes.slice(1)).toEqual(before.nodes.filter((n) => n.id !== 7));
    expect(after.nodes[1]).toBe(before.nodes[0]);
  });

  it("keeps worst first then by name through mixed transitions", () => {
    let s = summaryOf([tile(1, "up", "b"), tile(2, "up", "a"), tile(3, "degraded", "c"), tile(4, "pending", "d")].sort((x, y) => (x.name < y.name ? -1 : 1)));
    s = applyNetwork(s, [beat(1, "down"), beat(2, "down"), beat(3, "up")]);
    expect(s.nodes.map((n) => `${n.status}:${n.name}`)).toEqual(["down:a", "down:b", "pending:d", "up:c"]);
  });

  it("counts stay equal to a recount through a random flood of transitions and registrations", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let s = summaryOf(Array.from({ length: 300 }, (_, i) => tile(i + 1, NODE_STATUSES[i % 4])).sort((a, b) => a.id - b.id));
    s = applyNetwork(s, []);
    let next = 301;
    for (let round = 0; round < 50; round++) {
      const items: NetworkDelta[] = [];
      for (let k = 0; k < 40; k++) {
        if (rand(10) === 0) items.push({ type: "node", node: nodeView(next++) });
        else items.push(beat(1 + rand(next - 1), NODE_STATUSES[rand(4)], round * 100 + k, rand(200)));
      }
      s = applyNetwork(s, items);
      expect(s.counts).toEqual(recount(s.nodes));
      expect(s.total).toBe(s.nodes.length);
    }
    expect(s.stale).toBeUndefined();
    // and the order is the pane's order
    const order = s.nodes.map((n) => n.id);
    const sorted = s.nodes.slice().sort((a, b) => ["down", "degraded", "pending", "up"].indexOf(a.status) - ["down", "degraded", "pending", "up"].indexOf(b.status) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.id - b.id);
    expect(order).toEqual(sorted.map((n) => n.id));
  });

  it("500 nodes going down in one batch: the down count jumps to 500 and they lead the list", () => {
    const s = applyNetwork(summaryOf(Array.from({ length: 1000 }, (_, i) => tile(i + 1))), Array.from({ length: 500 }, (_, i) => beat(2 * i + 1, "down")));
    expect(s.counts).toMatchObject({ down: 500, degraded: 0, pending: 0, up: 500 });
    expect(s.nodes.slice(0, 500).every((n) => n.status === "down")).toBe(true);
  });

  it("caps the sparkline at SPARK_POINTS, newest last, null for a failed check", () => {
    let s = summaryOf([tile(1)]);
    for (let i = 0; i < SPARK_POINTS + 5; i++) s = applyNetwork(s, [beat(1, i === SPARK_POINTS + 4 ? "down" : "up", i, i + 0.04)]);
    expect(s.nodes[0].spark).toHaveLength(SPARK_POINTS);
    expect(s.nodes[0].spark.at(-2)).toBe(SPARK_POINTS + 3);
    expect(s.nodes[0].spark.at(-1)).toBeNull();
  });

  it("a registration adds a node in order and counts it; an update keeps its sparkline", () => {
    let s = summaryOf([tile(1, "up", "m")]);
    s = applyNetwork(s, [beat(1, "up", 1, 3)]);
    s = applyNetwork(s, [{ type: "node", node: { ...nodeView(2), name: "a" } }]);
    expect(s.nodes.map((n) => n.name)).toEqual(["a", "m"]);
    expect(s.nodes[0].status).toBe("pending");
    expect(s).toMatchObject({ total: 2, counts: { up: 1, pending: 1 } });
    s = applyNetwork(s, [{ type: "node", node: { ...nodeView(1, "up"), name: "renamed" } }]);
    expect(s.nodes.find((n) => n.id === 1)).toMatchObject({ name: "renamed", spark: [3] });
  });

  it("a delta for a node the summary does not hold marks it stale rather than guessing the counts", () => {
    const s = summaryOf([tile(1)], true);
    const after = applyNetwork(s, [beat(99, "down"), { type: "node", node: nodeView(100) }]);
    expect(after.stale).toBe(true);
    expect(after.counts).toEqual(s.counts);
    expect(after.nodes).toBe(s.nodes);
  });

  it("behind an all-up tail, an unheld node staying up changes nothing; one going down marks it stale", () => {
    const s = summaryOf([tile(1, "down"), tile(2, "up")], true);
    expect(applyNetwork(s, [beat(99, "up")])).toEqual(s);
    expect(applyNetwork(s, [beat(99, "degraded")]).stale).toBe(true);
    // a tail that is not all up: a heartbeat for an unheld node cannot be placed
    expect(applyNetwork(summaryOf([tile(1, "down")], true), [beat(99, "up")]).stale).toBe(true);
  });

  it("a removal takes the node's tile and its count away; later deltas for it in the batch are ignored", () => {
    const s = summaryOf([tile(1, "down", "a"), tile(2, "up", "b"), tile(3, "up", "c")]);
    const after = applyNetwork(s, [{ type: "node_removed", node_id: 1 }, beat(1, "up"), beat(2, "up", 2, 4)]);
    expect(after.nodes.map((n) => n.id)).toEqual([2, 3]);
    expect(after).toMatchObject({ total: 2, counts: { down: 0, up: 2 } });
    expect(after.nodes[0].spark).toEqual([4]);
    // a node the truncated summary does not hold may be counted among those not sent: refetch
    expect(applyNetwork(summaryOf([tile(1)], true), [{ type: "node_removed", node_id: 9 }]).stale).toBe(true);
  });

  it("dates a change of status from the heartbeat's check and keeps the date while the status holds", () => {
    const before = summaryOf([{ ...tile(1, "up"), since: 100 }]);
    const down = applyNetwork(before, [beat(1, "down", 500)]);
    expect(down.nodes[0].since).toBe(500);
    expect(applyNetwork(down, [beat(1, "down", 900)]).nodes[0].since).toBe(500);
  });

  it("keeps a node's status since, reason and tags from its node delta, and nothing a tile does not draw", () => {
    const s = summaryOf([tile(1, "up", "a")]);
    const after = applyNetwork(s, [{ type: "node", node: { ...nodeView(1, "down"), name: "a", since: 5, reason: "http: timed out", tags: { site: "fra1" }, source: "config", paused: false } }]);
    expect(after.nodes[0]).toMatchObject({ status: "down", since: 5, reason: "http: timed out", tags: { site: "fra1" } });
    for (const field of ["source", "paused", "parent_id", "critical"]) expect(after.nodes[0]).not.toHaveProperty(field);
  });
});
