import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../../db/client";
import { createCore, type Core } from "../../core";
import { Hub } from "../../live/hub";
import { fakeTimers, type FakeTimers } from "../../test-support/fake-timers";
import { personOf } from "../../test-support/core";
import { endpointInputSchema, escalationInputSchema } from "../../../lib/contracts/notify";
import { nodeInputSchema } from "../../network/definition";
import type { Incident } from "../../../lib/contracts/incidents";
import type { AttemptEvent } from "./delivery";
import { verifySignature } from "./signature";
import { receiver, type Receiver } from "./test-receivers";
import { listen } from "../../network/checks/test-servers";

// Webhook delivery end to end: incidents change in a real core, the hub flushes, the worker posts
// to real HTTP receivers on 127.0.0.1. Time moves only through fake timers (no sleeps): a wait in
// these tests is for a receiver's real answer, never for the clock.

const SECRET = "a-shared-secret-of-32-characters";
const admin = personOf("admin");
const oncall = personOf("oncall");
const open: { close: () => Promise<void> }[] = [];
const handles: DatabaseHandle[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const h of handles.splice(0)) if (h.sqlite.open) h.close();
});

interface Setup {
  core: Core;
  timers: FakeTimers;
  hub: Hub;
  handle: DatabaseHandle;
  attempts: AttemptEvent[];
  /** resolves once `count` attempts matching `pred` were recorded */
  attempted: (pred: (e: AttemptEvent) => boolean, count?: number) => Promise<AttemptEvent[]>;
  /** flushes the hub (transitions become outbox rows) and lets the worker look at once */
  flush: () => Promise<void>;
}

/**
 * A core with notifications on fake timers. `stormWaitMs` is VIGIL_STORM_WAIT_S: 0 here unless a
 * test is about the wait, so the tests of delivery and escalation see a node_down's open at once.
 */
function setup(dir = ":memory:", timers = fakeTimers(), stormWaitMs = 0): Setup {
  const hub = new Hub({ capacity: 1000 });
  const handle = openDatabase(dir);
  handles.push(handle);
  const core = createCore(handle, {
    clock: timers,
    hub,
    access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" },
    notify: { timers, random: () => 0, timeoutMs: 5_000, pollMs: 3_600_000, stormWaitMs },
  });
  open.push({ close: () => core.notify.stop() });
  const attempts: AttemptEvent[] = [];
  let waiters: { pred: (e: AttemptEvent) => boolean; count: number; wake: (found: AttemptEvent[]) => void }[] = [];
  const check = () => {
    waiters = waiters.filter((w) => {
      const found = attempts.filter(w.pred);
      if (found.length < w.count) return true;
      w.wake(found);
      return false;
    });
  };
  core.notify.onAttempt((e) => {
    attempts.push(e);
    check();
  });
  return {
    core,
    timers,
    hub,
    handle,
    attempts,
    attempted: (pred, count = 1) =>
      new Promise((wake) => {
        waiters.push({ pred, count, wake });
        check();
      }),
    flush: async () => {
      hub.flush();
      await timers.advance(0);
    },
  };
}

async function listening(answer?: Parameters<typeof receiver>[0]): Promise<Receiver> {
  const r = await receiver(answer);
  open.push(r);
  return r;
}

let nodes = 0;
/** A node that fails three checks: a network incident (critical when the node is). */
function failNode(core: Core, options: { critical?: boolean; name?: string } = {}): Incident {
  const key = `node-${++nodes}`;
  core.registerNodes([{ key, name: options.name ?? `Server ${nodes}`, kind: "server", critical: options.critical }]);
  const t0 = core.clock.now() - 60_000;
  core.ingestHeartbeats([1, 2, 3].map((t) => ({ node: key, ok: false, time: t0 + t })), "test");
  return core.incidentsSnapshot({ status: "all", limit: 500 }).incidents.find((i) => i.entity === key)!;
}

const recover = (core: Core, incident: Incident) => core.ingestHeartbeats([{ node: incident.entity, ok: true, time: core.clock.now() - 1000 }], "test");

function endpoint(core: Core, url: string, extra: Record<string, unknown> = {}) {
  return core.notify.endpoints.create(endpointInputSchema.parse({ name: `hook ${url.slice(-12)}`, url, secret: SECRET, ...extra }), admin).endpoint;
}

