// The network service against real local HTTP targets that the tests start and stop, on fake
// timers: the scheduler's time moves by hand, a step at a time, and each step waits for the
// real requests it started to answer (a flush of I/O, not a sleep).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { personOf, probedCore } from "../test-support/core";
import type { Incident } from "../../lib/contracts/incidents";
import type { StormOptions } from "./outages";
import { restartableTarget } from "./checks/test-servers";
import { nodeInputSchema } from "./definition";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const S = 1000;
const noc = personOf("noc");
/** a node as POST /api/v1/nodes takes it (parsed as the route parses it) */
const def = (input: unknown) => nodeInputSchema.parse(input);

const target = restartableTarget;

const targets: Awaited<ReturnType<typeof target>>[] = [];
const cores: { stop: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  for (const t of targets.splice(0)) await t.stop().catch(() => {});
});

function setup(storm?: Partial<StormOptions>, ping?: { command: string }) {
  const t = probedCore({ storm, ping }, T0);
  const { core, timers, run } = t;
  cores.push({ stop: () => core.stopNetwork() });
  const status = (key: string) => core.probes.getByKey(key)?.state.status ?? core.networkSnapshot().nodes.find((n) => n.key === key)?.status;
  const active = () => core.incidentsSnapshot({ status: "active", limit: 100 }).incidents;
  /** the node's stored results, oldest first */
  const results = (key: string) => {
    const id = core.networkSnapshot().nodes.find((n) => n.key === key)!.id;
    return t.handle.sqlite.prepare(`SELECT time, ok, check_id, error, message FROM heartbeats WHERE node_id = ? ORDER BY time, id`).all(id) as { time: number; ok: number; check_id: number | null; error: string | null; message: string | null }[];
  };
  return { ...t, timers, run, status, active, results };
}

const httpCheck = (url: string) => ({ type: "http" as const, url, interval: "10s", timeout: "2s", failures_before_down: 3, successes_before_up: 2 });

