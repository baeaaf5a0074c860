// A parent that is flapping shows "flapping" over its own health, so its base can go down (or come
// back) without its shown status moving. Its failing children must follow the down direction at
// once, as they do when a parent goes down without flapping: unreachable, evidence on the parent's
// incident, not paging on their own. Recovery keeps its deliberate wait: a child whose failures
// began while the parent was down stays unreachable until its own next result.
import { describe, expect, it } from "vitest";
import { personOf, testCore } from "../test-support/core";
import { fakeTimers } from "../test-support/fake-timers";
import { nodeInputSchema } from "./definition";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const noc = personOf("noc");
const def = (input: unknown) => nodeInputSchema.parse(input);

function setup() {
  const timers = fakeTimers(T0);
  const t = testCore({ clock: timers, network: { timers, configFile: null, watchConfig: false, maintenanceTickMs: 3_600_000 } });
  /** one heartbeat, stamped with the (fake) clock's time, which then moves on 10 s */
  const beat = async (node: string, ok: boolean) => {
    const r = t.core.ingestHeartbeats([{ node, ok, time: timers.now(), latency_ms: ok ? 5 : undefined }], "api");
    expect(r.rejected).toEqual([]);
    await timers.advance(10_000);
  };
  const status = (key: string) => t.core.probes.getByKey(key)?.state.status ?? t.core.networkSnapshot().nodes.find((n) => n.key === key)?.status;
  const base = (key: string) => t.core.probes.getByKey(key)?.state.base;
  const history = (key: string) => {
    const id = t.core.networkSnapshot().nodes.find((n) => n.key === key)!.id;
    return t.handle.sqlite.prepare<[number], { at: number; status: string }>("SELECT at, status FROM node_status_changes WHERE node_id = ? ORDER BY at").all(id);
  };
  const incidents = () => t.core.incidentsSnapshot({ status: "all", limit: 100 }).incidents;
  /** the parent flaps (a pass, a failure, …) until it shows flapping, ending on a pass */
  const flap = async (key: string) => {
    for (let i = 0; i < 40 && status(key) !== "flapping"; i++) await beat(key, i % 2 === 0);
    expect(status(key)).toBe("flapping");
    if (base(key) === "down") await beat(key, true);
    expect(base(key)).toBe("up");
  };
  return { ...t, timers, beat, status, base, history, incidents, flap };
}

describe("a child of a flapping parent", () => {
  it("is unreachable as soon as the flapping parent's checks go down, not at its own next check", async () => {
    const s = setup();
    s.core.createNode(def({ id: "wan", failures_before_down: 1, successes_before_up: 1 }), noc);
    s.core.createNode(def({ id: "till", parent: "wan", failures_before_down: 2 }), noc);
    await s.beat("till", true);
    await s.flap("wan");
    // the till fails twice while its parent's checks pass: down on its own account
    await s.beat("till", false);
    await s.beat("till", false);
    expect(s.status("till")).toBe("down");
    // the parent's checks fail: still flapping, its base down; the till hears nothing of its own
    const parentDownAt = s.timers.now();
    await s.beat("wan", false);
    expect(s.status("wan")).toBe("flapping");
    expect(s.base("wan")).toBe("down");
    expect(s.status("till")).toBe("unreachable");
    expect(s.history("till").at(-1)).toMatchObject({ status: "unreachable", at: parentDownAt });
    expect(s.core.networkSnapshot().nodes.find((n) => n.key === "till")).toMatchObject({ status: "unreachable", reason: "its parent is down (flapping)" });
  });

  it("that was only failing is unreachable at once too, and opens nothing when it then goes down", async () => {
    const s = setup();
    s.core.createNode(def({ id: "wan", failures_before_down: 1, successes_before_up: 1 }), noc);
    s.core.createNode(def({ id: "till", parent: "wan", failures_before_down: 2 }), noc);
    await s.beat("till", true);
    await s.flap("wan");
    await s.beat("till", false);
    expect(s.status("till")).toBe("degraded");
    await s.beat("wan", false);
    expect(s.status("till")).toBe("unreachable");
    await s.beat("till", false);
    expect(s.status("till")).toBe("unreachable");
    expect(s.incidents().filter((i) => i.entity === "till")).toEqual([]);
  });

  it("keeps recovery's wait: the parent's checks passing again leave it unreachable until its own next result", async () => {
    const s = setup();
    s.core.createNode(def({ id: "wan", failures_before_down: 1, successes_before_up: 1 }), noc);
    s.core.createNode(def({ id: "till", parent: "wan", failures_before_down: 2 }), noc);
    await s.beat("till", true);
    await s.flap("wan");
    await s.beat("wan", false);
    await s.beat("till", false);
    await s.beat("till", false);
    expect(s.status("till")).toBe("unreachable");
    await s.beat("wan", true);
    expect(s.base("wan")).toBe("up");
    expect(s.status("till")).toBe("unreachable");
    expect(s.incidents().filter((i) => i.entity === "till")).toEqual([]);
    // its own results bring it back (two passes: successes_before_up), paging nobody
    await s.beat("till", true);
    await s.beat("till", true);
    expect(s.status("till")).toBe("up");
    expect(s.incidents().filter((i) => i.entity === "till")).toEqual([]);
  });
});

