// Nodes over the API (as the routes call the core): who may, what is audited, what each change
// does to the running service; push checks; the export.
import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { fakeTimers } from "../test-support/fake-timers";
import { nodeInputSchema, nodePatchSchema } from "./definition";
import { parseConfig } from "./config";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const def = (input: unknown) => nodeInputSchema.parse(input);
const patch = (input: unknown) => nodePatchSchema.parse(input);
const noc = personOf("noc");

function setup() {
  const timers = fakeTimers(T0);
  const t = testCore({ clock: timers, network: { timers, configFile: null, watchConfig: false } });
  const audit = () => t.core.access.audit.list({ limit: 50 }).reverse();
  return { ...t, timers, audit };
}

const tcp = { type: "tcp", host: "127.0.0.1", port: 9, interval: "30s", timeout: "1s" };

describe("nodes over the API", () => {
  it("needs nodes:manage (noc, admin): others are refused and nothing is written", () => {
    const { core, audit } = setup();
    for (const role of ["viewer", "analyst", "oncall"] as const) {
      expect(core.createNode(def({ id: `n-${role}` }), personOf(role))).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(core.networkSnapshot().nodes).toEqual([]);
    expect(audit()).toEqual([]);
    expect(core.createNode(def({ id: "a" }), personOf("admin")).ok).toBe(true);
    expect(core.createNode(def({ id: "b" }), noc).ok).toBe(true);
  });

  it("creates a node with its checks, audited with secrets left out, announced, and scheduled", () => {
    const { core, audit, drain } = setup();
    const r = core.createNode(
      def({ id: "Gateway-1", name: "Gateway 1", tags: { site: "fra1", tier: "edge" }, checks: [{ type: "http", url: "https://gw.example/health", headers: { authorization: "Bearer s3cret" } }, tcp] }),
      noc,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.value.node).toMatchObject({ key: "gateway-1", name: "Gateway 1", status: "pending", source: "api", tags: { site: "fra1", tier: "edge" }, paused: false });
    expect(r.value.definition.checks).toEqual([
      { id: "http", type: "http", url: "https://gw.example/health", headers: { authorization: "[redacted]" } },
      { id: "tcp", ...tcp },
    ]);
    const [entry] = audit();
    expect(entry).toMatchObject({ actor: "noc@vigil.test", action: "node_created", target: "node gateway-1", before: null });
    expect(JSON.stringify(entry)).not.toContain("s3cret");
    expect(drain("network")).toMatchObject([{ type: "node", node: { key: "gateway-1", source: "api" } }]);
    expect(core.probes.stats().checks).toBe(2);
    expect(core.createNode(def({ id: "gateway-1" }), noc)).toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/already exists .*PATCH \/api\/v1\/nodes\/\d+/) });
  });

  it("patches threshold, interval, parent, tags and checks; refuses a parent that makes a loop", () => {
    const { core, audit } = setup();
    core.createNode(def({ id: "core-1" }), noc);
    const made = core.createNode(def({ id: "edge-1", parent: "core-1", checks: [tcp] }), noc);
    if (!made.ok) throw new Error(made.message);
    const id = made.value.node.id;
    const r = core.updateNode(id, patch({ latency_threshold_ms: 250, interval: "15s", tags: { site: "ams2" }, parent: null }), noc);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.definition).toMatchObject({ id: "edge-1", latency_threshold_ms: 250, tags: { site: "ams2" }, checks: [{ id: "tcp", interval: "15s" }] });
    expect(r.value.definition).not.toHaveProperty("parent");
    const live = core.probes.get(id)!;
    expect(live.checks[0].spec.interval_ms).toBe(15_000);
    expect(live.policy.checks?.tcp.latency_threshold_ms).toBe(250);
    expect(audit().at(-1)).toMatchObject({ action: "node_updated", before: { parent: "core-1" }, after: { latency_threshold_ms: 250 } });

    // by key too; the checks list is replaced
    const again = core.updateNode("edge-1", patch({ checks: [{ type: "dns", name: "example.org", id: "resolver" }] }), noc);
    expect(again.ok && again.value.definition.checks).toEqual([{ id: "resolver", type: "dns", name: "example.org" }]);
    expect(core.probes.get(id)!.checks.map((c) => c.schedId)).toEqual(["edge-1/resolver"]);

    core.updateNode("core-1", patch({ parent: "edge-1" }), noc);
    expect(core.updateNode("edge-1", patch({ parent: "core-1" }), noc)).toMatchObject({ ok: false, code: "invalid", message: "parent: core-1 is edge-1's own descendant" });
    expect(core.updateNode("edge-1", patch({ parent: "nowhere" }), noc)).toMatchObject({ ok: false, code: "invalid", message: "parent: no node nowhere" });
    expect(core.updateNode(999, patch({ tags: {} }), noc)).toMatchObject({ ok: false, code: "not_found" });
  });

  it("gives a node made by its heartbeats a threshold: it becomes an API node judged by the status machine", () => {
    const { core, timers } = setup();
    core.ingestHeartbeats([{ node: "pos-7", ok: true, latency_ms: 40 }], "api");
    const id = core.networkSnapshot().nodes[0].id;
    const r = core.updateNode(id, patch({ latency_threshold_ms: 100 }), noc);
    expect(r.ok && r.value.node).toMatchObject({ source: "api" });
    const now = timers.now();
    core.ingestHeartbeats([1, 2, 3].map((i) => ({ node: "pos-7", ok: true, latency_ms: 400, time: now + i })), "api");
    expect(core.probes.get(id)!.state).toMatchObject({ status: "degraded", reason: expect.stringMatching(/latency p95 400 ms over 100 ms/) });
    expect(core.networkSnapshot().nodes[0]).toMatchObject({ status: "degraded", since: now + 1 });
  });

  it("pauses (no checks, heartbeats kept but not judged, status pending) and resumes", () => {
    const { core, audit, handle, timers } = setup();
    const made = core.createNode(def({ id: "sw-1", checks: [tcp] }), noc);
    const id = made.ok ? made.value.node.id : 0;
    const r = core.pauseNode(id, true, noc);
    expect(r.ok && r.value.node).toMatchObject({ paused: true, status: "pending", reason: "paused" });
    expect(core.probes.stats().checks).toBe(0);
    core.ingestHeartbeats([{ node: "sw-1", ok: false, time: timers.now() }], "api");
    expect(handle.sqlite.prepare(`SELECT count(*) AS n FROM heartbeats WHERE node_id = ?`).get(id)).toEqual({ n: 1 });
    expect(core.networkSnapshot().nodes[0]).toMatchObject({ status: "pending", paused: true });
    expect(core.pauseNode("sw-1", false, personOf("viewer"))).toMatchObject({ ok: false, code: "forbidden" });
    const resumed = core.pauseNode("sw-1", false, noc);
    expect(resumed.ok && resumed.value.node).toMatchObject({ paused: false, reason: null });
    expect(core.probes.stats().checks).toBe(1);
    expect(audit().map((e) => e.action)).toEqual(["node_created", "node_paused", "node_resumed"]);
  });

  it("deletes a node with its checks and history, resolves its incident, frees its children and its key", () => {
    const { core, audit, handle, drain, timers } = setup();
    core.createNode(def({ id: "rtr" }), noc);
    core.createNode(def({ id: "leaf", parent: "rtr" }), noc);
    const t = timers.now();
    core.ingestHeartbeats([1, 2, 3].map((i) => ({ node: "rtr", ok: false, time: t + i })), "api");
    expect(core.incidentsSnapshot({ status: "active", limit: 10 }).incidents).toMatchObject([{ rule: "node_down", entity: "rtr" }]);
    const id = core.probes.getByKey("rtr")!.id;
    drain("network");
    const r = core.deleteNode("rtr", noc);
    expect(r).toEqual({ ok: true, value: { id, key: "rtr" } });
    expect(drain("network")).toContainEqual({ type: "node_removed", node_id: id });
    expect(core.networkSnapshot().nodes.map((n) => [n.key, n.parent_id])).toEqual([["leaf", null]]);
    expect(core.probes.getByKey("leaf")!.parentId).toBeNull();
    expect(handle.sqlite.prepare(`SELECT count(*) AS n FROM heartbeats WHERE node_id = ?`).get(id)).toEqual({ n: 0 });
    expect(core.incidentsSnapshot({ status: "active", limit: 10 }).incidents).toEqual([]);
    expect(audit().at(-1)).toMatchObject({ action: "node_deleted", target: "node rtr", after: null });
    // the key is free: its next heartbeat makes a new heartbeat node
    core.ingestHeartbeats([{ node: "rtr", ok: true }], "api");
    expect(core.networkSnapshot().nodes.find((n) => n.key === "rtr")).toMatchObject({ source: "heartbeat" });
    expect(core.deleteNode("nope", noc)).toMatchObject({ ok: false, code: "not_found" });
  });

  it("push checks: the token is shown once, a push records a result, an unknown or paused token is refused", async () => {
    const { core, timers, handle } = setup();
    const r = core.createNode(def({ id: "backup-job", checks: [{ type: "push", interval: "1h", grace: "5m" }] }), noc);
    if (!r.ok) throw new Error(r.message);
    const [{ check, token, url }] = r.value.push_tokens;
    expect(check).toBe("push");
    expect(url).toBe(`/api/v1/push/${token}`);
    expect(JSON.stringify(r.value.definition)).not.toContain(token);
    expect(handle.sqlite.prepare(`SELECT push_token_hash FROM checks`).get()).not.toEqual({ push_token_hash: token });
    await core.startNetwork();
    expect(core.recordPush(token, { ok: true, latency_ms: 12 })).toEqual({ node: "backup-job", check: "push" });
    expect(core.probes.getByKey("backup-job")!.state.status).toBe("up");
    expect(core.recordPush("x".repeat(43))).toBeNull();
    // no push for interval + grace, three times: down
    await timers.advance(3 * 3_600_000 + 300_000);
    expect(core.probes.getByKey("backup-job")!.state.status).toBe("down");
    core.pauseNode("backup-job", true, noc);
    expect(core.recordPush(token)).toBeNull();
    await core.stopNetwork();
  });

  it("the node page reads checks and windows as written, secrets redacted; sent back redacted, the stored secrets stay", () => {
    const { core, handle } = setup();
    const sqlite = handle.sqlite;
    const http = { type: "http", url: "https://gw.example/health", headers: { authorization: "Bearer s3cret", "x-tenant": "bank" }, body: "{\"probe\":1}", method: "POST", keyword: "ok" };
    const window = { start: "2026-11-21T22:00:00Z", end: "2026-11-21T23:00:00Z", reason: "router swap" };
    const made = core.createNode(def({ id: "gw", checks: [http, tcp], maintenance: [window] }), noc);
    if (!made.ok) throw new Error(made.message);
    const id = made.value.node.id;
    const view = core.node(id, { checks: 10 })!.definition!;
    expect(view).toEqual({
      checks: [
        { id: "http", ...http, headers: { authorization: "[redacted]", "x-tenant": "[redacted]" }, body: "[redacted]" },
        { id: "tcp", ...tcp },
      ],
      maintenance: [window],
      version: 1,
    });
    expect(JSON.stringify(view)).not.toContain("s3cret");

    // the page sends the list back with one check changed and the other disabled: the secrets are the stored ones
    const r = core.updateNode(id, patch({ checks: [{ ...view.checks[0], keyword: "healthy", headers: { ...(view.checks[0].headers as object), "x-extra": "1" } }, { ...view.checks[1], enabled: false }] }), noc);
    if (!r.ok) throw new Error(r.message);
    const stored = sqlite.prepare("SELECT spec, enabled FROM checks WHERE node_id = ? ORDER BY id").all(id) as { spec: string; enabled: number }[];
    expect(JSON.parse(stored[0].spec)).toMatchObject({ keyword: "healthy", headers: { authorization: "Bearer s3cret", "x-tenant": "bank", "x-extra": "1" }, body: '{"probe":1}' });
    expect(stored[1].enabled).toBe(0);
    expect(core.probes.get(id)!.checks.map((c) => [c.name, c.enabled])).toEqual([["http", true], ["tcp", false]]);

    // a placeholder with nothing stored behind it is refused, naming the check and the field
    expect(core.updateNode(id, patch({ checks: [{ ...view.checks[0], id: "new-http" }] }), noc)).toMatchObject({
      ok: false,
      code: "invalid",
      message: 'checks.0.headers: authorization is "[redacted]" but no value is stored for it: give the value',
    });
    expect(core.updateNode(id, patch({ checks: [{ type: "http", id: "http", url: "https://gw.example/", body: "[redacted]" }, tcp] }), noc)).toMatchObject({ ok: true });
  });

  it("hides the password of a check URL's user info from every reader (definition, check summary, audit) and keeps it when the URL comes back redacted", () => {
    const { core, handle } = setup();
    const http = { type: "http", url: "https://mon:s3cret@gw.example/health?x=1", keyword: "ok" };
    const made = core.createNode(def({ id: "gw", checks: [http] }), noc);
    if (!made.ok) throw new Error(made.message);
    const id = made.value.node.id;
    const detail = core.node(id, { checks: 10 })!;
    expect(detail.definition!.checks[0].url).toBe("https://mon:[redacted]@gw.example/health?x=1");
    expect(JSON.stringify(detail)).not.toContain("s3cret");
    const audit = handle.sqlite.prepare("SELECT * FROM audit_log").all();
    expect(JSON.stringify(audit)).not.toContain("s3cret");
    // sent back as read, with another setting changed: the stored password stays
    expect(core.updateNode(id, patch({ checks: [{ ...detail.definition!.checks[0], keyword: "healthy" }] }), noc)).toMatchObject({ ok: true });
    const spec = JSON.parse((handle.sqlite.prepare("SELECT spec FROM checks WHERE node_id = ?").get(id) as { spec: string }).spec);
    expect(spec).toMatchObject({ url: "https://mon:s3cret@gw.example/health?x=1", keyword: "healthy" });
    // a redacted password with another URL behind it is refused, naming the field
    expect(core.updateNode(id, patch({ checks: [{ ...detail.definition!.checks[0], url: "https://mon:[redacted]@other.example/" }] }), noc)).toMatchObject({ ok: false, message: expect.stringMatching(/^checks\.0\.url: its password is "\[redacted\]"/) });
  });

  it("a node made by heartbeats has no checks or windows yet (the page offers to add them)", () => {
    const { core } = setup();
    core.ingestHeartbeats([{ node: "sensor-9", ok: true }], "api");
    const id = core.networkSnapshot().nodes[0].id;
    expect(core.node(id, { checks: 10 })!.definition).toEqual({ checks: [], maintenance: [], version: 1 });
  });

  it("exports every node as a nodes file that reads back", () => {
    const { core } = setup();
    core.ingestHeartbeats([{ node: "sensor-9", ok: true }], "api");
    core.createNode(def({ id: "edge", tags: { site: "fra1" }, checks: [tcp] }), noc);
    core.createNode(def({ id: "app", parent: "edge", latency_threshold_ms: 300, maintenance: [{ days: ["sun"], start: "03:00", duration: "1h", tz: "UTC" }] }), noc);
    const text = core.exportNodes();
    expect(text).toContain("# defined by its heartbeats\n  - id: sensor-9");
    const back = parseConfig(text, "export.yaml");
    if (!back.ok) throw new Error(JSON.stringify(back.problems));
    expect(back.nodes.map((n) => n.spec)).toMatchObject([
      { key: "sensor-9" },
      { key: "edge", tags: { site: "fra1" }, checks: [{ name: "tcp", spec: { port: 9 } }] },
      { key: "app", parent: "edge", latency_threshold_ms: 300, maintenance: [{ window: { kind: "recurring" } }] },
    ]);
  });
});