describe("webhook delivery", () => {
  it("tells a 200 receiver of open, acknowledge, resolve and reopen, each signed over the exact body with the timestamp; growth sends nothing", async () => {
    const s = setup();
    const r = await listening();
    const onlyResolve = await listening();
    const hook = endpoint(s.core, r.url);
    endpoint(s.core, onlyResolve.url, { events: ["resolve"] });
    await s.core.notify.start();

    const incident = failNode(s.core, { critical: true });
    await s.flush();
    await r.received(1);
    const first = r.got[0];
    const body = JSON.parse(first.body);
    expect(body).toMatchObject({ event: "open", url: `http://vigil.test:3000/incidents/${incident.id}`, sent_at: new Date(s.timers.now()).toISOString() });
    expect(body.incident).toMatchObject({ id: incident.id, status: "open", severity: "critical", title: incident.title });
    expect(body.level).toBeUndefined();
    expect(first.headers["x-vigil-event"]).toBe("open");
    expect(first.headers["x-vigil-delivery"]).toMatch(/^[0-9]+$/);
    expect(first.headers["content-type"]).toBe("application/json");
    // the receiver's check: HMAC-SHA256(secret, "<timestamp>.<body>"), timestamp fresh
    const ts = first.headers["x-vigil-timestamp"] as string;
    const sig = first.headers["x-vigil-signature"] as string;
    expect(ts).toBe(String(Math.floor(s.timers.now() / 1000)));
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, first.body, ts, sig, s.timers.now())).toBe(true);
    expect(verifySignature(SECRET, first.body.replace('"open"', '"resolve"'), ts, sig, s.timers.now())).toBe(false);
    expect(verifySignature("another-secret-of-some-length", first.body, ts, sig, s.timers.now())).toBe(false);
    expect(verifySignature(SECRET, first.body, String(Number(ts) - 1), sig, s.timers.now())).toBe(false);
    // a replay ten minutes later is refused by the timestamp
    expect(verifySignature(SECRET, first.body, ts, sig, s.timers.now() + 600_000)).toBe(false);

    // the incident grows: the same status, nothing to send
    s.core.ingestHeartbeats([{ node: incident.entity, ok: false, time: s.core.clock.now() - 500 }], "test");
    await s.flush();
    await s.core.notify.idle();
    expect(s.core.notify.stats().pending).toBe(0);

    expect(s.core.acknowledgeIncident(incident.id, oncall).ok).toBe(true);
    await s.flush();
    await r.received(2);
    recover(s.core, incident);
    await s.flush();
    await r.received(3);
    expect(s.core.changeIncident(incident.id, { action: "reopen" }, oncall).ok).toBe(true);
    await s.flush();
    await r.received(4);
    await onlyResolve.received(1);
    await s.core.notify.idle();
    expect(r.bodies().map((b) => b.event)).toEqual(["open", "acknowledge", "resolve", "reopen"]);
    expect((r.bodies()[1].incident as Incident).acknowledged_by).toBe(oncall.name);
    expect((r.bodies()[2].incident as Incident).status).toBe("resolved");
    for (const got of r.got) expect(verifySignature(SECRET, got.body, got.headers["x-vigil-timestamp"] as string, got.headers["x-vigil-signature"] as string, s.timers.now())).toBe(true);
    expect(onlyResolve.bodies().map((b) => b.event)).toEqual(["resolve"]);
    const history = s.core.notify.incidentDeliveries(incident.id);
    expect(history.filter((d) => d.endpoint.id === hook.id).map((d) => [d.event, d.status, d.attempts.length])).toEqual([
      ["reopen", "delivered", 1],
      ["resolve", "delivered", 1],
      ["acknowledge", "delivered", 1],
      ["open", "delivered", 1],
    ]);
  });

  it("a receiver that fails twice (500) and then recovers gets it on the 3rd attempt, 10 s and 30 s later; the history shows the 3 attempts", async () => {
    const s = setup();
    const r = await listening((n) => (n <= 2 ? 500 : 200));
    const hook = endpoint(s.core, r.url);
    await s.core.notify.start();
    const incident = failNode(s.core);
    const start = s.timers.now();
    await s.flush();
    const [first] = await s.attempted((e) => e.attempt === 1);
    expect(first.outcome).toMatchObject({ ok: false, status_code: 500, error: "HTTP 500" });
    expect(first.after).toEqual({ status: "pending", nextAttemptAt: start + 10_000 });

    await s.timers.advance(9_999);
    await s.core.notify.idle();
    expect(r.got).toHaveLength(1);
    await s.timers.advance(1);
    await s.attempted((e) => e.attempt === 2);
    await s.timers.advance(29_999);
    await s.core.notify.idle();
    expect(r.got).toHaveLength(2);
    await s.timers.advance(1);
    const [third] = await s.attempted((e) => e.attempt === 3);
    expect(third.after.status).toBe("delivered");

    const [delivery] = s.core.notify.incidentDeliveries(incident.id);
    expect(delivery).toMatchObject({ event: "open", status: "delivered", endpoint: { id: hook.id, name: hook.name }, delivered_at: start + 40_000, last_status_code: 200, last_error: null, next_attempt_at: null });
    expect(delivery.attempts.map((a) => [a.attempt, a.at - start, a.status_code, a.error, a.ok])).toEqual([
      [1, 0, 500, "HTTP 500", false],
      [2, 10_000, 500, "HTTP 500", false],
      [3, 40_000, 200, null, true],
    ]);
    // the same history from the endpoint's side
    const page = s.core.notify.endpoints.deliveries(hook.id, { limit: 10 });
    expect(page.deliveries.map((d) => [d.id, d.attempts.length])).toEqual([[delivery.id, 3]]);
    expect(page.next_before).toBeNull();
  });

  it("gives up after the last retry (10 s, 30 s, 2 min, 10 min, 1 h): 6 attempts, then failed", async () => {
    const s = setup();
    const r = await listening(() => 503);
    endpoint(s.core, r.url);
    await s.core.notify.start();
    const incident = failNode(s.core);
    await s.flush();
    for (const [n, wait] of [[1, 0], [2, 10_000], [3, 30_000], [4, 120_000], [5, 600_000], [6, 3_600_000]]) {
      await s.timers.advance(wait);
      await s.attempted((e) => e.attempt === n);
    }
    await s.timers.advance(24 * 3_600_000);
    await s.core.notify.idle();
    expect(r.got).toHaveLength(6);
    const [delivery] = s.core.notify.incidentDeliveries(incident.id);
    expect(delivery).toMatchObject({ status: "failed", last_status_code: 503, next_attempt_at: null });
    expect(delivery.attempts).toHaveLength(6);
  });

  it("a hanging receiver times out and is retried, holding at most its own 2 slots: a healthy endpoint gets every delivery without waiting", async () => {
    const s = setup();
    const hang = await listening(() => "hang");
    const ok = await listening();
    const stuck = endpoint(s.core, hang.url);
    const healthy = endpoint(s.core, ok.url);
    await s.core.notify.start();
    const incidents = [failNode(s.core), failNode(s.core), failNode(s.core)];
    const start = s.timers.now();
    await s.flush();

    // the healthy receiver has all three while the hanging one holds two requests (its limit)
    await ok.received(3);
    await hang.received(2);
    await s.attempted((e) => e.endpoint === healthy.id && e.outcome.ok, 3);
    await s.timers.settle();
    expect(s.timers.now()).toBe(start);
    expect(hang.got).toHaveLength(2);
    expect(s.core.notify.stats().in_flight).toBe(2);

    // the timeout cuts both; the third goes out in the freed slot
    await s.timers.advance(5_000);
    const timedOut = await s.attempted((e) => e.endpoint === stuck.id, 2);
    for (const t of timedOut) {
      expect(t.outcome).toMatchObject({ ok: false, status_code: null, error: "no answer within 5000 ms", duration_ms: 5_000 });
      expect(t.after).toEqual({ status: "pending", nextAttemptAt: start + 15_000 });
    }
    await hang.received(3);
    // retried 10 s after the timeout
    await s.timers.advance(10_000);
    await hang.received(4);
    const history = s.core.notify.incidentDeliveries(incidents[0].id);
    expect(history.find((d) => d.endpoint.id === healthy.id)).toMatchObject({ status: "delivered", attempts: [{ attempt: 1, ok: true, at: start }] });
    expect(history.find((d) => d.endpoint.id === stuck.id)?.attempts[0]).toMatchObject({ attempt: 1, ok: false, error: "no answer within 5000 ms", duration_ms: 5_000 });
  });

  it("disabling an endpoint cancels its pending deliveries; nothing new is queued for it", async () => {
    const s = setup();
    const r = await listening(() => 500);
    const hook = endpoint(s.core, r.url);
    await s.core.notify.start();
    const incident = failNode(s.core);
    await s.flush();
    await s.attempted((e) => e.attempt === 1);
    s.core.notify.endpoints.update(hook.id, { enabled: false }, admin);
    await s.timers.advance(3_600_000);
    await s.core.notify.idle();
    expect(r.got).toHaveLength(1);
    expect(s.core.notify.incidentDeliveries(incident.id)).toMatchObject([{ status: "cancelled", last_error: "endpoint disabled", attempts: [{ attempt: 1 }] }]);
    expect(s.core.acknowledgeIncident(incident.id, oncall).ok).toBe(true);
    await s.flush();
    expect(s.core.notify.incidentDeliveries(incident.id)).toHaveLength(1);
  });
});