describe("a child of a flapping heartbeat node (judged by the ingest)", () => {
  function hbSetup() {
    const timers = fakeTimers(T0);
    const t = testCore({ clock: timers, failuresToDown: 1, network: { timers, configFile: null, watchConfig: false, maintenanceTickMs: 3_600_000 } });
    const beat = async (node: string, ok: boolean) => {
      expect(t.core.ingestHeartbeats([{ node, ok, time: timers.now(), latency_ms: ok ? 5 : undefined }], "api").rejected).toEqual([]);
      await timers.advance(10_000);
    };
    const status = (key: string) => t.core.probes.getByKey(key)?.state.status ?? t.core.networkSnapshot().nodes.find((n) => n.key === key)?.status;
    const flap = async (key: string) => {
      for (let i = 0; i < 40 && status(key) !== "flapping"; i++) await beat(key, i % 2 === 0);
      expect(status(key)).toBe("flapping");
      // ends on a pass: its heartbeats say up under the flapping
      const row = t.handle.sqlite.prepare<[string], { f: number }>("SELECT consecutive_failures AS f FROM nodes WHERE key = ?").get(key)!;
      if (row.f > 0) await beat(key, true);
    };
    return { ...t, timers, beat, status, flap };
  }

  it("a heartbeat child and a managed child are unreachable as soon as its heartbeats go down", async () => {
    const s = hbSetup();
    s.core.registerNodes([
      { key: "hb-wan", name: "WAN", kind: "router" },
      { key: "hb-till", name: "Till", kind: "server", parent: "hb-wan" },
    ]);
    s.core.createNode(def({ id: "api-till", parent: "hb-wan", failures_before_down: 2 }), noc);
    await s.beat("hb-till", true);
    await s.beat("api-till", true);
    await s.flap("hb-wan");
    await s.beat("hb-till", false);
    await s.beat("api-till", false);
    expect(s.status("hb-till")).toBe("down");
    expect(s.status("api-till")).toBe("degraded");
    await s.beat("hb-wan", false);
    expect(s.status("hb-wan")).toBe("flapping");
    expect(s.status("hb-till")).toBe("unreachable");
    expect(s.status("api-till")).toBe("unreachable");
  });

  it("a heartbeat child of a flapping managed node is unreachable as soon as the node's checks go down", async () => {
    const s = hbSetup();
    s.core.createNode(def({ id: "wan", failures_before_down: 1, successes_before_up: 1 }), noc);
    s.core.registerNodes([{ key: "hb-till", name: "Till", kind: "server", parent: "wan" }]);
    await s.beat("hb-till", true);
    for (let i = 0; i < 40 && s.status("wan") !== "flapping"; i++) await s.beat("wan", i % 2 === 0);
    if (s.core.probes.getByKey("wan")!.state.base === "down") await s.beat("wan", true);
    await s.beat("hb-till", false);
    expect(s.status("hb-till")).toBe("down");
    await s.beat("wan", false);
    expect(s.status("wan")).toBe("flapping");
    expect(s.status("hb-till")).toBe("unreachable");
  });
});
