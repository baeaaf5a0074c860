import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { HOST, ORIGIN, signedIn } from "../test-support/people";
import { setCore } from "../registry";
import type { RouteHandler } from "./route";

// The node management and push routes over HTTP: bodies parsed strictly, answers and failures in
// their documented shapes (201 with push tokens, 409 naming the reason, YAML for the export).
const root = path.resolve(import.meta.dirname, "..", "..");
const { core, clock } = testCore({ network: { configFile: null, watchConfig: false } });
let cookie = "";
let otherNoc = "";

beforeAll(async () => {
  setCore(core);
  cookie = (await signedIn(core, "noc@bank.test", "noc")).cookie;
  otherNoc = (await signedIn(core, "noc2@bank.test", "noc")).cookie;
  await core.startNetwork();
});
afterAll(async () => {
  await core.stopNetwork();
  setCore(undefined);
});

async function call(route: string, method: string, url: string, params: Record<string, string> = {}, body?: unknown, session: boolean | string = true) {
  const handler = (await import(path.join(root, "app/api/v1", route, "route.ts")))[method] as RouteHandler;
  const headers: Record<string, string> = { host: HOST, "x-vigil-remote-addr": "192.0.2.10", ...(session ? { cookie: typeof session === "string" ? session : cookie, origin: ORIGIN } : {}) };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await handler(new Request(`http://${HOST}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

describe("node routes", () => {
  it("POST /api/v1/nodes creates (201) and answers the push URL once; a bad body is 400 naming the field", async () => {
    const made = await call("nodes", "POST", "/api/v1/nodes", {}, { id: "cron-box", tags: { owner: "ops" }, checks: [{ type: "push", interval: "5m" }] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ node: { key: "cron-box", source: "api", tags: { owner: "ops" } }, definition: { id: "cron-box", checks: [{ id: "push", type: "push", interval: "5m" }] } });
    const [{ token, url }] = made.body.push_tokens;
    expect(url).toBe(`/api/v1/push/${token}`);

    const pushed = await call("push/[token]", "GET", `/api/v1/push/${token}?status=down&msg=disk%20full&ping=12`, { token }, undefined, false);
    expect(pushed).toMatchObject({ status: 200, body: { ok: true, node: "cron-box", check: "push" } });
    const detail = await call("nodes/[id]", "GET", `/api/v1/nodes/${made.body.node.id}`, { id: String(made.body.node.id) });
    expect(detail.body.checks.at(-1)).toEqual({ time: expect.any(Number), ok: false, latency_ms: 12, message: "disk full", error: "the pusher reported a failure: disk full", check: "push" });
    expect(detail.body.probes).toEqual([{ name: "push", type: "push", target: null, interval_ms: 300_000, enabled: true }]);
    const posted = await call("push/[token]", "POST", `/api/v1/push/${token}`, { token }, { ok: true, latency_ms: 3 }, false);
    expect(posted.status).toBe(200);
    const unknown = await call("push/[token]", "GET", "/api/v1/push/not-a-token-at-all-0000", { token: "not-a-token-at-all-0000" }, undefined, false);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect((await call("push/[token]", "GET", `/api/v1/push/${token}?status=maybe`, { token }, undefined, false)).status).toBe(400);

    const bad = await call("nodes", "POST", "/api/v1/nodes", {}, { id: "x", checks: [{ type: "http", url: "ftp://x" }] });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "invalid_body", message: expect.stringMatching(/^checks\.0\.url: expected an http/) } } });
  });

  it("PATCH and DELETE take an id or a key; pause and resume answer the node; the export is YAML", async () => {
    await call("nodes", "POST", "/api/v1/nodes", {}, { id: "edge-9" });
    const patched = await call("nodes/[id]", "PATCH", "/api/v1/nodes/edge-9", { id: "edge-9" }, { latency_threshold_ms: 200 });
    expect(patched).toMatchObject({ status: 200, body: { definition: { latency_threshold_ms: 200 } } });
    const id = String(patched.body.node.id);
    // the node page's form reads back what it saved
    const detail = await call("nodes/[id]", "GET", `/api/v1/nodes/${id}`, { id });
    expect(detail.body.settings).toEqual({ parent: null, latency_threshold_ms: 200, failures_before_down: null, successes_before_up: null });
    expect((await call("nodes/[id]/pause", "POST", `/api/v1/nodes/${id}/pause`, { id })).body.node).toMatchObject({ paused: true, status: "pending" });
    expect((await call("nodes/[id]/resume", "POST", `/api/v1/nodes/${id}/resume`, { id })).body.node).toMatchObject({ paused: false });
    const exported = await call("nodes/export", "GET", "/api/v1/nodes/export");
    expect(exported.status).toBe(200);
    expect(exported.type).toBe("application/yaml; charset=utf-8");
    expect(exported.body).toMatch(/^  - id: edge-9\n    latency_threshold_ms: 200$/m);
    expect((await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { colour: "red" })).status).toBe(400);
    expect((await call("nodes/[id]", "PATCH", "/api/v1/nodes/no%20such", { id: "no such" }, { tags: {} })).status).toBe(400);
    expect(await call("nodes/[id]", "DELETE", "/api/v1/nodes/edge-9", { id: "edge-9" })).toMatchObject({ status: 200, body: { key: "edge-9" } });
    expect(await call("nodes/[id]", "DELETE", "/api/v1/nodes/edge-9", { id: "edge-9" })).toMatchObject({ status: 404, body: { error: { code: "not_found", message: "node edge-9 not found" } } });
  });

  it("PATCH with the version GET gave: a change made since is refused (409 naming who and when) instead of overwritten; without one, the last write wins", async () => {
    const made = await call("nodes", "POST", "/api/v1/nodes", {}, { id: "gw-v", checks: [{ type: "tcp", host: "10.0.0.1", port: 179 }] });
    const id = String(made.body.node.id);
    expect(made.body.version).toBe(1);
    const read = await call("nodes/[id]", "GET", `/api/v1/nodes/${id}`, { id });
    expect(read.body.definition.version).toBe(1);
    // another noc saves first, on the version both read
    const first = await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { latency_threshold_ms: 250, version: 1 }, otherNoc);
    expect(first).toMatchObject({ status: 200, body: { version: 2, definition: { latency_threshold_ms: 250 } } });
    clock.advance(60_000);
    // this noc's save, made on version 1, is refused and names the other's change
    const stale = await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { latency_threshold_ms: 900, version: 1 });
    expect(stale).toMatchObject({
      status: 409,
      body: { error: { code: "version_conflict", message: `node gw-v was changed by noc2@bank.test at ${new Date(clock.now() - 60_000).toISOString()} since you read it (it is at version 2, your change was made on version 1): reload it and make your change again` } },
    });
    expect((await call("nodes/[id]", "GET", `/api/v1/nodes/${id}`, { id })).body.settings.latency_threshold_ms).toBe(250);
    // on the version read again it saves; a status change (a check result) does not move the version
    core.ingestHeartbeats([{ node: "gw-v", ok: true }], "api");
    expect((await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { latency_threshold_ms: 900, version: 2 })).body).toMatchObject({ version: 3, definition: { latency_threshold_ms: 900 } });
    // a script that sends no version keeps working as before
    expect((await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { tags: { site: "fra1" } })).body).toMatchObject({ version: 4, definition: { tags: { site: "fra1" } } });
    expect(await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { version: 4 })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/nothing to change/) } } });
    expect(await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { tags: {}, version: "4" })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^version: /) } } });
  });

  it("PATCH intervals sets each named check's interval on its own, the others untouched; an unknown check or a bad duration is 400 naming it", async () => {
    const made = await call("nodes", "POST", "/api/v1/nodes", {}, { id: "gw-i", checks: [{ type: "tcp", host: "10.0.0.1", port: 179, interval: "1m" }, { type: "push", id: "backup", interval: "1d" }, { type: "icmp", host: "10.0.0.1" }] });
    const id = String(made.body.node.id);
    const patched = await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { intervals: { tcp: "30s", BACKUP: "12h" } });
    expect(patched.status).toBe(200);
    expect(patched.body.definition.checks.map((c: { id: string; interval?: string }) => [c.id, c.interval ?? null])).toEqual([["tcp", "30s"], ["backup", "12h"], ["icmp", null]]);
    const probes = (await call("nodes/[id]", "GET", `/api/v1/nodes/${id}`, { id })).body.probes as { name: string; interval_ms: number }[];
    expect(probes.map((p) => [p.name, p.interval_ms])).toEqual([["tcp", 30_000], ["backup", 43_200_000], ["icmp", 60_000]]);
    expect(await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { intervals: { dns: "30s" } })).toMatchObject({ status: 400, body: { error: { message: 'intervals.dns: this node has no check "dns" (its checks: tcp, backup, icmp)' } } });
    expect(await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { intervals: { icmp: "30" } })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^intervals\.icmp: invalid duration "30"/) } } });
    expect(await call("nodes/[id]", "PATCH", `/api/v1/nodes/${id}`, { id }, { interval: "1m", intervals: { icmp: "30s" } })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^intervals: give interval \(every check's\) or intervals/) } } });
  });

  it("GET /api/v1/network/config says no file is configured", async () => {
    expect((await call("network/config", "GET", "/api/v1/network/config")).body).toEqual({ file: null, applied_at: null, nodes: 0, problems: [], changes: null });
  });
});
