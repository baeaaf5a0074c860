import { describe, expect, it } from "vitest";
import type { NodeStatus, NodeTileView } from "@/lib/contracts/network";
import { compareTiles } from "@/lib/live/apply-network";
import { emptyCounts, gridRows, groupNodes, parseGroupBy, tagKeys } from "./grouping";

let nextId = 1;
function tile(name: string, status: NodeStatus, tags: Record<string, string> = {}, parent_id: number | null = null): NodeTileView {
  const id = nextId++;
  return { id, key: name, name, kind: "server", parent_id, critical: false, status, last_latency_ms: 1, last_check_at: 0, tags, spark: [] };
}
const counts = (partial: Partial<ReturnType<typeof emptyCounts>>) => ({ ...emptyCounts(), ...partial });

describe("groupNodes", () => {
  const nodes = [
    tile("a", "up", { site: "fra1" }),
    tile("b", "down", { site: "ams2" }),
    tile("c", "unreachable", { site: "ams2" }),
    tile("d", "degraded", { site: "fra1" }),
    tile("e", "up", {}),
    tile("f", "up", { site: "" }),
    tile("g", "maintenance", { site: "lon3" }),
    tile("h", "up", { site: "fra1" }),
  ].sort(compareTiles);

  it("counts every node once, by status, under its tag value; nodes without the tag (or with it empty) form one group", () => {
    const groups = groupNodes(nodes, "site");
    const by = new Map(groups.map((g) => [g.value, g]));
    expect(by.get("fra1")).toMatchObject({ total: 3, counts: counts({ up: 2, degraded: 1 }) });
    expect(by.get("ams2")).toMatchObject({ total: 2, counts: counts({ down: 1, unreachable: 1 }) });
    expect(by.get("lon3")).toMatchObject({ total: 1, counts: counts({ maintenance: 1 }) });
    expect(by.get(null)).toMatchObject({ id: "", total: 2, counts: counts({ up: 2 }) });
    expect(groups.reduce((sum, g) => sum + g.total, 0)).toBe(nodes.length);
  });

  it("puts the worst groups first (most down, then unreachable … maintenance), the untagged after the tagged, then by value", () => {
    expect(groupNodes(nodes, "site").map((g) => g.value)).toEqual(["ams2", "fra1", "lon3", null]);
    // two down beat one down whatever else the group holds
    const more = [...nodes, tile("i", "down", { site: "lon3" }), tile("j", "down", { site: "lon3" })].sort(compareTiles);
    expect(groupNodes(more, "site")[0].value).toBe("lon3");
    // all up: by value, untagged last
    const calm = [tile("x", "up", { site: "b" }), tile("y", "up", {}), tile("z", "up", { site: "a" })];
    expect(groupNodes(calm, "site").map((g) => g.value)).toEqual(["a", "b", null]);
  });

  it("keeps the given (worst first) order of nodes inside a group", () => {
    const fra1 = groupNodes(nodes, "site").find((g) => g.value === "fra1")!;
    expect(fra1.nodes.map((n) => n.name)).toEqual(["d", "a", "h"]);
  });

  it("takes the server's counts over every node where it gave them, and adds groups with no loaded node", () => {
    const server = new Map<string | null, ReturnType<typeof emptyCounts>>([
      ["fra1", counts({ up: 900, degraded: 1 })],
      ["par9", counts({ up: 40 })],
    ]);
    const groups = groupNodes(nodes, "site", server);
    const by = new Map(groups.map((g) => [g.value, g]));
    expect(by.get("fra1")).toMatchObject({ total: 901, counts: counts({ up: 900, degraded: 1 }) });
    expect(by.get("fra1")!.nodes).toHaveLength(3);
    expect(by.get("par9")).toMatchObject({ total: 40, nodes: [] });
    expect(by.get("ams2")!.total).toBe(2);
  });
});

describe("gridRows", () => {
  const nodes = Array.from({ length: 7 }, (_, i) => tile(`n${i}`, "up", { site: i < 5 ? "fra1" : "ams2" }));

  it("without groups lays the tiles out `columns` a row", () => {
    const rows = gridRows(nodes, null, 3, new Set());
    expect(rows.map((r) => (r.kind === "tiles" ? r.nodes.length : 0))).toEqual([3, 3, 1]);
  });

  it("with groups puts each group's header before its rows, and a collapsed group keeps only its header", () => {
    const groups = groupNodes(nodes, "site");
    const open = gridRows(nodes, groups, 2, new Set());
    expect(open.map((r) => (r.kind === "header" ? `h ${r.group.value}` : `${r.nodes.length}`))).toEqual(["h ams2", "2", "h fra1", "2", "2", "1"]);
    const closed = gridRows(nodes, groups, 2, new Set(["fra1"]));
    expect(closed.map((r) => (r.kind === "header" ? `h ${r.group.value}${r.collapsed ? " closed" : ""}` : `${r.nodes.length}`))).toEqual(["h ams2", "2", "h fra1 closed"]);
    expect(new Set(open.map((r) => r.key)).size).toBe(open.length);
  });
});

describe("group keys", () => {
  it("offers site, tier, owner, service first, then every other tag key present", () => {
    expect(tagKeys([tile("a", "up", { rack: "r1", site: "x" }), tile("b", "up", { env: "prod" })])).toEqual(["site", "tier", "owner", "service", "env", "rack"]);
  });
  it("accepts a tag name from the URL and nothing else", () => {
    expect(parseGroupBy("site")).toBe("site");
    expect(parseGroupBy("Site")).toBeNull();
    expect(parseGroupBy('site"]')).toBeNull();
    expect(parseGroupBy("")).toBeNull();
    expect(parseGroupBy(null)).toBeNull();
  });
});
