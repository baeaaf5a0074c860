import { describe, expect, it } from "vitest";
import { testCore } from "../../server/test-support/core";
import { getNodeDetail, networkSummary } from "./network";
import { SPARK_POINTS } from "../../lib/contracts/network";

function fleet() {
  const t = testCore({ failuresToDown: 1 });
  const now = t.clock.now();
  // 30 rounds: b fails every 5th check, c fails the last one (down), d is registered and silent
  for (let r = 0; r < 30; r++) {
    t.core.ingestHeartbeats(
      [
        { node: "b-node", ok: r % 5 !== 0, latency_ms: r + 0.26, time: now - (30 - r) * 1000 },
        { node: "a-node", ok: true, latency_ms: 3, time: now - (30 - r) * 1000 },
        { node: "c-node", ok: r !== 29, latency_ms: 9, time: now - (30 - r) * 1000 },
      ],
      "test",
    );
  }
  t.core.registerNodes([{ key: "d-node", name: "d-node", kind: "router" }]);
  return t;
}

describe("networkSummary (the pane's first load)", () => {
  it("counts every node by status, orders worst first then by name, with a SPARK_POINTS sparkline oldest first", () => {
    const { handle } = fleet();
    const s = networkSummary(handle.db, { limit: 100 });
    expect(s.counts).toEqual({ down: 1, degraded: 0, pending: 1, up: 2, unreachable: 0, maintenance: 0, flapping: 0 });
    expect(s.nodes.map((n) => `${n.status}:${n.key}`)).toEqual(["down:c-node", "pending:d-node", "up:a-node", "up:b-node"]);
    const b = s.nodes.find((n) => n.key === "b-node")!;
    expect(b.spark).toHaveLength(SPARK_POINTS);
    // rounds 10..29: failures at 10, 15, 20, 25; latency rounded to 0.1
    expect(b.spark.slice(0, 3)).toEqual([null, 11.3, 12.3]);
    expect(b.spark.at(-1)).toBe(29.3);
    expect(s.nodes.find((n) => n.key === "c-node")!.spark.at(-1)).toBeNull();
    expect(s.nodes.find((n) => n.key === "d-node")!.spark).toEqual([]);
    expect(s).toMatchObject({ total: 4, truncated: false });
  });

  it("dates a pushed node's status from the heartbeat that changed it (the tile's since-when)", () => {
    const { handle } = fleet();
    const s = networkSummary(handle.db, { limit: 100 });
    const at = (key: string) => s.nodes.find((n) => n.key === key)!;
    const latest = handle.sqlite.prepare("SELECT max(time) AS t FROM heartbeats").get() as { t: number };
    // c-node went down at its last check; a-node is up, which a tile draws without a date (the node page has it)
    expect(at("c-node").since).toBe(latest.t);
    expect(at("a-node")).not.toHaveProperty("since");
  });

  it("sends at most `limit` tiles, worst first, and still counts them all", () => {
    const { handle } = fleet();
    const s = networkSummary(handle.db, { limit: 2 });
    expect(s.nodes.map((n) => n.key)).toEqual(["c-node", "d-node"]);
    expect(s).toMatchObject({ total: 4, truncated: true, counts: { up: 2 } });
  });

  it("filters by status and by part of the name or key (case-insensitive, wildcards are literal)", () => {
    const { handle } = fleet();
    expect(networkSummary(handle.db, { limit: 10, status: "up" }).nodes.map((n) => n.key)).toEqual(["a-node", "b-node"]);
    const byText = networkSummary(handle.db, { limit: 10, q: "B-NO" });
    expect(byText.nodes.map((n) => n.key)).toEqual(["b-node"]);
    expect(byText.total).toBe(1);
    expect(networkSummary(handle.db, { limit: 10, q: "%" }).nodes).toEqual([]);
  });

  it("with `group` counts every node by that tag's value, those not up first, the untagged as null; tiles carry parent and tags", () => {
    const { handle } = fleet();
    const tag = handle.sqlite.prepare("UPDATE nodes SET tags = ? WHERE key = ?");
    tag.run(JSON.stringify({ site: "fra1", tier: "edge" }), "a-node");
    tag.run(JSON.stringify({ site: "fra1" }), "c-node");
    tag.run(JSON.stringify({ site: "" }), "d-node");
    // one tile sent: the group counts still cover all four nodes
    const s = networkSummary(handle.db, { limit: 1, group: "site" });
    expect(s.groups).toEqual([
      { value: "fra1", counts: { down: 1, up: 1 } },
      { value: null, counts: { pending: 1, up: 1 } },
    ]);
    expect(s.groups_truncated).toBe(false);
    expect(s.nodes[0].tags).toEqual({ site: "fra1" });
    // a field at its common value is left out: no parent, not critical, no source or paused
    for (const field of ["parent_id", "critical", "source", "paused"]) expect(s.nodes[0]).not.toHaveProperty(field);
    // the down node says why (its heartbeats' reason); an up one carries none
    expect(s.nodes[0]).toMatchObject({ status: "down", reason: "a check failed" });
    expect(networkSummary(handle.db, { limit: 4 }).nodes.find((n) => n.status === "up")).not.toHaveProperty("reason");
    expect(networkSummary(handle.db, { limit: 4 }).nodes.find((n) => n.key === "a-node")!.tags).toEqual({ site: "fra1", tier: "edge" });
    expect(networkSummary(handle.db, { limit: 4 }).nodes.find((n) => n.key === "b-node")).not.toHaveProperty("tags");
    // and present when set
    handle.sqlite.prepare("UPDATE nodes SET parent_id = (SELECT id FROM nodes WHERE key = 'a-node'), critical = 1 WHERE key = 'c-node'").run();
    const aId = networkSummary(handle.db, { limit: 4 }).nodes.find((n) => n.key === "a-node")!.id;
    expect(networkSummary(handle.db, { limit: 1 }).nodes[0]).toMatchObject({ key: "c-node", parent_id: aId, critical: true });
    expect(networkSummary(handle.db, { limit: 1, group: "owner" }).groups).toEqual([{ value: null, counts: { down: 1, pending: 1, up: 2 } }]);
    expect(networkSummary(handle.db, { limit: 1 })).not.toHaveProperty("groups");
  });
});

describe("getNodeDetail", () => {
  it("returns the node and its last checks oldest first with their messages; null for an unknown id", () => {
    const { handle, core } = fleet();
    const c = core.networkSummary({ limit: 10 }).nodes[0];
    const d = getNodeDetail(handle.db, c.id, 5)!;
    expect(d.node).toMatchObject({ key: "c-node", status: "down" });
    expect(d.checks).toHaveLength(5);
    expect(d.checks.at(-1)).toMatchObject({ ok: false });
    expect(d.checks[0].time).toBeLessThan(d.checks[4].time);
    expect(getNodeDetail(handle.db, 9999, 5)).toBeNull();
  });
});