describe("NetworkService with real targets", () => {
  it("takes a node down at its first failing check with one incident, its children unreachable with none of their own, and resolves it at the first good check", async () => {
    const a = await target();
    targets.push(a);
    const { core, run, status, active, results } = setup();
    expect(core.createNode(def({ id: "edge", tags: { site: "fra1" }, checks: [httpCheck(a.url())] }), noc).ok).toBe(true);
    for (const child of ["app-1", "app-2"]) expect(core.createNode(def({ id: child, parent: "edge", checks: [httpCheck(a.url(`/${child}`))] }), noc).ok).toBe(true);
    await core.startNetwork();
    await run(30 * S);
    expect(["edge", "app-1", "app-2"].map(status)).toEqual(["up", "up", "up"]);

    await a.stop();
    await run(60 * S);
    expect(["edge", "app-1", "app-2"].map(status)).toEqual(["down", "unreachable", "unreachable"]);
    const firstFailed = results("edge").find((r) => !r.ok)!;
    expect(firstFailed.error).toMatch(/connection refused/);
    const incidents = active();
    expect(incidents).toHaveLength(1);
    const [down] = incidents;
    // counted in failed checks: the three that took it down and each one since
    expect(down).toMatchObject({ rule: "node_down", entity: "edge", first_seen: firstFailed.time, count: results("edge").filter((r) => !r.ok).length });
    expect(down.details).toMatchObject({ first_failed_at: firstFailed.time, unreachable: expect.arrayContaining(["app-1", "app-2"]), unreachable_count: 2 });
    const notes = core.incident(down.id)!.timeline.map((e) => e.note ?? "");
    expect(notes.some((n) => n.startsWith(`down since ${new Date(firstFailed.time).toISOString()} (first failed check)`))).toBe(true);
    expect(notes.filter((n) => / unreachable since /.test(n))).toHaveLength(2);
    // the children's own incidents, if one confirmed before its parent, were folded in: none is open
    expect(core.incidentsSnapshot({ status: "all", limit: 100 }).incidents.filter((i) => i.entity !== "edge" && i.status !== "resolved")).toEqual([]);

    await a.start();
    await run(40 * S);
    expect(["edge", "app-1", "app-2"].map(status)).toEqual(["up", "up", "up"]);
    const firstGood = results("edge").find((r) => r.ok && r.time > firstFailed.time)!;
    const resolved = core.incident(down.id)!.incident;
    expect(resolved).toMatchObject({ status: "resolved", resolved_by: "vigil", resolved_at: firstGood.time });
    expect(active()).toEqual([]);
  });

  it("opens one node_storm incident when six unrelated nodes fail together, listing them and their common tags", async () => {
    const b = await target();
    targets.push(b);
    const { core, run, status, active } = setup({ count: 5, windowMs: 60 * S });
    const keys = Array.from({ length: 6 }, (_, i) => `pos-${i + 1}`);
    for (const [i, key] of keys.entries()) core.createNode(def({ id: key, tags: { site: "ams2", tier: i % 2 ? "edge" : "core" }, checks: [httpCheck(b.url(`/${key}`))] }), noc);
    await core.startNetwork();
    await run(30 * S);
    await b.stop();
    await run(60 * S);
    expect(keys.map(status)).toEqual(keys.map(() => "down"));
    const open = active();
    expect(open.map((i) => i.rule)).toEqual(["node_storm"]);
    const [storm] = open;
    expect(storm).toMatchObject({ title: "6 nodes down", count: 6 });
    expect((storm.details!.members as { key: string }[]).map((m) => m.key).sort()).toEqual(keys);
    expect(storm.details!.common_tags).toEqual({ site: "ams2" });
    expect(storm.explanation).toMatch(/6 nodes failed within 60 s .* they share site=ams2/);
    // no member paged on its own
    expect(core.incidentsSnapshot({ status: "all", limit: 100 }).incidents.filter((i) => i.rule === "node_down")).toEqual([]);

    await b.start();
    await run(40 * S);
    expect(keys.map(status)).toEqual(keys.map(() => "up"));
    const done = core.incident(storm.id)!.incident as Incident;
    expect(done.status).toBe("resolved");
    expect(active()).toEqual([]);
  });

  it("keeps two storms apart when a second site fails while the first is still down, and resolves each when its own members are back", async () => {
    const a = await target();
    const b = await target();
    targets.push(a, b);
    const { core, run, status, active } = setup({ count: 5, windowMs: 60 * S });
    const siteA = Array.from({ length: 6 }, (_, i) => `ams-${i + 1}`);
    const siteB = Array.from({ length: 6 }, (_, i) => `fra-${i + 1}`);
    for (const key of siteA) core.createNode(def({ id: key, tags: { site: "ams2" }, checks: [httpCheck(a.url(`/${key}`))] }), noc);
    for (const key of siteB) core.createNode(def({ id: key, tags: { site: "fra1" }, checks: [httpCheck(b.url(`/${key}`))] }), noc);
    await core.startNetwork();
    await run(30 * S);
    await a.stop();
    await run(60 * S);
    // three minutes later, while the first site is still down, the second goes
    await run(120 * S);
    await b.stop();
    await run(60 * S);
    expect([...siteA, ...siteB].map(status)).toEqual([...siteA, ...siteB].map(() => "down"));
    const storms = active().filter((i) => i.rule === "node_storm");
    expect(storms).toHaveLength(2);
    const members = (i: Incident) => (i.details!.members as { key: string }[]).map((m) => m.key).sort();
    const [first, second] = [...storms].sort((x, y) => x.first_seen - y.first_seen);
    expect(members(first)).toEqual(siteA);
    expect(members(second)).toEqual(siteB);
    expect(first.details!.common_tags).toEqual({ site: "ams2" });
    expect(second.details!.common_tags).toEqual({ site: "fra1" });
    expect(active().filter((i) => i.rule === "node_down")).toEqual([]);

    // the first site comes back: its storm resolves, the second stays open
    await a.start();
    await run(40 * S);
    expect(core.incident(first.id)!.incident.status).toBe("resolved");
    expect(core.incident(second.id)!.incident.status).not.toBe("resolved");
    await b.start();
    await run(40 * S);
    expect(core.incident(second.id)!.incident.status).toBe("resolved");
    expect(active()).toEqual([]);
  });

  it("judges a probed node again by its probes once it is resumed", async () => {
    const a = await target();
    targets.push(a);
    const { core, run, status, results } = setup();
    core.createNode(def({ id: "edge", checks: [httpCheck(a.url())] }), noc);
    await core.startNetwork();
    await run(30 * S);
    expect(status("edge")).toBe("up");
    core.pauseNode("edge", true, noc);
    await run(30 * S);
    const before = results("edge").length;
    core.pauseNode("edge", false, noc);
    await run(30 * S);
    expect(results("edge").length).toBeGreaterThan(before);
    expect(status("edge")).toBe("up");
  });

  it("takes pushes for a push check again once its node is resumed", async () => {
    const { core, run } = setup();
    const made = core.createNode(def({ id: "backup-job", checks: [{ type: "push", interval: "1m", grace: "10s" }] }), noc);
    if (!made.ok) throw new Error(made.message);
    const token = made.value.push_tokens[0].token;
    await core.startNetwork();
    expect(core.recordPush(token, { ok: true })).toEqual({ node: "backup-job", check: "push" });
    core.pauseNode("backup-job", true, noc);
    expect(core.recordPush(token, { ok: true })).toBeNull();
    core.pauseNode("backup-job", false, noc);
    await run(1 * S);
    expect(core.recordPush(token, { ok: true })).toEqual({ node: "backup-job", check: "push" });
  });

  it("takes a probed node resumed with its own node_down open into the storm open when it fails again: its own is folded in, one page", async () => {
    const a = await target();
    const b = await target();
    targets.push(a, b);
    const { core, run, status, active } = setup({ count: 5, windowMs: 60 * S });
    const site = Array.from({ length: 5 }, (_, i) => `pos-${i + 1}`);
    core.createNode(def({ id: "kiosk", checks: [httpCheck(a.url("/kiosk"))] }), noc);
    for (const key of site) core.createNode(def({ id: key, checks: [httpCheck(b.url(`/${key}`))] }), noc);
    await core.startNetwork();
    await run(30 * S);
    await a.stop();
    await run(40 * S);
    const [own] = active();
    expect(own).toMatchObject({ rule: "node_down", entity: "kiosk" });
    core.pauseNode("kiosk", true, noc);
    await b.stop();
    await run(40 * S);
    const storm = active().find((i) => i.rule === "node_storm")!;
    core.pauseNode("kiosk", false, noc);
    await run(40 * S);
    expect(status("kiosk")).toBe("down");
    expect(active().map((i) => i.id)).toEqual([storm.id]);
    expect(core.incident(own.id)!.incident).toMatchObject({ status: "resolved", resolution: "duplicate" });
    expect((core.incident(storm.id)!.incident.details!.members as { key: string }[]).map((m) => m.key).sort()).toEqual(["kiosk", ...site].sort());
  });

  it("neither fails nor pages a node when this process may not send ICMP: it stays pending and says why", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-noping-"));
    const command = path.join(dir, "ping");
    fs.writeFileSync(command, "#!/bin/sh\necho 'ping: socket: Operation not permitted' >&2\nexit 2\n", { mode: 0o755 });
    try {
      const { core, run, status, active, results } = setup(undefined, { command });
      core.createNode(def({ id: "core-rtr", checks: [{ type: "icmp", host: "127.0.0.1", interval: "10s", timeout: "2s" }] }), noc);
      await core.startNetwork();
      await run(60 * S);
      expect(status("core-rtr")).toBe("pending");
      expect(core.networkSnapshot().nodes.find((n) => n.key === "core-rtr")!.reason).toMatch(/^ICMP not permitted: ping: socket: Operation not permitted/);
      expect(active()).toEqual([]);
      // nothing stored as a failed check of the target (its uptime is not charged)
      expect(results("core-rtr")).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stores a pushed heartbeat of a probed node as a result of its heartbeat check, judged with its probes", async () => {
    const a = await target();
    targets.push(a);
    const { core, run, status, active, results, timers } = setup();
    core.createNode(def({ id: "switch", checks: [httpCheck(a.url())] }), noc);
    await core.startNetwork();
    await run(20 * S);
    expect(status("switch")).toBe("up");
    const t = timers.now();
    const r = core.ingestHeartbeats([1, 2, 3].map((i) => ({ node: "Switch", ok: false, time: t + i, message: `agent: disk full ${i}` })), "api");
    expect(r.accepted).toBe(3);
    expect(status("switch")).toBe("down");
    expect(active()).toMatchObject([{ rule: "node_down", entity: "switch", first_seen: t + 1 }]);
    expect(results("switch").filter((x) => x.check_id === null).map((x) => x.message)).toEqual(["agent: disk full 1", "agent: disk full 2", "agent: disk full 3"]);
    // the probes pass, but the agent's check is still failing: the node stays down until it reports
    await run(20 * S);
    expect(status("switch")).toBe("down");
    core.ingestHeartbeats([1, 2].map((i) => ({ node: "switch", ok: true, time: timers.now() + i, latency_ms: 2 })), "api");
    expect(status("switch")).toBe("up");
    expect(active()).toEqual([]);
  });

  it("a child that confirms down before its parent waits for it: no page of its own when the parent goes down, its own page (dated by its first failure) when the parent recovers without going down", async () => {
    const p = await target();
    const c = await target();
    targets.push(p, c);
    const { core, run, status, results, timers } = setup();
    core.createNode(def({ id: "router", checks: [httpCheck(p.url())] }), noc);
    core.createNode(def({ id: "pos", parent: "router", checks: [{ ...httpCheck(c.url()), failures_before_down: 1 }] }), noc);
    await core.startNetwork();
    await run(20 * S);
    const all = () => core.incidentsSnapshot({ status: "all", limit: 100 }).incidents;

    await p.stop();
    await c.stop();
    await run(60 * S);
    expect([status("router"), status("pos")]).toEqual(["down", "unreachable"]);
    expect(all().map((i) => i.entity)).toEqual(["router"]);

    await p.start();
    await c.start();
    await run(40 * S);
    expect([status("router"), status("pos")]).toEqual(["up", "up"]);

    // the parent fails once and recovers; the child stays down: once its parent passes, it pages
    await p.stop();
    await c.stop();
    const stoppedAt = timers.now();
    const before = all().length;
    await run(10 * S);
    expect(status("pos")).toBe("down");
    expect(all()).toHaveLength(before);
    await p.start();
    await run(20 * S);
    // passing again; degraded while the failure is in its last 10 checks
    expect(status("router")).toBe("degraded");
    const own = all().find((i) => i.entity === "pos" && i.status === "open")!;
    const firstFailed = results("pos").find((r) => !r.ok && r.time >= stoppedAt)!;
    expect(own).toMatchObject({ rule: "node_down", first_seen: firstFailed.time });
    expect(core.incident(own.id)!.timeline.map((e) => e.note).join("\n")).toMatch(/its parent recovered without going down/);
  });
});
