// A node made by heartbeats alone whose parent is a managed node (probed by the network service,
// or judged by it from its own heartbeats) follows that parent as it follows a heartbeat parent:
// judged again the moment the parent's status moves, without a heartbeat of its own. Unreachable
// (its own page folded into the parent's incident) while the parent is down; its own status again
// when the parent comes back.
import { afterEach, describe, expect, it } from "vitest";
import { personOf, probedCore } from "../test-support/core";
import { restartableTarget } from "./checks/test-servers";
import { nodeInputSchema } from "./definition";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const S = 1000;
const noc = personOf("noc");
const def = (input: unknown) => nodeInputSchema.parse(input);

const target = restartableTarget;

const targets: Awaited<ReturnType<typeof target>>[] = [];
const cores: { stop: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  for (const t of targets.splice(0)) await t.stop().catch(() => {});
});

function setup() {
  const t = probedCore({}, T0);
  const { core, timers, run } = t;
  cores.push({ stop: () => core.stopNetwork() });
  const node = (key: string) => core.networkSnapshot().nodes.find((n) => n.key === key)!;
  const status = (key: string) => node(key).status;
  const open = () =>
    core
      .incidentsSnapshot({ status: "all", limit: 100 })
      .incidents.filter((i) => i.status !== "resolved")
      .map((i) => i.entity)
      .sort();
  /** heartbeats for heartbeat nodes (or a managed node), at the clock's time */
  const send = (node: string, ok: boolean) => expect(core.ingestHeartbeats([{ node, ok, ...(ok ? { latency_ms: 5 } : { message: "agent: disk full" }) }], "test").rejected).toEqual([]);
  /** one second later, `fn` (heartbeats at the clock's time) */
  const step = async (fn: () => void) => {
    await timers.advance(S);
    fn();
  };
  return { ...t, timers, run, node, status, open, send, step };
}

describe("a heartbeat node whose parent is probed by the network service", () => {
  it("turns unreachable the moment its probed parent goes down (its own page folded in), and is judged again the moment the parent is back", async () => {
    const a = await target();
    targets.push(a);
    const { core, run, node, status, open, send } = setup();
    expect(core.createNode(def({ id: "edge", checks: [{ type: "http", url: a.url(), interval: "10s", timeout: "2s" }] }), noc).ok).toBe(true);
    // heartbeat nodes behind the probed router (as the demo fleet's definitions give them)
    core.registerNodes([
      { key: "srv-1", name: "Server 1", kind: "server", parent: "edge" },
      { key: "srv-2", name: "Server 2", kind: "server", parent: "edge" },
    ]);
    expect(node("srv-1").parent_id).toBe(node("edge").id);
    await core.startNetwork();
    send("srv-1", true);
    send("srv-2", true);
    await run(30 * S);
    expect(["edge", "srv-1", "srv-2"].map(status)).toEqual(["up", "up", "up"]);

    // srv-1 fails on its own account first: down, its own page
    for (let i = 0; i < 3; i++) {
      await run(S);
      send("srv-1", false);
    }
    expect(status("srv-1")).toBe("down");
    expect(open()).toEqual(["srv-1"]);

    // the router goes down: srv-1 is unreachable without a heartbeat of its own, one page
    await a.stop();
    await run(40 * S);
    expect(status("edge")).toBe("down");
    expect(status("srv-1")).toBe("unreachable");
    expect(open()).toEqual(["edge"]);
    const edgeIncident = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents.find((i) => i.entity === "edge")!;
    expect(edgeIncident.details!.unreachable).toEqual(["srv-1"]);
    // srv-2's heartbeats stop getting through: its failure is the router's
    send("srv-2", false);
    expect(status("srv-2")).toBe("unreachable");

    // the router is back: srv-1, failing since before it went down, is down again at once and
    // pages on its own; srv-2, which failed only while the router was down, waits for its own next heartbeat
    await a.start();
    await run(30 * S);
    expect(status("edge")).toBe("up");
    expect(status("srv-1")).toBe("down");
    expect(status("srv-2")).toBe("unreachable");
    expect(open()).toEqual(["srv-1"]);
    send("srv-2", true);
    expect(status("srv-2")).toBe("up");
    expect(open()).toEqual(["srv-1"]);
  });

  it("is judged again when its probed parent is paused (no longer down): not held unreachable by a parent that says nothing", async () => {
    const a = await target();
    targets.push(a);
    const { core, run, status, send } = setup();
    core.createNode(def({ id: "edge", checks: [{ type: "http", url: a.url(), interval: "10s", timeout: "2s" }] }), noc);
    core.registerNodes([{ key: "srv-1", name: "Server 1", kind: "server", parent: "edge" }]);
    await core.startNetwork();
    send("srv-1", true);
    await run(20 * S);
    for (let i = 0; i < 3; i++) {
      await run(S);
      send("srv-1", false);
    }
    await a.stop();
    await run(40 * S);
    expect([status("edge"), status("srv-1")]).toEqual(["down", "unreachable"]);
    expect(core.pauseNode("edge", true, noc).ok).toBe(true);
    expect(status("edge")).toBe("pending");
    // its own failures began before the router went down: down on its own account
    expect(status("srv-1")).toBe("down");
  });
});

