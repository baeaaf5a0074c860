// A node made by heartbeats alone (no checks defined) tells the same status truth as a managed
// node: unreachable while its parent is down (shown, recorded in its status history, no incident
// of its own but evidence on the parent's), and flapping while its heartbeats change too often.
import { describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import type { Incident } from "../../lib/contracts/incidents";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const T = (s: number) => NOW - 600_000 + s * 1000;
const beat = (node: string, ok: boolean, s: number) => ({ node, ok, time: T(s), ...(ok ? { latency_ms: 12 } : { message: `failed at ${s}` }) });

function setup() {
  const t = testCore();
  t.core.registerNodes([
    { key: "rtr", name: "Router", kind: "router" },
    { key: "srv-1", name: "Server 1", kind: "server", parent: "rtr" },
    { key: "srv-2", name: "Server 2", kind: "server", parent: "rtr" },
  ]);
  const send = (items: ReturnType<typeof beat>[]) => expect(t.core.ingestHeartbeats(items, "test").rejected).toEqual([]);
  const node = (key: string) => t.core.networkSnapshot().nodes.find((n) => n.key === key)!;
  const incidents = (): Incident[] => t.core.incidentsSnapshot({ status: "all", limit: 50 }).incidents.filter((i) => i.pane === "network");
  const history = (key: string) =>
    t.handle.sqlite
      .prepare<[number], { at: number; status: string; reason: string | null }>("SELECT at, status, reason FROM node_status_changes WHERE node_id = ? ORDER BY at")
      .all(node(key).id);
  send(["rtr", "srv-1", "srv-2"].map((k) => beat(k, true, 0)));
  return { ...t, send, node, incidents, history };
}

describe("a heartbeat node whose parent is down", () => {
  it("is unreachable, recorded as such, with no incident of its own: it is evidence on its parent's one incident", () => {
    const { send, node, incidents, history } = setup();
    for (const s of [10, 20, 30]) send(["rtr", "srv-1", "srv-2"].map((k) => beat(k, false, s)));
    expect(node("rtr").status).toBe("down");
    expect(node("srv-1").status).toBe("unreachable");
    expect(node("srv-2").status).toBe("unreachable");
    const open = incidents().filter((i) => i.status !== "resolved");
    expect(open.map((i) => [i.rule, i.entity])).toEqual([["node_down", "rtr"]]);
    expect((open[0].details!.unreachable as string[]).sort()).toEqual(["srv-1", "srv-2"]);
    expect(history("srv-1").at(-1)).toMatchObject({ status: "unreachable", reason: "its parent is down" });
    // the children answer again, then their parent: every status back up, the one incident resolved
    send([beat("srv-1", true, 40), beat("srv-2", true, 41)]);
    expect(node("srv-1").status).toBe("up");
    send([beat("rtr", true, 42)]);
    expect([node("rtr").status, node("srv-1").status, node("srv-2").status]).toEqual(["up", "up", "up"]);
    expect(incidents().map((i) => [i.entity, i.status])).toEqual([["rtr", "resolved"]]);
  });

  it("says why beside the status, as its history does: the parent down, its own failure, nothing once up", () => {
    const { send, node } = setup();
    for (const s of [10, 20, 30]) send([beat("srv-1", false, s)]);
    expect(node("srv-1")).toMatchObject({ status: "down", reason: "failed at 30" }); // the heartbeat that took it down
    for (const s of [31, 32, 33]) send([beat("rtr", false, s)]);
    expect(node("srv-1")).toMatchObject({ status: "unreachable", reason: "its parent is down" });
    send([beat("rtr", true, 40), beat("srv-1", true, 41), beat("srv-1", true, 42), beat("srv-2", true, 43)]);
    expect(node("srv-1").status).toBe("up");
    expect(node("srv-1").reason ?? null).toBeNull();
  });

  it("turns unreachable when its parent goes down after it did (its own page folded in), and pages on its own when the parent comes back while it still fails", () => {
    const { send, node, incidents } = setup();
    // the child fails first and is down before its parent has failed once
    for (const s of [10, 20, 30]) send([beat("srv-1", false, s)]);
    expect(node("srv-1").status).toBe("down");
    for (const s of [31, 32, 33]) send([beat("rtr", false, s)]);
    expect(node("rtr").status).toBe("down");
    // judged again when its parent moved, without a heartbeat of its own
    expect(node("srv-1").status).toBe("unreachable");
    expect(incidents().filter((i) => i.status !== "resolved").map((i) => i.entity)).toEqual(["rtr"]);
    // the parent is back; the child's last heartbeat failed: down on its own account, its own page
    send([beat("rtr", true, 50)]);
    expect(node("srv-1").status).toBe("down");
    expect(incidents().filter((i) => i.status !== "resolved").map((i) => i.entity)).toEqual(["srv-1"]);
  });
});

describe("a heartbeat node whose parent comes back", () => {
  it("stays unreachable until its own next heartbeat when it failed only while the parent was down: the router's return pages nobody behind it", () => {
    const { send, node, incidents } = setup();
    for (const s of [10, 20, 30]) send(["rtr", "srv-1", "srv-2"].map((k) => beat(k, false, s)));
    expect(node("srv-1").status).toBe("unreachable");
    send([beat("rtr", true, 40)]);
    expect(node("rtr").status).toBe("up");
    expect([node("srv-1").status, node("srv-2").status]).toEqual(["unreachable", "unreachable"]);
    expect(incidents().filter((i) => i.status !== "resolved")).toEqual([]);
    // their own next heartbeats decide: one is back, the other still fails and is down on its own account
    send([beat("srv-1", true, 45), beat("srv-2", false, 46)]);
    expect([node("srv-1").status, node("srv-2").status]).toEqual(["up", "down"]);
    expect(incidents().filter((i) => i.status !== "resolved").map((i) => i.entity)).toEqual(["srv-2"]);
  });
});

describe("a heartbeat node whose heartbeats change too often", () => {
  it("is flapping (recorded with its percent state change) and pages nobody, and is up again once its heartbeats settle", () => {
    const { send, node, incidents, history } = setup();
    let s = 10;
    for (let i = 0; i < 12; i++) send([beat("srv-1", i % 2 === 1, s++)]);
    expect(node("srv-1").status).toBe("flapping");
    expect(history("srv-1").at(-1)).toMatchObject({ status: "flapping", reason: expect.stringMatching(/% state change over the last \d+ checks$/) });
    expect(incidents()).toEqual([]);
    for (let i = 0; i < 21; i++) send([beat("srv-1", true, s++)]);
    expect(node("srv-1").status).toBe("up");
  });
});

describe("a silent heartbeat node behind a parent that comes back", () => {
  it("counts its silence from its parent's return, not from before the outage: the watchdog does not page for it seconds after the router is back", async () => {
    const { core, clock, handle } = testCore();
    core.registerNodes([
      { key: "rtr", name: "Router", kind: "router" },
      { key: "srv-1", name: "Server 1", kind: "server", parent: "rtr" },
    ]);
    const live = (node: string, ok: boolean) => expect(core.ingestHeartbeats([{ node, ok, ...(ok ? { latency_ms: 5 } : { message: "unreachable" }) }], "test").rejected).toEqual([]);
    const status = (key: string) => core.networkSnapshot().nodes.find((n) => n.key === key)!.status;
    const pages = () => core.incidentsSnapshot({ status: "active", limit: 10 }).incidents.map((i) => i.entity);
    const SILENCE = 60_000;
    live("rtr", true);
    live("srv-1", true);
    // the router fails; the server behind it goes silent (its heartbeats cannot get through)
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      live("rtr", false);
    }
    expect(status("rtr")).toBe("down");
    clock.advance(40_000);
    await core.sweepSilentNodes(SILENCE);
    expect(status("srv-1")).toBe("unreachable");
    // a long outage, then the router is back
    clock.advance(600_000);
    live("rtr", true);
    expect(status("rtr")).toBe("up");
    expect(pages()).toEqual([]);
    // ten seconds later the watchdog runs: the server has had 10 s to report, not 11 minutes
    clock.advance(10_000);
    expect((await core.sweepSilentNodes(SILENCE)).accepted).toBe(0);
    expect(status("srv-1")).toBe("unreachable");
    expect(pages()).toEqual([]);
    // but if it stays silent for the whole silence after the router's return, it is down on its own account
    for (let i = 0; i < 6 && status("srv-1") !== "down"; i++) {
      clock.advance(40_000);
      live("rtr", true);
      await core.sweepSilentNodes(SILENCE);
    }
    expect(status("srv-1")).toBe("down");
    expect(pages()).toEqual(["srv-1"]);
    void handle;
  });
});
