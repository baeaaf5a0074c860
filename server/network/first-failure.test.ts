// A node's `node_down` is dated by its FIRST failed check or heartbeat (not the third, not when the
// data arrived) and resolved as of its FIRST good one, for a node made by heartbeats and for a
// managed node alike, and when a batch of heartbeats arrives out of time order.
import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import type { Incident } from "../../lib/contracts/incidents";

// the test clock's now is 2026-11-21T12:00Z; the heartbeats are from the ten minutes before it
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const T = (s: number) => NOW - 600_000 + s * 1000;
const beat = (node: string, ok: boolean, s: number) => ({ node, ok, time: T(s), ...(ok ? { latency_ms: 12 } : { message: `failed at ${s}` }) });
const noc = personOf("noc");

function setup(kind: "heartbeat" | "managed") {
  const t = testCore();
  // a managed node without checks of its own is judged by its heartbeats, with the defaults (3 failures down, 2 successes up)
  if (kind === "managed") t.core.createNode({ id: "gw-1", name: "Gateway 1" } as never, noc);
  const send = (items: ReturnType<typeof beat>[]) => {
    const r = t.core.ingestHeartbeats(items, "test");
    expect(r.rejected).toEqual([]);
  };
  const downs = (): Incident[] => t.core.incidentsSnapshot({ status: "all", limit: 10 }).incidents.filter((i) => i.rule === "node_down");
  const node = () => t.core.networkSnapshot().nodes.find((n) => n.key === "gw-1")!;
  return { ...t, send, downs, node };
}

describe.each(["heartbeat", "managed"] as const)("a %s node's node_down", (kind) => {
  it("opens dated by the first failure of the run, heartbeats one request at a time, and resolves at the first good one", () => {
    const { send, downs, node } = setup(kind);
    send([beat("gw-1", true, 0)]);
    for (const s of [10, 20, 30, 40]) send([beat("gw-1", false, s)]);
    expect(node().status).toBe("down");
    expect(node().since).toBe(T(10));
    expect(downs()).toMatchObject([{ status: "open", first_seen: T(10) }]);
    for (const s of [50, 60]) send([beat("gw-1", true, s)]);
    expect(node().status).toBe("up");
    expect(downs()).toMatchObject([{ status: "resolved", first_seen: T(10), resolved_at: T(50) }]);
  });

  it("opens and resolves at the right times when one batch holds the whole outage out of time order", () => {
    const { send, downs, node } = setup(kind);
    send([beat("gw-1", true, 0)]);
    send([beat("gw-1", false, 30), beat("gw-1", true, 70), beat("gw-1", false, 10), beat("gw-1", true, 60), beat("gw-1", false, 20), beat("gw-1", false, 40)]);
    expect(node().status).toBe("up");
    expect(downs()).toMatchObject([{ status: "resolved", first_seen: T(10), resolved_at: T(60) }]);
  });

  it("opens dated by the earliest failure when a batch of failures arrives newest first", () => {
    const { send, downs, node } = setup(kind);
    send([beat("gw-1", true, 0)]);
    send([beat("gw-1", false, 30), beat("gw-1", false, 20), beat("gw-1", false, 10)]);
    expect(node().status).toBe("down");
    expect(node().since).toBe(T(10));
    expect(downs()).toMatchObject([{ status: "open", first_seen: T(10) }]);
    // the node's checks are kept in time order
    expect(node().checks.map((c) => c.time)).toEqual([T(0), T(10), T(20), T(30)]);
  });
});