describe("a heartbeat node whose parent is a managed node judged from its own heartbeats", () => {
  it("follows the parent's status the moment it moves, as under a heartbeat parent", async () => {
    const { core, status, open, send, step } = setup();
    // an API node with no probes: its heartbeats are judged by the network service
    expect(core.createNode(def({ id: "edge" }), noc).ok).toBe(true);
    core.registerNodes([{ key: "srv-1", name: "Server 1", kind: "server", parent: "edge" }]);
    await step(() => send("edge", true));
    await step(() => send("edge", true));
    await step(() => send("srv-1", true));
    expect([status("edge"), status("srv-1")]).toEqual(["up", "up"]);
    for (let i = 0; i < 3; i++) await step(() => send("srv-1", false));
    expect(status("srv-1")).toBe("down");
    for (let i = 0; i < 3; i++) await step(() => send("edge", false));
    expect(status("edge")).toBe("down");
    expect(status("srv-1")).toBe("unreachable");
    expect(open()).toEqual(["edge"]);
    await step(() => send("edge", true));
    await step(() => send("edge", true));
    expect(status("edge")).toBe("up");
    expect(status("srv-1")).toBe("down");
    expect(open()).toEqual(["srv-1"]);
  });
});

describe("a heartbeat node whose managed parent is deleted", () => {
  it("is judged again on its own at once: down when it was failing before its parent went down, not held unreachable by a node that no longer exists", async () => {
    const { core, status, open, send, node, step } = setup();
    expect(core.createNode(def({ id: "edge" }), noc).ok).toBe(true);
    core.registerNodes([{ key: "srv-1", name: "Server 1", kind: "server", parent: "edge" }]);
    await step(() => send("edge", true));
    await step(() => send("srv-1", true));
    for (let i = 0; i < 3; i++) await step(() => send("srv-1", false));
    for (let i = 0; i < 3; i++) await step(() => send("edge", false));
    expect([status("edge"), status("srv-1")]).toEqual(["down", "unreachable"]);
    expect(core.deleteNode("edge", noc).ok).toBe(true);
    expect(node("srv-1").parent_id ?? null).toBeNull();
    expect(status("srv-1")).toBe("down");
    expect(open()).toEqual(["srv-1"]);
  });
});

describe("deleting a parent that the other side of the network judges", () => {
  it("a heartbeat node under a probed parent made after start (never cached by the ingest) is judged again at once, not left unreachable", async () => {
    const { core, run, status, send, node } = setup();
    const t = await target();
    targets.push(t);
    expect(core.createNode(def({ id: "edge", checks: [{ type: "http", url: t.url(), interval: "10s", timeout: "2s" }] }), noc).ok).toBe(true);
    core.registerNodes([{ key: "srv-1", name: "Server 1", kind: "server", parent: "edge" }]);
    await core.startNetwork();
    send("srv-1", true);
    await run(20 * S);
    for (let i = 0; i < 3; i++) {
      await run(S);
      send("srv-1", false);
    }
    await t.stop();
    await run(40 * S);
    expect([status("edge"), status("srv-1")]).toEqual(["down", "unreachable"]);
    expect(core.deleteNode("edge", noc).ok).toBe(true);
    expect(node("srv-1").parent_id ?? null).toBeNull();
    expect(node("srv-1")).toMatchObject({ status: "down", reason: "agent: disk full" });
  });

  it("a managed node under a deleted heartbeat parent is judged again at once, its parent gone", async () => {
    const { core, status, send, node, step } = setup();
    await step(() => send("rtr", true));
    expect(core.createNode(def({ id: "edge", parent: "rtr" }), noc).ok).toBe(true);
    await step(() => send("edge", true));
    for (let i = 0; i < 3; i++) await step(() => send("edge", false));
    for (let i = 0; i < 3; i++) await step(() => send("rtr", false));
    expect([status("rtr"), status("edge")]).toEqual(["down", "unreachable"]);
    expect(core.deleteNode("rtr", noc).ok).toBe(true);
    expect(node("edge").parent_id ?? null).toBeNull();
    expect(core.probes.get(node("edge").id)?.parentId ?? null).toBeNull();
    expect(status("edge")).toBe("down");
  });

  it("a heartbeat node shown on its own account again when its parent comes back says what its own heartbeats said", async () => {
    const { core, status, send, node, step } = setup();
    expect(core.createNode(def({ id: "edge" }), noc).ok).toBe(true);
    core.registerNodes([{ key: "srv-1", name: "Server 1", kind: "server", parent: "edge" }]);
    await step(() => send("edge", true));
    await step(() => send("srv-1", true));
    for (let i = 0; i < 3; i++) await step(() => send("srv-1", false));
    for (let i = 0; i < 3; i++) await step(() => send("edge", false));
    expect(node("srv-1")).toMatchObject({ status: "unreachable", reason: "its parent is down" });
    await step(() => send("edge", true));
    await step(() => send("edge", true));
    expect(status("edge")).toBe("up");
    expect(node("srv-1")).toMatchObject({ status: "down", reason: "agent: disk full" });
  });
});
