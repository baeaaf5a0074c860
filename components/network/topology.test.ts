import { describe, expect, it } from "vitest";
import type { NodeStatus, NodeTileView } from "@/lib/contracts/network";
import { buildForest, flattenForest, type TopologyNode } from "./topology";

function node(id: number, name: string, status: NodeStatus, parent_id: number | null = null): NodeTileView {
  return { id, key: name, name, kind: "server", parent_id, critical: false, status, last_latency_ms: 1, last_check_at: 0, spark: [] };
}
const names = (rows: { item: TopologyNode; depth: number }[]) => rows.map((r) => `${"  ".repeat(r.depth)}${r.item.node.name}`);
const all = (roots: TopologyNode[]): TopologyNode[] => roots.flatMap((r) => [r, ...all(r.children)]);

describe("buildForest", () => {
  // edge (down) → lb (unreachable) → api, db (unreachable); core (up) → cache, queue (up)
  const fleet = [
    node(1, "edge", "down"),
    node(2, "lb", "unreachable", 1),
    node(3, "api", "unreachable", 2),
    node(4, "db", "unreachable", 2),
    node(5, "core", "up"),
    node(6, "cache", "up", 5),
    node(7, "queue", "up", 5),
  ];

  it("hangs children under their parent and counts each subtree by status", () => {
    const roots = buildForest(fleet);
    expect(roots.map((r) => r.node.name)).toEqual(["edge", "core"]);
    const edge = roots[0];
    expect(edge.size).toBe(3);
    expect(edge.below.unreachable).toBe(3);
    expect(edge.children[0].node.name).toBe("lb");
    expect(edge.children[0].children.map((c) => c.node.name)).toEqual(["api", "db"]);
    expect(roots[1].below.up).toBe(2);
  });

  it("orders roots and siblings worst subtree first, then by name", () => {
    const roots = buildForest([node(1, "a", "up"), node(2, "b", "up"), node(3, "c", "down", 2), node(4, "z", "degraded")]);
    // b holds a down child, so it leads; z is degraded; a is all up
    expect(roots.map((r) => r.node.name)).toEqual(["b", "z", "a"]);
  });

  it("makes a node whose parent is missing a root marked orphan, keeping its own children", () => {
    const roots = buildForest([node(2, "lb", "up", 99), node(3, "api", "down", 2)]);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ mark: "orphan", size: 1 });
    expect(roots[0].children[0].node.name).toBe("api");
  });

  it("breaks a parent loop at one of its nodes, marked cycle, and places every node exactly once", () => {
    // 1 → 2 → 3 → 1, with 4 hanging off 3 and 5 its own parent
    const roots = buildForest([node(1, "a", "up", 3), node(2, "b", "down", 1), node(3, "c", "up", 2), node(4, "d", "up", 3), node(5, "self", "up", 5), node(6, "root", "up")]);
    const placed = all(roots).map((t) => t.node.id).sort();
    expect(placed).toEqual([1, 2, 3, 4, 5, 6]);
    const loop = roots.find((r) => r.node.id <= 4)!;
    expect(loop.mark).toBe("cycle");
    expect(loop.size).toBe(3);
    expect(roots.find((r) => r.node.id === 5)).toMatchObject({ mark: "cycle", size: 0 });
  });

  it("copes with a chain 5,000 deep and 5,000 nodes in one loop without recursing", () => {
    const chain = Array.from({ length: 5000 }, (_, i) => node(i + 1, `n${i}`, "up", i === 0 ? null : i));
    expect(buildForest(chain)[0].size).toBe(4999);
    const loop = Array.from({ length: 5000 }, (_, i) => node(i + 1, `n${i}`, "up", i === 0 ? 5000 : i));
    const roots = buildForest(loop);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ mark: "cycle", size: 4999 });
    expect(flattenForest(roots, new Map([[roots[0].node.id, true]])).length).toBe(2);
  });
});

describe("flattenForest", () => {
  const fleet = [
    node(1, "edge", "down"),
    node(2, "lb", "unreachable", 1),
    node(3, "api", "unreachable", 2),
    node(5, "core", "up"),
    node(6, "cache", "up", 5),
    node(8, "ops", "up"),
    node(9, "mon", "degraded", 8),
  ];

  it("expands the subtrees where something is failing and collapses those all up", () => {
    const rows = flattenForest(buildForest(fleet), new Map());
    expect(names(rows)).toEqual(["edge", "  lb", "    api", "ops", "  mon", "core"]);
    expect(rows.find((r) => r.item.node.name === "core")!.expanded).toBe(false);
    expect(rows.find((r) => r.item.node.name === "api")!.expanded).toBe(false);
  });

  it("follows the user's toggles over the default", () => {
    const rows = flattenForest(buildForest(fleet), new Map([[5, true], [1, false]]));
    expect(names(rows)).toEqual(["edge", "ops", "  mon", "core", "  cache"]);
  });

  it("with a match shows the matching nodes and their ancestors, expanded, and nothing else", () => {
    const rows = flattenForest(buildForest(fleet), new Map(), (n) => n.name === "cache" || n.name === "api");
    expect(names(rows)).toEqual(["edge", "  lb", "    api", "core", "  cache"]);
  });
});
