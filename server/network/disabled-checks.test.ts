// A check that is disabled or removed (PATCH /api/v1/nodes/:id, as the node page's check editor
// sends it) no longer speaks for its node: a node flapping or down only because of that check is
// judged again at once from the checks it still runs, against real local HTTP targets.
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { personOf, probedCore } from "../test-support/core";
import { listen } from "./checks/test-servers";
import { nodeInputSchema, nodePatchSchema } from "./definition";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const S = 1000;
const noc = personOf("noc");
const def = (input: unknown) => nodeInputSchema.parse(input);
const patch = (input: unknown) => nodePatchSchema.parse(input);

/** A target whose /flappy answers 200 and 500 in turn, /broken always 500, anything else 200. */
async function target() {
  let flips = 0;
  const server = http.createServer((req, res) => {
    if (req.url === "/flappy") res.statusCode = flips++ % 2 === 0 ? 200 : 500;
    else if (req.url === "/broken") res.statusCode = 500;
    res.end("ok");
  });
  const { port, close } = await listen(server);
  return { url: (path: string) => `http://127.0.0.1:${port}${path}`, stop: close };
}

const targets: Awaited<ReturnType<typeof target>>[] = [];
const cores: { stop: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  for (const t of targets.splice(0)) await t.stop().catch(() => {});
});

async function setup() {
  const a = await target();
  targets.push(a);
  const t = probedCore({}, T0);
  const { core, timers, run } = t;
  cores.push({ stop: () => core.stopNetwork() });
  /** the node as stored and announced (its row), not only the service's memory */
  const node = (key: string) => core.networkSnapshot().nodes.find((n) => n.key === key)!;
  const history = (id: number) =>
    t.handle.sqlite.prepare<[number], { at: number; status: string; reason: string | null }>("SELECT at, status, reason FROM node_status_changes WHERE node_id = ? ORDER BY at").all(id);
  const check = (id: string, path: string) => ({ id, type: "http", url: a.url(path), interval: "10s", timeout: "2s", failures_before_down: 1, successes_before_up: 1 });
  return { ...t, timers, run, node, history, check };
}

describe("a check disabled or removed", () => {
  it("that was flapping: the node stops flapping at once and shows what its enabled checks say", async () => {
    const { core, run, node, history, check, drain, timers } = await setup();
    const made = core.createNode(def({ id: "gw", checks: [check("flappy", "/flappy"), check("steady", "/steady")] }), noc);
    if (!made.ok) throw new Error(made.message);
    const id = made.value.node.id;
    await core.startNetwork();
    await run(200 * S);
    expect(node("gw").status).toBe("flapping");

    // the node page sends its checks back with the flapping one disabled
    const view = core.node(id, { checks: 1 })!.definition!;
    drain("network");
    const r = core.updateNode(id, patch({ checks: view.checks.map((c) => (c.id === "flappy" ? { ...c, enabled: false } : c)), version: view.version }), noc);
    if (!r.ok) throw new Error(r.message);
    const disabledAt = timers.now();
    expect(node("gw")).toMatchObject({ status: "up", since: disabledAt });
    expect(core.probes.get(id)!.state.flap.flapping).toBe(false);
    expect(Object.keys(core.probes.get(id)!.state.checks)).toEqual(["steady"]);
    expect(history(id).at(-1)).toMatchObject({ at: disabledAt, status: "up" });
    expect(drain("network")).toContainEqual({ type: "node", node: expect.objectContaining({ id, status: "up" }) });
    // and it stays so: the steady check's results do not bring the disabled one's history back
    await run(60 * S);
    expect(node("gw").status).toBe("up");
    expect(core.probes.stats().checks).toBe(1);
  });

  it("that was flapping and is removed from the definition: the node shows its remaining check's status at once, not pending until its next result", async () => {
    const { core, run, node, check, history, timers } = await setup();
    const made = core.createNode(def({ id: "gw", checks: [check("flappy", "/flappy"), check("steady", "/steady")] }), noc);
    if (!made.ok) throw new Error(made.message);
    const id = made.value.node.id;
    await core.startNetwork();
    await run(200 * S);
    expect(node("gw").status).toBe("flapping");
    const removedAt = timers.now();
    const view = core.node(id, { checks: 1 })!.definition!;
    const r = core.updateNode(id, patch({ checks: view.checks.filter((c) => c.id !== "flappy") }), noc);
    if (!r.ok) throw new Error(r.message);
    expect(node("gw").status).toBe("up");
    // the steady check's runs were kept: flapping → up at once, never a fresh pending in between
    await run(10 * S);
    expect(node("gw").status).toBe("up");
    expect(history(id).filter((h) => h.at >= removedAt).map((h) => h.status)).toEqual(["up"]);
  });

  it("that took its node down: the node is up at once from its other check, and its node_down is resolved", async () => {
    const { core, run, node, check, timers } = await setup();
    const made = core.createNode(def({ id: "gw", checks: [check("broken", "/broken"), check("steady", "/steady")] }), noc);
    if (!made.ok) throw new Error(made.message);
    const id = made.value.node.id;
    await core.startNetwork();
    await run(30 * S);
    expect(node("gw").status).toBe("down");
    const [down] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(down).toMatchObject({ rule: "node_down", entity: "gw" });
    const view = core.node(id, { checks: 1 })!.definition!;
    const r = core.updateNode(id, patch({ checks: view.checks.map((c) => (c.id === "broken" ? { ...c, enabled: false } : c)) }), noc);
    if (!r.ok) throw new Error(r.message);
    expect(node("gw")).toMatchObject({ status: "up", since: timers.now() });
    expect(core.incident(down.id)!.incident).toMatchObject({ status: "resolved", resolved_at: timers.now() });
    // enabled again, it starts from nothing: its old failures do not count (three needed, one run)
    const again = core.updateNode(id, patch({ checks: view.checks.map((c) => (c.id === "broken" ? { ...c, failures_before_down: 3 } : c)) }), noc);
    if (!again.ok) throw new Error(again.message);
    expect(node("gw").status).toBe("up");
    await run(10 * S);
    expect(node("gw").status).not.toBe("down");
  });
});
