// registerNodes (the demo fleet's definitions): a parent must be a node of the set or one that
// exists, as the nodes file and /api/v1/nodes require; a set that names any other is refused
// whole, saying which node and which parent, and changes nothing.
import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { nodeInputSchema } from "./definition";

const keys = (core: ReturnType<typeof testCore>["core"]) => core.networkSnapshot().nodes.map((n) => n.key).sort();

describe("registerNodes", () => {
  it("refuses a set with an unknown parent, naming the node and the parent, and registers none of it", () => {
    const { core } = testCore();
    expect(() =>
      core.registerNodes([
        { key: "rtr", name: "Router", kind: "router" },
        { key: "srv-1", name: "Server 1", kind: "server", parent: "rtr-typo" },
      ]),
    ).toThrow("nodes not registered: node srv-1: parent: no node rtr-typo");
    expect(keys(core)).toEqual([]);
  });

  it("refuses a node its own parent and parents in a loop (in the set, or through the stored tree)", () => {
    const { core } = testCore();
    expect(() => core.registerNodes([{ key: "a", name: "A", kind: "server", parent: "A" }])).toThrow("node a: parent: a node cannot be its own parent");
    expect(() =>
      core.registerNodes([
        { key: "a", name: "A", kind: "server", parent: "b" },
        { key: "b", name: "B", kind: "server", parent: "a" },
      ]),
    ).toThrow(/^nodes not registered: node a: parent: parents form a loop: a → b → a$/);
    core.registerNodes([
      { key: "top", name: "Top", kind: "router" },
      { key: "mid", name: "Mid", kind: "router", parent: "top" },
    ]);
    expect(() => core.registerNodes([{ key: "top", name: "Top", kind: "router", parent: "mid" }])).toThrow("node top: parent: parents form a loop: top → mid → top");
    expect(core.networkSnapshot().nodes.find((n) => n.key === "top")!.parent_id).toBeNull();
  });

  it("takes a parent defined later in the same set, an existing node (heartbeat, or one made over the API), any case", () => {
    const { core } = testCore();
    core.ingestHeartbeats([{ node: "hb-rtr", ok: true }], "test");
    core.createNode(nodeInputSchema.parse({ id: "api-gw" }), personOf("noc"));
    core.registerNodes([
      { key: "leaf", name: "Leaf", kind: "server", parent: "Mid" },
      { key: "Mid", name: "Mid", kind: "switch", parent: "hb-rtr" },
      { key: "other", name: "Other", kind: "server", parent: "api-gw" },
    ]);
    const byKey = new Map(core.networkSnapshot().nodes.map((n) => [n.key, n]));
    expect(byKey.get("leaf")!.parent_id).toBe(byKey.get("mid")!.id);
    expect(byKey.get("mid")!.parent_id).toBe(byKey.get("hb-rtr")!.id);
    expect(byKey.get("other")!.parent_id).toBe(byKey.get("api-gw")!.id);
  });
});