describe("nodes made by heartbeats alone failing together", () => {
  const fleet = Array.from({ length: 8 }, (_, i) => `pos-${i + 1}`);
  const rounds = (keys: readonly string[], ok: boolean, from: number) => [0, 10, 20].flatMap((d) => keys.map((node) => beat(node, ok, from + d)));

  it("are one node_storm incident listing them, dated by the first failure, with no node_down of their own; it resolves as of the last one back", () => {
    const t = testCore({ network: { storm: { count: 5, windowMs: 60_000 } } } as never);
    const send = (items: ReturnType<typeof beat>[]) => expect(t.core.ingestHeartbeats(items, "test").rejected).toEqual([]);
    send(fleet.map((node) => beat(node, true, 0)));
    send(rounds(fleet, false, 30));
    const all = () => t.core.incidentsSnapshot({ status: "all", limit: 50 }).incidents;
    expect(all().filter((i) => i.rule === "node_down")).toEqual([]);
    const storms = all().filter((i) => i.rule === "node_storm");
    expect(storms).toMatchObject([{ status: "open", title: "8 nodes down", count: 8, first_seen: T(30) }]);
    expect((storms[0].details!.members as { key: string }[]).map((m) => m.key).sort()).toEqual([...fleet].sort());
    // all but one back: still open; the last one back resolves it as of its first good heartbeat
    send(fleet.slice(0, 7).map((node) => beat(node, true, 100)));
    expect(t.core.incident(storms[0].id)!.incident.status).toBe("open");
    send([beat(fleet[7], true, 130)]);
    expect(t.core.incident(storms[0].id)!.incident).toMatchObject({ status: "resolved", resolved_at: T(130) });
  });

  it("below the storm size, each pages on its own", () => {
    const t = testCore({ network: { storm: { count: 5, windowMs: 60_000 } } } as never);
    const send = (items: ReturnType<typeof beat>[]) => expect(t.core.ingestHeartbeats(items, "test").rejected).toEqual([]);
    send(fleet.map((node) => beat(node, true, 0)));
    send(rounds(fleet.slice(0, 4), false, 30));
    const all = t.core.incidentsSnapshot({ status: "all", limit: 50 }).incidents;
    expect(all.filter((i) => i.rule === "node_storm")).toEqual([]);
    expect(all.filter((i) => i.rule === "node_down").map((i) => [i.entity, i.first_seen, i.count]).sort()).toEqual(fleet.slice(0, 4).map((k) => [k, T(30), 3]));
  });
});

describe("a heartbeat node's failure that arrives after later ones of its run", () => {
  it("dated before the run's first failure (after its newest good heartbeat) moves the outage, its node_down's first_seen and its status time earlier", () => {
    const { core, send, downs, node } = setup("heartbeat");
    send([beat("gw-1", true, 0)]);
    for (const s of [100, 101, 102]) send([beat("gw-1", false, s)]);
    expect(downs()).toMatchObject([{ status: "open", first_seen: T(100), count: 3 }]);
    // the agent's buffered failure at 90 s arrives last
    send([beat("gw-1", false, 90)]);
    expect(node()).toMatchObject({ status: "down", since: T(90) });
    expect(downs()).toMatchObject([{ status: "open", first_seen: T(90), count: 4 }]);
    const incident = core.incident(downs()[0].id)!;
    expect(incident.incident.details).toMatchObject({ first_failed_at: T(90) });
    expect(incident.timeline.at(-1)!.note).toBe(`a failed check dated ${new Date(T(90)).toISOString()} arrived late: gw-1 is down since then (first failed check of its run), not ${new Date(T(100)).toISOString()}`);
    expect(core.nodeOutages("gw-1", { limit: 10, offset: 0 }).outages).toMatchObject([{ start: T(90), end: null, status: "down" }]);
    // and it still ends at its first good heartbeat
    send([beat("gw-1", true, 150)]);
    expect(downs()).toMatchObject([{ status: "resolved", first_seen: T(90), resolved_at: T(150) }]);
    expect(core.nodeOutages("gw-1", { limit: 10, offset: 0 }).outages).toMatchObject([{ start: T(90), end: T(150) }]);
  });

  it("dated before the run's first failure takes a failing node down dated by it", () => {
    const { send, downs, node } = setup("heartbeat");
    send([beat("gw-1", true, 0)]);
    for (const s of [100, 101]) send([beat("gw-1", false, s)]);
    send([beat("gw-1", false, 90)]);
    expect(node()).toMatchObject({ status: "down", since: T(90) });
    expect(downs()).toMatchObject([{ status: "open", first_seen: T(90) }]);
  });

  it("dated before its newest good heartbeat is not part of the run: nothing moves", () => {
    const { send, downs, node } = setup("heartbeat");
    send([beat("gw-1", true, 0)]);
    send([beat("gw-1", true, 50)]);
    for (const s of [100, 101, 102]) send([beat("gw-1", false, s)]);
    send([beat("gw-1", false, 40)]);
    expect(node()).toMatchObject({ status: "down", since: T(100) });
    expect(downs()).toMatchObject([{ status: "open", first_seen: T(100) }]);
  });
});
