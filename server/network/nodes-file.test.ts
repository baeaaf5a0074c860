// The nodes file applied to a running core: at start, on a change (through the injectable watch
// trigger), a bad file kept out, the API sent to the file for the nodes it defines.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { fakeTimers } from "../test-support/fake-timers";
import { nodeInputSchema, nodePatchSchema } from "./definition";
import { formatProblem } from "./config";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const noc = personOf("noc");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const FILE = `nodes:
  - id: edge-router-1
    tags: {site: fra1, tier: edge}
    checks:
      - {type: tcp, host: 127.0.0.1, port: 9, interval: 30s, timeout: 5s}
  - id: api-gateway-1
    parent: edge-router-1
    checks:
      - {type: http, url: "http://127.0.0.1:9/health", interval: 30s, timeout: 5s,
         failures_before_down: 3, successes_before_up: 2, latency_threshold_ms: 300}
`;

function setup(text: string | null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-nodes-"));
  dirs.push(dir);
  const file = path.join(dir, "vigil.yaml");
  if (text !== null) fs.writeFileSync(file, text);
  let changed: () => Promise<unknown> = async () => {};
  const timers = fakeTimers(T0);
  const t = testCore({ clock: timers, network: { timers, configFile: file, watchConfig: (_f, onChange) => ((changed = onChange), () => {}) } });
  /** writes the file and fires the watcher, as fs.watch would after the debounce; settles once applied */
  const write = async (next: string) => {
    fs.writeFileSync(file, next);
    await changed();
  };
  const nodes = () => t.core.networkSnapshot().nodes.map((n) => `${n.key}:${n.source}`);
  return { ...t, file, write, nodes };
}

describe("the nodes file on a running core", () => {
  it("defines its nodes at start, as config nodes with their checks running", async () => {
    const { core, nodes } = setup(FILE);
    await core.startNetwork();
    expect(nodes()).toEqual(["edge-router-1:config", "api-gateway-1:config"]);
    expect(core.probes.stats().checks).toBe(2);
    expect(core.nodesFileStatus()).toMatchObject({ nodes: 2, problems: [], changes: { created: 2, updated: 0, removed: 0, unchanged: 0 } });
    expect(core.access.audit.list({ limit: 5 }).map((e) => [e.actor.startsWith("config:"), e.action])).toEqual([
      [true, "node_created"],
      [true, "node_created"],
    ]);
    await core.stopNetwork();
  });

  it("keeps the running set when a changed file is bad, and says file:line and why", async () => {
    const { core, file, write, nodes } = setup(FILE);
    await core.startNetwork();
    await write(FILE.replace("port: 9,", "port: 9, colour: red,"));
    expect(nodes()).toEqual(["edge-router-1:config", "api-gateway-1:config"]);
    expect(core.probes.stats().checks).toBe(2);
    expect(core.nodesFileStatus().problems.map(formatProblem)).toEqual([`${file}:5:47: node edge-router-1, check 1: unknown setting "colour"`]);
    await write("nodes:\n  - id: a\n    checks: [ {type: http\n");
    expect(core.nodesFileStatus().problems.map(formatProblem)[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:1: `));
    expect(nodes()).toEqual(["edge-router-1:config", "api-gateway-1:config"]);
    // a file that goes missing (an editor's rename) removes nothing either
    fs.rmSync(file);
    expect((await core.reloadNodesFile()).problems[0].message).toMatch(/the file is missing; the 2 node\(s\) it defined keep running/);
    expect(nodes()).toHaveLength(2);
    await core.stopNetwork();
  });

  it("applies a good change: adds, changes and removes nodes, leaves unchanged ones running", async () => {
    const { core, write, nodes } = setup(FILE);
    await core.startNetwork();
    const edge = core.probes.getByKey("edge-router-1")!;
    await write(FILE.replace(/  - id: api-gateway-1[\s\S]*$/, "  - id: dns-1\n    checks: [{type: dns, name: example.org, server: 127.0.0.1}]\n").replace("interval: 30s, timeout: 5s}", "interval: 30s, timeout: 5s}"));
    expect(core.nodesFileStatus()).toMatchObject({ problems: [], changes: { created: 1, updated: 0, removed: 1, unchanged: 1 } });
    expect(nodes()).toEqual(["edge-router-1:config", "dns-1:config"]);
    // the unchanged node is the same object: not reinstalled, its state and schedule untouched
    expect(core.probes.getByKey("edge-router-1")).toBe(edge);
    await write(FILE.replace(/  - id: api-gateway-1[\s\S]*$/, "").replace("interval: 30s", "interval: 1m"));
    expect(core.nodesFileStatus().changes).toEqual({ created: 0, updated: 1, removed: 1, unchanged: 0 });
    expect(core.probes.getByKey("edge-router-1")!.checks[0].spec.interval_ms).toBe(60_000);
    await core.stopNetwork();
  });

  it("wins over the API: takes over a node the API made, and refuses API edits of its nodes with a 409 naming the file and line", async () => {
    const { core, file, nodes } = setup(null);
    const made = core.createNode(nodeInputSchema.parse({ id: "api-gateway-1", tags: { owner: "payments" } }), noc);
    const id = made.ok ? made.value.node.id : 0;
    await core.startNetwork();
    expect(core.nodesFileStatus()).toMatchObject({ problems: [], nodes: 0 });
    fs.writeFileSync(file, FILE);
    await core.reloadNodesFile();
    expect(nodes()).toEqual(["api-gateway-1:config", "edge-router-1:config"]);
    expect(core.probes.getByKey("api-gateway-1")!.id).toBe(id);
    expect(core.access.audit.list({ limit: 10 }).map((e) => e.action)).toContain("node_taken_over");
    const edit = core.updateNode(id, nodePatchSchema.parse({ tags: { site: "x" } }), noc);
    expect(edit).toEqual({ ok: false, code: "conflict", message: `node api-gateway-1 is defined in ${file} line 6: edit it there (the file wins over the API; pause and resume work on any node)` });
    expect(core.deleteNode(id, noc)).toMatchObject({ ok: false, code: "conflict" });
    expect(core.pauseNode(id, true, noc).ok).toBe(true);
    await core.stopNetwork();
  });

  it("wants a push check's token in the file unless Vigil already holds one (an exported file)", async () => {
    const push = "nodes:\n  - id: nightly\n    checks: [{type: push, interval: 1d}]\n";
    const { core, write, nodes } = setup(push);
    await core.startNetwork();
    expect(nodes()).toEqual([]);
    expect(core.nodesFileStatus().problems[0].message).toMatch(/node nightly: push check push needs a token/);
    await write(push.replace("interval: 1d", "interval: 1d, token: nightly-backup-token-0001"));
    expect(nodes()).toEqual(["nightly:config"]);
    expect(core.recordPush("nightly-backup-token-0001")).toEqual({ node: "nightly", check: "push" });
    // the export leaves the token out; read back, the node keeps the token it has
    await write(core.exportNodes());
    expect(core.nodesFileStatus()).toMatchObject({ problems: [], changes: { unchanged: 1 } });
    expect(core.recordPush("nightly-backup-token-0001")).toEqual({ node: "nightly", check: "push" });
    await core.stopNetwork();
  });
});