describe("a storm of API nodes from one batch of heartbeats", () => {
  it("a batch of heartbeats taking 5 API nodes down within the storm window pages the storm once and no node_down", async () => {
    const s = setup();
    const r = await listening();
    endpoint(s.core, r.url);
    await s.core.notify.start();
    const keys = Array.from({ length: 5 }, (_, i) => `rack-${i}`);
    for (const key of keys) expect(s.core.createNode(nodeInputSchema.parse({ id: key, failures_before_down: 1, successes_before_up: 1 }), admin).ok).toBe(true);
    s.core.ingestHeartbeats(keys.map((node) => ({ node, ok: true, time: s.timers.now() - 5_000, latency_ms: 5 })), "test");
    s.core.ingestHeartbeats(keys.map((node, i) => ({ node, ok: false, time: s.timers.now() - 4_000 + i })), "test");
    await s.flush();
    await r.received(1);
    await s.core.notify.idle();
    expect(r.bodies().map((b) => [b.event, (b.incident as Incident).rule])).toEqual([["open", "node_storm"]]);
    expect(s.core.incidentsSnapshot({ status: "all", limit: 50 }).incidents.map((i) => i.rule)).toEqual(["node_storm"]);
  });
});

describe("the storm wait (VIGIL_STORM_WAIT_S): a node_down's open is held", () => {
  const WAIT = 30_000;
  /** `n` API nodes, up: failing in requests of their own, they are judged one result at a time (as probes' results are) */
  function apiNodes(s: Setup, prefix: string, n = 5) {
    const keys = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    for (const key of keys) expect(s.core.createNode(nodeInputSchema.parse({ id: key, failures_before_down: 1, successes_before_up: 1 }), admin).ok).toBe(true);
    s.core.ingestHeartbeats(keys.map((node) => ({ node, ok: true, time: s.timers.now() - 5_000, latency_ms: 5 })), "test");
    return keys;
  }
  /** each node fails in a request of its own, 2 s apart, the hub flushing (and the worker looking) between them */
  async function failOneAtATime(s: Setup, keys: string[]) {
    for (const node of keys) {
      s.core.ingestHeartbeats([{ node, ok: false, time: s.timers.now() - 1_000 }], "test");
      await s.flush();
      await s.timers.advance(2_000);
      await s.core.notify.idle();
    }
  }
  const events = (r: Receiver) => r.bodies().map((b) => [b.event, (b.incident as Incident).rule]);

  it("5 API nodes failing one request at a time within the storm window page the storm once and no node_down", async () => {
    const s = setup(":memory:", fakeTimers(), WAIT);
    const r = await listening();
    endpoint(s.core, r.url);
    await s.core.notify.start();
    await failOneAtATime(s, apiNodes(s, "site-a"));
    // the first four opened a node_down each (shown at once), the fifth formed the storm and they were folded into it
    const incidents = s.core.incidentsSnapshot({ status: "all", limit: 50 }).incidents;
    const downs = incidents.filter((i) => i.rule === "node_down");
    expect(downs.map((i) => i.status)).toEqual(["resolved", "resolved", "resolved", "resolved"]);
    expect(incidents.find((i) => i.rule === "node_storm")?.status).toBe("open");
    // the storm paged at once, without waiting
    await r.received(1);
    expect(events(r)).toEqual([["open", "node_storm"]]);
    // long past the wait: still only the storm, neither an open nor a resolve of a node_down
    await s.timers.advance(3_600_000);
    await s.core.notify.idle();
    expect(events(r)).toEqual([["open", "node_storm"]]);
    for (const i of downs) expect(s.core.notify.incidentDeliveries(i.id)).toEqual([]);
    expect(s.core.notify.stats().pending).toBe(0);
  });

  it("5 probed nodes whose checks fail one result at a time, 3 s apart, page the storm once and no node_down", async () => {
    // probes on the same fake timers as the webhooks: each node's first failed check is its own result, flushed on its own
    const timers = fakeTimers();
    const hub = new Hub({ capacity: 1000 });
    const handle = openDatabase(":memory:");
    handles.push(handle);
    const core = createCore(handle, {
      clock: timers,
      hub,
      access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" },
      network: { timers, configFile: null, watchConfig: false, maintenanceTickMs: 3_600_000 },
      // a long request timeout: the fake clock moves on while a real receiver answers
      notify: { timers, random: () => 0, timeoutMs: 600_000, pollMs: 3_600_000, stormWaitMs: WAIT },
    });
    open.push({ close: () => core.notify.stop() }, { close: () => core.stopNetwork() });
    const dead = new Set<string>();
    const site = http.createServer((req, res) => res.writeHead(dead.has(req.url ?? "") ? 500 : 200).end("ok"));
    const target = await listen(site);
    open.push(target);
    const r = await listening();
    endpoint(core, r.url);
    const keys = Array.from({ length: 5 }, (_, i) => `probed-${i}`);
    for (const key of keys)
      expect(core.createNode(nodeInputSchema.parse({ id: key, checks: [{ type: "http", url: `http://127.0.0.1:${target.port}/${key}`, interval: "1s", timeout: "1s", failures_before_down: 1, successes_before_up: 1 }] }), admin).ok).toBe(true);
    /** a second at a time: the probes due run, their results are judged, the hub flushes and the worker looks */
    const run = async (seconds: number) => {
      for (let i = 0; i < seconds; i++) {
        await timers.advance(1000);
        for (let k = 0; k < 10_000 && core.probes.stats().running > 0; k++) await new Promise((resolve) => setImmediate(resolve));
        hub.flush();
        await timers.advance(0);
      }
    };
    await core.notify.start();
    await core.startNetwork();
    await run(5);
    expect(core.incidentsSnapshot({ status: "all", limit: 50 }).incidents).toEqual([]);
    for (const key of keys) {
      dead.add(`/${key}`);
      await run(3);
    }
    const incidents = core.incidentsSnapshot({ status: "all", limit: 50 }).incidents;
    const downs = incidents.filter((i) => i.rule === "node_down");
    // four node_downs opened, each flushed on its own before the fifth failure formed the storm, and were folded into it
    expect(downs.map((i) => i.status)).toEqual(["resolved", "resolved", "resolved", "resolved"]);
    expect(incidents.filter((i) => i.rule === "node_storm").map((i) => i.status)).toEqual(["open"]);
    await r.received(1);
    await run(60);
    await core.notify.idle();
    expect(events(r)).toEqual([["open", "node_storm"]]);
    for (const i of downs) expect(core.notify.incidentDeliveries(i.id)).toEqual([]);
  });

  it("with VIGIL_STORM_WAIT_S=0 pages are immediate again: the same 5 nodes page 4 node_down opens and their resolves besides the storm", async () => {
    const s = setup(":memory:", fakeTimers(), 0);
    const r = await listening();
    endpoint(s.core, r.url);
    await s.core.notify.start();
    const start = s.timers.now();
    await failOneAtATime(s, apiNodes(s, "site-b"));
    await r.received(9);
    await s.core.notify.idle();
    expect(events(r).filter(([, rule]) => rule === "node_down").map(([event]) => event)).toEqual(["open", "open", "open", "open", "resolve", "resolve", "resolve", "resolve"]);
    expect(events(r).filter(([, rule]) => rule === "node_storm")).toEqual([["open", "node_storm"]]);
    // the first node_down paged at its open
    const firstDown = r.bodies()[0].incident as Incident;
    expect(s.core.notify.incidentDeliveries(firstDown.id).find((d) => d.event === "open")!.attempts[0].at).toBe(start);
  });
  /** a high policy: level 1 pages `first` at the open, level 2 `second` 15 minutes on */
  async function withPolicy(s: Setup) {
    const first = await listening();
    const second = await listening();
    const watcher = await listening();
    const a = endpoint(s.core, first.url, { events: [], name: "primary on-call" });
    const b = endpoint(s.core, second.url, { events: [], name: "team lead" });
    endpoint(s.core, watcher.url, { name: "#noc" });
    s.core.notify.escalation.replace(escalationInputSchema.parse({ policies: { high: { levels: [{ after: "15m", endpoints: [a.id] }, { endpoints: [b.id] }] } } }), admin);
    await s.core.notify.start();
    return { first, second, watcher };
  }

  it("a lone node_down pages once the wait is over, exactly once, and level 2 follows 15 minutes after that page; the dry run says so meanwhile", async () => {
    const s = setup(":memory:", fakeTimers(), WAIT);
    const { first, second, watcher } = await withPolicy(s);
    const start = s.timers.now();
    const incident = failNode(s.core);
    await s.flush();
    expect(s.core.incident(incident.id)!.incident.status).toBe("open");
    expect(s.core.notify.escalation.dryRun({ incident: incident.id })).toMatchObject({
      incident: { id: incident.id, status: "open", escalation_started_at: start + WAIT, escalation_held_since: null },
      steps: [
        { level: 1, event: "open", state: "due", at: start + WAIT },
        { level: 2, event: "escalate", state: "due", at: start + WAIT + 15 * 60_000 },
      ],
    });
    await s.timers.advance(WAIT - 1);
    await s.core.notify.idle();
    expect(first.got).toHaveLength(0);
    expect(watcher.got).toHaveLength(0);
    await s.timers.advance(1);
    await first.received(1);
    await watcher.received(1);
    expect(first.bodies()[0]).toMatchObject({ event: "open", level: 1, incident: { id: incident.id, status: "open" }, sent_at: new Date(start + WAIT).toISOString() });
    expect(watcher.bodies()[0]).toMatchObject({ event: "open", incident: { id: incident.id } });
    expect(s.core.notify.escalation.dryRun({ incident: incident.id }).steps).toMatchObject([
      { level: 1, state: "paged", at: start + WAIT },
      { level: 2, state: "due", at: start + WAIT + 15 * 60_000 },
    ]);
    await s.timers.advance(15 * 60_000 - 1);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(0);
    await s.timers.advance(1);
    await second.received(1);
    expect(second.bodies()[0]).toMatchObject({ event: "escalate", level: 2, incident: { id: incident.id } });
    // once each, however long it stays open
    await s.timers.advance(3 * 3_600_000);
    await s.core.notify.idle();
    expect([first.got.length, second.got.length]).toEqual([1, 1]);
    // the subscriber heard the open with level 1 and the escalation with level 2 (it subscribes to both)
    expect(watcher.bodies().map((b) => b.event)).toEqual(["open", "escalate"]);
  });

  it("a node_down whose node is back within the wait pages nothing: neither its open nor its resolve", async () => {
    const s = setup(":memory:", fakeTimers(), WAIT);
    const { first, second, watcher } = await withPolicy(s);
    const incident = failNode(s.core);
    await s.flush();
    await s.timers.advance(10_000);
    recover(s.core, incident);
    await s.flush();
    expect(s.core.incident(incident.id)!.incident.status).toBe("resolved");
    await s.timers.advance(3_600_000);
    await s.core.notify.idle();
    expect([first.got.length, second.got.length, watcher.got.length]).toEqual([0, 0, 0]);
    expect(s.core.notify.incidentDeliveries(incident.id)).toEqual([]);
    expect(s.core.notify.escalation.dryRun({ incident: incident.id }).steps.map((step) => step.state)).toEqual(["stopped", "stopped"]);
  });

  it("a node_down resolved within the wait but read only after it (a late flush) is still never paged; a policy saved during a wait keeps the wait", async () => {
    const s = setup(":memory:", fakeTimers(), WAIT);
    const { first, watcher } = await withPolicy(s);
    const late = failNode(s.core);
    const kept = failNode(s.core);
    await s.flush();
    await s.timers.advance(10_000);
    // a new policy while both wait: their opens stay due at the wait's end
    s.core.notify.escalation.update(escalationInputSchema.parse({ policies: { critical: { levels: [] } } }), admin);
    recover(s.core, late); // committed, its delta not read before the wait is over
    // (to the end of the wait exactly: a fake clock jumping past it would time the real request out)
    await s.timers.advance(WAIT - 10_000);
    await first.received(1);
    await s.core.notify.idle();
    expect(first.bodies().map((b) => [b.event, (b.incident as Incident).id])).toEqual([["open", kept.id]]);
    await s.flush();
    await s.timers.advance(60_000);
    await s.core.notify.idle();
    expect(first.got).toHaveLength(1);
    expect(watcher.bodies().map((b) => [b.event, (b.incident as Incident).id])).toEqual([["open", kept.id]]);
    expect(s.core.notify.incidentDeliveries(late.id)).toEqual([]);
  });

  it("a node_down acknowledged within the wait is not paged (someone has it), nor told acknowledged or resolved; reopened, it pages level 1 at once", async () => {
    const s = setup(":memory:", fakeTimers(), WAIT);
    const { first, second, watcher } = await withPolicy(s);
    const incident = failNode(s.core);
    await s.flush();
    await s.timers.advance(10_000);
    expect(s.core.acknowledgeIncident(incident.id, oncall).ok).toBe(true);
    await s.flush();
    await s.timers.advance(3_600_000);
    await s.core.notify.idle();
    recover(s.core, incident);
    await s.flush();
    await s.timers.advance(60_000);
    await s.core.notify.idle();
    expect([first.got.length, second.got.length, watcher.got.length]).toEqual([0, 0, 0]);
    expect(s.core.notify.incidentDeliveries(incident.id)).toEqual([]);
    // a person reopening it is no storm: level 1 and the subscribers hear it then
    const reopenedAt = s.timers.now();
    expect(s.core.changeIncident(incident.id, { action: "reopen" }, oncall).ok).toBe(true);
    await s.flush();
    await first.received(1);
    await watcher.received(1);
    expect(first.bodies()[0]).toMatchObject({ event: "reopen", level: 1, sent_at: new Date(reopenedAt).toISOString() });
  });

  it("a node_down's held open survives a restart: sent once, when the wait is over", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-notify-"));
    const timers = fakeTimers();
    const r = await listening();
    const before = setup(dir, timers, WAIT);
    endpoint(before.core, r.url);
    await before.core.notify.start();
    const start = timers.now();
    const incident = failNode(before.core);
    await before.flush();
    await timers.advance(10_000);
    await before.core.notify.idle();
    expect(r.got).toHaveLength(0);
    await before.core.notify.stop();
    before.hub.stop();
    before.handle.close();

    const after = setup(dir, timers, WAIT);
    await after.core.notify.start();
    await timers.advance(0);
    await after.core.notify.idle();
    expect(r.got).toHaveLength(0);
    await timers.advance(start + WAIT - 1 - timers.now());
    await after.core.notify.idle();
    expect(r.got).toHaveLength(0);
    await timers.advance(1);
    await r.received(1);
    expect(r.bodies()[0]).toMatchObject({ event: "open", incident: { id: incident.id, status: "open" } });
    await timers.advance(3_600_000);
    await after.core.notify.idle();
    expect(r.got).toHaveLength(1);
    expect(after.core.notify.incidentDeliveries(incident.id)).toMatchObject([{ event: "open", status: "delivered" }]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});


describe("durability across a restart", () => {
  it("a pending delivery and a transition committed but never flushed are both sent after the core reopens on the same file, once each", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-notify-"));
    const timers = fakeTimers();
    const r = await listening();
    const before = setup(dir, timers);
    endpoint(before.core, r.url);
    const incident = failNode(before.core);
    await before.flush(); // the worker never started: the open waits in the outbox
    expect(before.core.notify.stats().pending).toBe(1);
    // acknowledged and committed, then the process dies before the hub's flush
    expect(before.core.acknowledgeIncident(incident.id, oncall).ok).toBe(true);
    before.handle.close();

    const after = setup(dir, timers);
    await after.core.notify.start();
    await timers.advance(0);
    await r.received(2);
    await after.core.notify.idle();
    expect(r.bodies().map((b) => b.event).sort()).toEqual(["acknowledge", "open"]);
    // nothing is sent twice: the statuses seen were kept
    await timers.advance(3_600_000);
    await after.core.notify.idle();
    expect(r.got).toHaveLength(2);
    expect(after.core.notify.stats().pending).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a delivery cut by a stop stays pending with no attempt counted, and goes out after the next start", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-notify-"));
    const timers = fakeTimers();
    const hang = await listening(() => "hang");
    const ok = await listening();
    const first = setup(dir, timers);
    const hook = endpoint(first.core, hang.url);
    await first.core.notify.start();
    const incident = failNode(first.core);
    await first.flush();
    await hang.received(1);
    await first.core.notify.stop();
    first.hub.stop();
    first.handle.close();

    const second = setup(dir, timers);
    second.core.notify.endpoints.update(hook.id, { url: ok.url }, admin);
    const [pending] = second.core.notify.incidentDeliveries(incident.id);
    expect(pending).toMatchObject({ status: "pending", attempts: [] });
    await second.core.notify.start();
    await timers.advance(0);
    await ok.received(1);
    await second.attempted((e) => e.outcome.ok);
    expect(ok.bodies()[0]).toMatchObject({ event: "open", incident: { id: incident.id } });
    expect(second.core.notify.incidentDeliveries(incident.id)[0]).toMatchObject({ status: "delivered", attempts: [{ attempt: 1, ok: true }] });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("escalation", () => {
  async function withPolicy() {
    const s = setup();
    const first = await listening();
    const second = await listening();
    const a = endpoint(s.core, first.url, { events: [], name: "primary on-call" });
    const b = endpoint(s.core, second.url, { events: [], name: "team lead" });
    s.core.notify.escalation.replace(escalationInputSchema.parse({ policies: { high: { levels: [{ after: "15m", endpoints: [a.id] }, { endpoints: [b.id] }] } } }), admin);
    await s.core.notify.start();
    return { s, first, second, a, b };
  }

  it("pages level 1 at open and level 2 after 15 minutes without an acknowledgement, once; an incident acknowledged in time goes no further", async () => {
    const { s, first, second } = await withPolicy();
    const start = s.timers.now();
    const unanswered = failNode(s.core);
    const answered = failNode(s.core);
    expect(unanswered.severity).toBe("high");
    await s.flush();
    await first.received(2);
    await s.core.notify.idle();
    expect(first.bodies().map((b) => [b.event, b.level, (b.incident as Incident).id])).toEqual(
      expect.arrayContaining([
        ["open", 1, unanswered.id],
        ["open", 1, answered.id],
      ]),
    );

    await s.timers.advance(5 * 60_000);
    expect(s.core.acknowledgeIncident(answered.id, oncall).ok).toBe(true);
    await s.flush();
    await s.timers.advance(10 * 60_000 - 1);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(0);
    await s.timers.advance(1);
    await second.received(1);
    const paged = second.bodies()[0];
    expect(paged).toMatchObject({ event: "escalate", level: 2, incident: { id: unanswered.id, status: "open" } });
    expect(s.timers.now() - start).toBe(15 * 60_000);

    // once per level: nothing more however long it stays open
    await s.timers.advance(3 * 3_600_000);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(1);
    expect(first.got).toHaveLength(2);
    expect(s.core.notify.incidentDeliveries(unanswered.id).map((d) => [d.event, d.level, d.endpoint.name])).toEqual([
      ["escalate", 2, "team lead"],
      ["open", 1, "primary on-call"],
    ]);
  });

  it("a snooze that ends is a reopen: subscribers hear it and level 1 is paged again, with a new 15 minutes before level 2", async () => {
    const { s, first, second } = await withPolicy();
    const incident = failNode(s.core);
    await s.flush();
    await first.received(1);
    await s.core.notify.idle();
    expect(s.core.changeIncident(incident.id, { action: "snooze", until: s.timers.now() + 30 * 60_000 }, oncall).ok).toBe(true);
    await s.flush();
    // snoozed (held as acknowledged): no escalation at minute 15
    await s.timers.advance(30 * 60_000);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(0);
    const reopenedAt = s.timers.now();
    expect(s.core.sweepIncidentTimers().map((i) => i.status)).toEqual(["open"]);
    await s.flush();
    await first.received(2);
    expect(first.bodies()[1]).toMatchObject({ event: "reopen", level: 1, incident: { id: incident.id, status: "open" } });
    await s.core.notify.idle();
    await s.timers.advance(15 * 60_000);
    await second.received(1);
    expect(second.bodies()[0]).toMatchObject({ event: "escalate", level: 2 });
    expect(s.timers.now() - reopenedAt).toBe(15 * 60_000);
  });

  it("an incident whose node was paused is not escalated further; resumed and failing again, it goes on with the time its level had left", async () => {
    const { s, first, second } = await withPolicy();
    const start = s.timers.now();
    const incident = failNode(s.core);
    await s.flush();
    await first.received(1);
    await s.core.notify.idle();
    await s.timers.advance(5 * 60_000);
    expect(s.core.pauseNode(incident.entity, true, admin).ok).toBe(true);
    await s.flush();
    expect(s.core.notify.escalation.dryRun({ incident: incident.id })).toMatchObject({
      incident: { id: incident.id, status: "open", escalation_started_at: start, escalation_held_since: start + 5 * 60_000 },
      steps: [{ level: 1, state: "paged", at: start }, { level: 2, state: "held" }],
    });
    // an hour paused: nobody further is paged
    await s.timers.advance(60 * 60_000);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(0);
    // resumed, with no result yet: still nobody
    expect(s.core.pauseNode(incident.entity, false, admin).ok).toBe(true);
    await s.flush();
    await s.timers.advance(30 * 60_000);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(0);
    // its first heartbeat fails: still failing; level 2 had 10 of its 15 minutes left
    s.core.ingestHeartbeats([{ node: incident.entity, ok: false, time: s.timers.now() - 1000 }], "test");
    await s.flush();
    const failedAt = s.timers.now();
    expect(s.core.incident(incident.id)!.incident.status).toBe("open");
    expect(s.core.notify.escalation.dryRun({ incident: incident.id })).toMatchObject({ incident: { escalation_held_since: null }, steps: [{ state: "paged", at: start }, { state: "due", at: failedAt + 10 * 60_000 }] });
    await s.timers.advance(10 * 60_000 - 1);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(0);
    await s.timers.advance(1);
    await second.received(1);
    expect(second.bodies()[0]).toMatchObject({ event: "escalate", level: 2, incident: { id: incident.id, status: "open" } });
    expect(first.got).toHaveLength(1);
  });

  it("a storm keeps escalating while a member is failing unpaused; with every failing member paused it stays open and waits", async () => {
    const { s, first, second } = await withPolicy();
    const tills = (group: string) => Array.from({ length: 5 }, (_, i) => `${group}-till-${i}`);
    const failTogether = (keys: string[]) => {
      for (const key of keys) s.core.createNode(nodeInputSchema.parse({ id: key, failures_before_down: 1, successes_before_up: 1 }), admin);
      s.core.ingestHeartbeats(keys.map((node) => ({ node, ok: true, time: s.timers.now() - 5_000, latency_ms: 5 })), "test");
      s.core.ingestHeartbeats(keys.map((node, i) => ({ node, ok: false, time: s.timers.now() - 4_000 + i })), "test");
      return s.core.incidentsSnapshot({ status: "active", limit: 50 }).incidents.find((i) => i.rule === "node_storm" && i.entity.startsWith("storm@") && !seen.has(i.id))!;
    };
    const seen = new Set<number>();
    const partly = failTogether(tills("a"));
    seen.add(partly.id);
    await s.timers.advance(61_000);
    const wholly = failTogether(tills("b"));
    expect(wholly).toBeDefined();
    await s.flush();
    // level 1 of each storm, and nothing of its members': each batch is judged as one
    await first.received(2);
    await s.core.notify.idle();
    expect(first.bodies().map((b) => [b.event, (b.incident as Incident).rule])).toEqual([["open", "node_storm"], ["open", "node_storm"]]);
    await s.timers.advance(5 * 60_000);
    for (const key of tills("a").slice(1)) s.core.pauseNode(key, true, admin);
    for (const key of tills("b")) s.core.pauseNode(key, true, admin);
    await s.flush();
    await s.timers.advance(10 * 60_000);
    await second.received(1);
    expect(second.bodies()[0]).toMatchObject({ event: "escalate", level: 2, incident: { id: partly.id } });
    await s.core.notify.idle();
    await s.timers.advance(60 * 60_000);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(1);
    expect(s.core.incident(wholly.id)!.incident.status).toBe("open");
    // one member resumed and failing again: level 2 of the whole storm after the 10 minutes it had left
    s.core.pauseNode("b-till-0", false, admin);
    s.core.ingestHeartbeats([{ node: "b-till-0", ok: false, time: s.timers.now() - 1000 }], "test");
    await s.flush();
    await s.timers.advance(10 * 60_000 - 1);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(1);
    await s.timers.advance(1);
    await second.received(2);
    expect(second.bodies()[1]).toMatchObject({ event: "escalate", level: 2, incident: { id: wholly.id } });
  });

  it("a storm of nodes made by heartbeats, every member paused (each an API node then), stays open and waits; a member resumed and failing takes it up with the time it had left", async () => {
    const { s, first, second } = await withPolicy();
    const keys = Array.from({ length: 5 }, (_, i) => `hb-till-${i}`);
    s.core.ingestHeartbeats(keys.map((node) => ({ node, ok: true, time: s.timers.now() - 10_000 })), "test");
    s.core.ingestHeartbeats([1, 2, 3].flatMap((t) => keys.map((node) => ({ node, ok: false, time: s.timers.now() - 9_000 + t }))), "test");
    const storm = s.core.incidentsSnapshot({ status: "active", limit: 50 }).incidents.find((i) => i.rule === "node_storm")!;
    expect(storm.entity).toMatch(/^heartbeat-storm@/);
    await s.flush();
    await first.received(1);
    await s.core.notify.idle();
    await s.timers.advance(5 * 60_000);
    // each pause is said on the storm (their checks are the service's now): held from the last one
    for (const key of keys) expect(s.core.pauseNode(key, true, admin).ok).toBe(true);
    expect(s.core.incident(storm.id)!.timeline.filter((e) => / was paused at /.test(e.note ?? ""))).toHaveLength(5);
    await s.flush();
    await s.timers.advance(60 * 60_000);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(0);
    expect(s.core.incident(storm.id)!.incident.status).toBe("open");
    expect(s.core.notify.escalation.dryRun({ incident: storm.id }).steps.map((step) => step.state)).toEqual(["paged", "held"]);
    // a member resumed and failing says so on the storm: level 2 after the 10 minutes it had left
    s.core.pauseNode("hb-till-0", false, admin);
    s.core.ingestHeartbeats([{ node: "hb-till-0", ok: false, time: s.timers.now() - 1000 }], "test");
    expect(s.core.incident(storm.id)!.timeline.at(-1)!.note).toMatch(/^hb-till-0, resumed, failed again at /);
    await s.flush();
    await s.timers.advance(10 * 60_000 - 1);
    await s.core.notify.idle();
    expect(second.got).toHaveLength(0);
    await s.timers.advance(1);
    await second.received(1);
    expect(second.bodies()[0]).toMatchObject({ event: "escalate", level: 2, incident: { id: storm.id } });
  });

  it("a dry run says who is paged at which minute, for a severity and for one incident", async () => {
    const { s, a, b } = await withPolicy();
    const watcher = endpoint(s.core, "https://hooks.example.test/all", { min_severity: "high" });
    const run = s.core.notify.escalation.dryRun({ severity: "high" });
    expect(run).toEqual({
      severity: "high",
      incident: null,
      steps: [
        { level: 1, at_minute: 0, event: "open", endpoints: [{ id: a.id, name: "primary on-call", enabled: true }] },
        { level: 2, at_minute: 15, event: "escalate", endpoints: [{ id: b.id, name: "team lead", enabled: true }] },
      ],
      subscribers: [{ id: watcher.id, name: watcher.name }],
    });
    expect(s.core.notify.escalation.dryRun({ severity: "low" })).toMatchObject({ steps: [], subscribers: [] });

    const start = s.timers.now();
    const incident = failNode(s.core);
    await s.flush();
    expect(s.core.notify.escalation.dryRun({ incident: incident.id })).toMatchObject({
      severity: "high",
      incident: { id: incident.id, status: "open", escalation_started_at: start, escalation_held_since: null },
      steps: [
        { level: 1, state: "paged", at: start },
        { level: 2, state: "due", at: start + 15 * 60_000 },
      ],
    });
    s.core.acknowledgeIncident(incident.id, oncall);
    await s.flush();
    expect(s.core.notify.escalation.dryRun({ incident: incident.id }).steps.map((step) => step.state)).toEqual(["stopped", "stopped"]);
  });
});

describe("Slack format", () => {
  it("escapes a title that tries a mention and a link: the only link in the message is the incident's own", async () => {
    const s = setup();
    const r = await listening();
    endpoint(s.core, r.url, { format: "slack" });
    await s.core.notify.start();
    const incident = failNode(s.core, { name: "<!channel> <http://evil|click> & <@U024BE7LH>" });
    await s.flush();
    await r.received(1);
    const raw = r.got[0].body;
    const message = JSON.parse(raw) as { text: string; blocks: { text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] };
    expect(message.text).toBe(`[HIGH] Incident #${incident.id} opened: &lt;!channel&gt; &lt;http://evil|click&gt; &amp; &lt;@U024BE7LH&gt; is down`);
    const texts = [message.text, ...message.blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f) => f.text), ...(b.elements ?? []).map((e) => e.text)])].filter(Boolean) as string[];
    const opens = texts.flatMap((t) => [...t.matchAll(/</g)].map((m) => t.slice(m.index)));
    expect(opens).toEqual([`<http://vigil.test:3000/incidents/${incident.id}|Incident #${incident.id}>* opened\n&lt;!channel&gt; &lt;http://evil|click&gt; &amp; &lt;@U024BE7LH&gt; is down`]);
    expect(raw).not.toContain("<!channel>");
    expect(raw).not.toContain("<http://evil");
    expect(raw).not.toContain("<@U024BE7LH>");
  });
});
