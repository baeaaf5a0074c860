// The service's incident rules driven by pushed heartbeats (no targets needed): maintenance and
// flapping open nothing, a heartbeat node's outage makes its managed children unreachable.
import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { fakeTimers } from "../test-support/fake-timers";
import { nodeInputSchema } from "./definition";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const noc = personOf("noc");
const def = (input: unknown) => nodeInputSchema.parse(input);

function setup() {
  const timers = fakeTimers(T0);
  const t = testCore({ clock: timers, network: { timers, configFile: null, watchConfig: false, maintenanceTickMs: 60_000 } });
  let at = T0;
  /** one heartbeat per call, 10 s apart on the nodes' own clock */
  const beat = (node: string, ok: boolean) => {
    at += 10_000;
    t.core.ingestHeartbeats([{ node, ok, time: at, latency_ms: ok ? 5 : undefined }], "api");
  };
  const all = () => t.core.incidentsSnapshot({ status: "all", limit: 100 }).incidents;
  const status = (key: string) => t.core.probes.getByKey(key)?.state.status ?? t.core.networkSnapshot().nodes.find((n) => n.key === key)?.status;
  return { ...t, timers, beat, all, status };
}

describe("incident rules", () => {
  it("opens nothing in maintenance, and judges the node again from the window's end", async () => {
    const { core, beat, all, status, timers } = setup();
    core.createNode(def({ id: "db-1", maintenance: [{ start: T0, end: T0 + 120_000, reason: "upgrade" }] }), noc);
    await core.startNetwork();
    for (let i = 0; i < 5; i++) beat("db-1", false);
    expect(status("db-1")).toBe("maintenance");
    expect(core.networkSnapshot().nodes[0]).toMatchObject({ status: "maintenance", reason: "maintenance: upgrade", since: T0 });
    expect(all()).toEqual([]);
    // the window ends with no heartbeat: the maintenance tick notices
    await timers.advance(180_000);
    expect(status("db-1")).not.toBe("maintenance");
    await core.stopNetwork();
  });

  it("holds pages while a node flaps: a note on the open incident, no new ones until it settles", () => {
    const { core, beat, all, status } = setup();
    core.createNode(def({ id: "wan-1", failures_before_down: 1, successes_before_up: 1 }), noc);
    let flappedAt = -1;
    for (let i = 0; i < 40; i++) {
      beat("wan-1", i % 2 === 1);
      if (flappedAt < 0 && status("wan-1") === "flapping") flappedAt = all().length;
    }
    expect(flappedAt).toBeGreaterThan(0);
    expect(status("wan-1")).toBe("flapping");
    expect(all()).toHaveLength(flappedAt);
    const notes = all().flatMap((i) => core.incident(i.id)!.timeline.map((e) => e.note ?? ""));
    expect(notes.some((n) => /is flapping \(.*% state change over the last \d+ checks\); notifications held until it settles/.test(n))).toBe(true);
  });

  it("a heartbeat node going down makes its managed children unreachable, as evidence on its incident", () => {
    const { core, beat, all, status } = setup();
    beat("hb-router", true);
    core.createNode(def({ id: "till-1", parent: "hb-router" }), noc);
    beat("till-1", true);
    expect(status("till-1")).toBe("up");
    // the router (judged by the ingest) fails three times; the till's agent reports a failure too
    beat("till-1", false);
    for (let i = 0; i < 3; i++) beat("hb-router", false);
    expect(status("hb-router")).toBe("down");
    expect(status("till-1")).toBe("unreachable");
    const [router] = all().filter((i) => i.status !== "resolved");
    expect(router).toMatchObject({ rule: "node_down", entity: "hb-router", details: { unreachable: ["till-1"], unreachable_count: 1 } });
    expect(all().filter((i) => i.entity === "till-1")).toEqual([]);
  });
  it("a storm that nodes join one at a time lists every member but writes at most 20 join notes", () => {
    const { core, all } = setup();
    const keys = Array.from({ length: 40 }, (_, i) => `till-${i}`);
    for (const key of keys) core.createNode(def({ id: key, failures_before_down: 1, successes_before_up: 1 }), noc);
    core.ingestHeartbeats(keys.map((node) => ({ node, ok: true, time: T0 + 1_000, latency_ms: 5 })), "api");
    // one failure each, a second apart and each its own request: the storm opens at the fifth, the other 35 join it one by one
    for (const [i, node] of keys.entries()) core.ingestHeartbeats([{ node, ok: false, time: T0 + 2_000 + i * 1_000 }], "api");
    const storms = all().filter((i) => i.rule === "node_storm" && i.status !== "resolved");
    expect(storms).toHaveLength(1);
    const storm = core.incident(storms[0].id)!;
    expect(storm.incident).toMatchObject({ count: keys.length, title: `${keys.length} nodes down` });
    expect((storm.incident.details!.members as { key: string }[]).map((m) => m.key).sort()).toEqual([...keys].sort());
    const joins = storm.timeline.filter((e) => / joined \(\d+ nodes\)$/.test(e.note ?? ""));
    expect(joins.length).toBeGreaterThan(0);
    expect(storm.timeline.filter((e) => e.action === "note").length).toBeLessThanOrEqual(21);
  });
  it("pausing a node that is down says so on its open incident, which stays open", () => {
    const { core, beat, all, status } = setup();
    core.createNode(def({ id: "pos-9", failures_before_down: 1 }), noc);
    beat("pos-9", true);
    beat("pos-9", false);
    expect(status("pos-9")).toBe("down");
    const [down] = all();
    expect(core.pauseNode("pos-9", true, noc).ok).toBe(true);
    const after = core.incident(down.id)!;
    expect(after.incident.status).toBe("open");
    expect(after.timeline.some((e) => /^pos-9 was paused at .*: no checks run while it is paused, so this stays open until it is resolved by hand or pos-9, resumed, passes again$/.test(e.note ?? ""))).toBe(true);
    // pausing again, or a node with nothing open, says nothing more
    core.pauseNode("pos-9", true, noc);
    expect(core.incident(down.id)!.timeline.filter((e) => /was paused/.test(e.note ?? ""))).toHaveLength(1);
  });
  it("a node resumed while still failing keeps its incident open (its first failed check is no recovery) and says so; it grows once down again", () => {
    const { core, beat, all, status } = setup();
    core.createNode(def({ id: "pos-9" }), noc);
    beat("pos-9", true);
    for (let i = 0; i < 3; i++) beat("pos-9", false);
    const [down] = all();
    expect(core.probes.escalationHeld(down)).toBe(false);
    core.pauseNode("pos-9", true, noc);
    expect(core.probes.escalationHeld(down)).toBe(true);
    core.pauseNode("pos-9", false, noc);
    // resumed, no result yet: still waiting on whoever resumed it
    expect(core.probes.escalationHeld(down)).toBe(true);
    beat("pos-9", false);
    expect(status("pos-9")).toBe("degraded");
    expect(all()).toHaveLength(1);
    expect(all()[0]).toMatchObject({ id: down.id, status: "open" });
    expect(core.probes.escalationHeld(down)).toBe(false);
    expect(core.incident(down.id)!.timeline.at(-1)!.note).toMatch(/^pos-9, resumed, failed again at .*: failing still \(heartbeat: .*\)$/);
    const count = all()[0].count;
    beat("pos-9", false);
    beat("pos-9", false);
    expect(status("pos-9")).toBe("down");
    expect(all()).toHaveLength(1);
    expect(all()[0].count).toBeGreaterThan(count);
    // passing again resolves it, as the pause note says
    beat("pos-9", true);
    beat("pos-9", true);
    expect(all()[0]).toMatchObject({ id: down.id, status: "resolved" });
  });
  it("a node resumed whose first result passes resolves its incident at once", () => {
    const { core, beat, all } = setup();
    core.createNode(def({ id: "pos-9" }), noc);
    beat("pos-9", true);
    for (let i = 0; i < 3; i++) beat("pos-9", false);
    core.pauseNode("pos-9", true, noc);
    core.pauseNode("pos-9", false, noc);
    beat("pos-9", true);
    expect(all()).toHaveLength(1);
    expect(all()[0].status).toBe("resolved");
    expect(core.probes.escalationHeld(all()[0])).toBe(false);
  });
  it("a storm whose failing members are all paused stays open (nothing passed) and waits; a member resumed and failing again takes it up", () => {
    const { core, all, status } = setup();
    const keys = Array.from({ length: 5 }, (_, i) => `till-${i}`);
    for (const key of keys) core.createNode(def({ id: key, failures_before_down: 1, successes_before_up: 1 }), noc);
    core.ingestHeartbeats(keys.map((node) => ({ node, ok: true, time: T0 + 1_000, latency_ms: 5 })), "api");
    for (const [i, node] of keys.entries()) core.ingestHeartbeats([{ node, ok: false, time: T0 + 2_000 + i * 1_000 }], "api");
    const storm = all().find((i) => i.rule === "node_storm" && i.status === "open")!;
    // till-0 comes back; pausing three more leaves till-4 failing on its own account
    core.ingestHeartbeats([{ node: "till-0", ok: true, time: T0 + 10_000, latency_ms: 5 }], "api");
    for (const key of keys.slice(1, 4)) core.pauseNode(key, true, noc);
    expect(core.incident(storm.id)!.incident.status).toBe("open");
    expect(core.probes.escalationHeld(storm)).toBe(false);
    // pausing a member that is back says nothing on the storm
    core.pauseNode("till-0", true, noc);
    expect(core.incident(storm.id)!.timeline.filter((e) => /^till-0 was paused/.test(e.note ?? ""))).toEqual([]);
    core.pauseNode("till-4", true, noc);
    expect(core.incident(storm.id)!.incident.status).toBe("open");
    expect(core.probes.escalationHeld(storm)).toBe(true);
    // resumed with no result: still waiting; its first result fails: the storm is taken up
    core.pauseNode("till-4", false, noc);
    expect(core.incident(storm.id)!.incident.status).toBe("open");
    expect(core.probes.escalationHeld(storm)).toBe(true);
    core.ingestHeartbeats([{ node: "till-4", ok: false, time: T0 + 20_000 }], "api");
    expect(status("till-4")).toBe("down");
    expect(core.probes.escalationHeld(storm)).toBe(false);
    expect(core.incident(storm.id)!.timeline.at(-1)!.note).toMatch(/^till-4, resumed, failed again at .*: down still/);
    // every member passes again, the paused ones resumed: resolved
    for (const key of keys.slice(0, 4)) core.pauseNode(key, false, noc);
    core.ingestHeartbeats(keys.map((node) => ({ node, ok: true, time: T0 + 30_000, latency_ms: 5 })), "api");
    expect(core.incident(storm.id)!.incident.status).toBe("resolved");
  });
});
