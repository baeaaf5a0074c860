import { describe, expect, it } from "vitest";
import { DEFAULT_BASELINE } from "./baseline";
import { maintenanceWindowSchema } from "./maintenance";
import { DEFAULT_NODE_POLICY, evaluateNode, initialNodeState, withoutChecks, type NodePolicy, type NodeState, type ParentStatus, type StatusResult, type Transition } from "./status";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const S = 1000;
const ok = (t: number, latency = 20, check = "http"): StatusResult => ({ check_id: check, time: T0 + t * S, ok: true, latency_ms: latency });
const fail = (t: number, error = "connection refused", check = "http"): StatusResult => ({ check_id: check, time: T0 + t * S, ok: false, latency_ms: null, error });
/** [from, to, at, confirmed_at] with times in seconds after T0 */
const brief = (ts: Transition[]) => ts.map((t) => [t.from, t.to, (t.at - T0) / S, (t.confirmed_at - T0) / S]);

function feed(state: NodeState, results: StatusResult[], extra: { now?: number; parent?: ParentStatus | null; policy?: NodePolicy; maintenance?: unknown[] } = {}) {
  const now = extra.now ?? (results.length > 0 ? Math.max(...results.map((r) => r.time)) : T0);
  const maintenance = (extra.maintenance ?? []).map((w) => maintenanceWindowSchema.parse(w));
  return evaluateNode(state, { results, now, parent: extra.parent, maintenance }, extra.policy ?? DEFAULT_NODE_POLICY);
}
/** Feeds results one batch each, collecting every transition. */
function timeline(results: StatusResult[], extra: Parameters<typeof feed>[2] = {}) {
  let state = initialNodeState();
  const all: Transition[] = [];
  for (const r of results) {
    const e = feed(state, [r], extra);
    state = e.state;
    all.push(...e.transitions);
  }
  return { state, transitions: all };
}

describe("node status: retries and recovery", () => {
  it("is pending with no data, and up at its first good check", () => {
    const empty = feed(initialNodeState(), [], { now: T0 });
    expect(empty.state.status).toBe("pending");
    expect(empty.transitions).toEqual([]);
    expect(brief(feed(initialNodeState(), [ok(5)]).transitions)).toEqual([["pending", "up", 5, 5]]);
  });
  it("degrades at the first failure, goes down after failures_before_down, dated by the first failure", () => {
    const { state, transitions } = timeline([ok(0), fail(30), fail(60), fail(90)]);
    expect(brief(transitions)).toEqual([
      ["pending", "up", 0, 0],
      ["up", "degraded", 30, 30],
      ["degraded", "down", 30, 90],
    ]);
    expect(state.reason).toBe("http: connection refused (3 failed in a row)");
    expect(transitions[1].reason).toBe("http: 1 of the last 2 checks failed (last: connection refused), failing 1 of 3 before down");
  });
  it("comes back after successes_before_up, dated by the first good check", () => {
    const { transitions } = timeline([ok(0), fail(30), fail(60), fail(90), ok(120), fail(150), ok(180), ok(210)]);
    expect(brief(transitions).slice(2)).toEqual([
      ["degraded", "down", 30, 90],
      ["down", "up", 180, 210],
    ]);
  });
  it("reads a batch in check-time order, whatever order it arrives in", () => {
    const e = feed(initialNodeState(), [fail(90), ok(0), fail(30), ok(150), fail(60), ok(120)]);
    expect(brief(e.transitions)).toEqual([
      ["pending", "up", 0, 0],
      ["up", "degraded", 30, 30],
      ["degraded", "down", 30, 90],
      ["down", "up", 120, 150],
    ]);
  });
  it("ignores a result older than what a previous batch applied, and says so", () => {
    const first = feed(initialNodeState(), [ok(0), ok(60)]);
    const late = feed(first.state, [fail(30), ok(90)]);
    expect(late.ignored).toEqual([fail(30)]);
    expect(late.transitions).toEqual([]);
    expect(late.state.status).toBe("up");
  });
  it("takes per-check retry counts", () => {
    const policy: NodePolicy = { ...DEFAULT_NODE_POLICY, checks: { bgp: { failures_before_down: 1, successes_before_up: 1 } } };
    const { transitions } = timeline([ok(0, 20, "bgp"), fail(30, "timeout", "bgp"), ok(60, 20, "bgp")], { policy });
    expect(brief(transitions)).toEqual([
      ["pending", "up", 0, 0],
      ["up", "down", 30, 30],
      ["down", "up", 60, 60],
    ]);
  });
  it("is down when any of its checks is down, from that check's first failure", () => {
    const { state, transitions } = timeline([ok(0, 5, "ping"), ok(1, 20, "http"), fail(30, "HTTP 500", "http"), ok(31, 5, "ping"), fail(60, "HTTP 500", "http"), fail(90, "HTTP 500", "http")]);
    expect(brief(transitions).at(-1)).toEqual(["degraded", "down", 30, 90]);
    expect(transitions.at(-1)?.check_id).toBe("http");
    expect(state.reason).toBe("http: HTTP 500 (3 failed in a row)");
  });
  it("never mutates the state it is given", () => {
    const before = feed(initialNodeState(), [ok(0)]).state;
    const copy = structuredClone(before);
    feed(before, [fail(30), fail(60), fail(90)]);
    expect(before).toEqual(copy);
  });
});

describe("node status: latency", () => {
  it("is degraded while the p95 of the last checks is over the threshold, up again once it is not", () => {
    const policy: NodePolicy = { ...DEFAULT_NODE_POLICY, latency_threshold_ms: 300, window: 5, baseline: null };
    const { transitions } = timeline([ok(0, 100), ok(30, 120), ok(60, 450), ok(90, 110), ok(120, 100), ok(150, 90), ok(180, 95), ok(210, 100)], { policy });
    expect(brief(transitions)).toEqual([
      ["pending", "up", 0, 0],
      ["up", "degraded", 60, 60],
      ["degraded", "up", 210, 210],
    ]);
    expect(transitions[1].reason).toBe("http: latency p95 450 ms over 300 ms in the last 3 checks");
  });
  it("is degraded by a latency far outside its own baseline, and the transition says the baseline, value and window", () => {
    const jitter = (i: number) => 20 + ((i * 7) % 5) - 2;
    const steady = Array.from({ length: 60 }, (_, i) => ok(i * 30, jitter(i)));
    // back up after `clear` normal checks (the hold-down that keeps one episode one incident)
    const normals = Array.from({ length: DEFAULT_BASELINE.clear }, (_, i) => ok(1830 + i * 30, 19 + (i % 3)));
    const { transitions } = timeline([...steady, ok(1800, 200), ...normals]);
    const back = 1800 + DEFAULT_BASELINE.clear * 30;
    expect(brief(transitions)).toEqual([
      ["pending", "up", 0, 0],
      ["up", "degraded", 1800, 1800],
      ["degraded", "up", back, back],
    ]);
    expect(transitions[1].anomaly).toMatchObject({ value_ms: 200, median_ms: 20, window: 60 });
    expect(transitions[1].reason).toMatch(/^http: latency 200 ms far above its baseline: median 20 ms, MAD [\d.]+ ms over the last 60 checks \(robust z [\d.]+\)$/);
  });
});

describe("node status: flapping", () => {
  it("reports flapping once the weighted state change passes 50 %, and settles below 25 %", () => {
    const results = [...Array.from({ length: 21 }, (_, i) => (i % 2 === 0 ? ok(i * 30) : fail(i * 30))), ...Array.from({ length: 30 }, (_, i) => ok(630 + i * 30))];
    const { state, transitions } = timeline(results);
    const statuses = transitions.map((t) => t.to);
    expect(statuses.filter((s) => s === "flapping")).toHaveLength(1);
    const start = transitions.find((t) => t.to === "flapping")!;
    expect(start.at).toBe(start.confirmed_at);
    expect(start.reason).toMatch(/% state change over the last \d+ checks$/);
    const stop = transitions.find((t) => t.from === "flapping")!;
    expect(stop.to).toBe("up");
    expect(state.status).toBe("up");
    expect(state.flap.flapping).toBe(false);
    // no down page while it flapped, though it failed again and again
    expect(statuses).not.toContain("down");
  });
  it("never flaps when flap detection is off", () => {
    const results = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? ok(i * 30) : fail(i * 30)));
    expect(timeline(results, { policy: { ...DEFAULT_NODE_POLICY, flap: null } }).transitions.map((t) => t.to)).not.toContain("flapping");
  });
});

describe("node status: maintenance", () => {
  const window = { start: new Date(T0 + 100 * S).toISOString(), end: new Date(T0 + 400 * S).toISOString(), reason: "firmware" };
  it("holds maintenance from the window's start to its end; failures inside do not count after it", () => {
    const results = [ok(0), ok(30), ok(60), ok(90), ...[120, 150, 180, 210, 240, 270, 300, 330, 360, 390].map((t) => fail(t)), fail(420), fail(450), fail(480)];
    const { transitions } = timeline(results, { maintenance: [window] });
    expect(brief(transitions)).toEqual([
      ["pending", "up", 0, 0],
      ["up", "maintenance", 100, 120],
      ["maintenance", "up", 400, 420],
      ["up", "degraded", 420, 420],
      ["degraded", "down", 420, 480],
    ]);
    expect(transitions[1].reason).toBe("maintenance: firmware");
  });
  it("enters and leaves maintenance on time alone, without results", () => {
    const up = feed(initialNodeState(), [ok(0)]);
    const inside = feed(up.state, [], { now: T0 + 150 * S, maintenance: [window] });
    expect(brief(inside.transitions)).toEqual([["up", "maintenance", 100, 150]]);
    const after = feed(inside.state, [], { now: T0 + 500 * S, maintenance: [window] });
    expect(brief(after.transitions)).toEqual([["maintenance", "up", 400, 500]]);
  });
  it("keeps a recurring window across the spring-forward change for its whole elapsed duration", () => {
    // Sunday 2026-03-29, Europe/Berlin: 01:30 CET + 2h = 00:30Z … 02:30Z (04:30 CEST, not 03:30)
    const weekly = { days: ["sun"], start: "01:30", duration: "2h", tz: "Europe/Berlin" };
    const at = (iso: string, good: boolean): StatusResult => ({ check_id: "http", time: Date.parse(iso), ok: good, latency_ms: good ? 20 : null, error: good ? undefined : "refused" });
    const results = [at("2026-03-29T00:00:00Z", true), at("2026-03-29T00:20:00Z", true), ...["00:40", "01:10", "01:40", "02:00", "02:20"].map((hm) => at(`2026-03-29T${hm}:00Z`, false)), at("2026-03-29T02:35:00Z", false)];
    const { transitions } = timeline(results, { maintenance: [weekly] });
    expect(transitions.map((t) => [t.from, t.to, new Date(t.at).toISOString()])).toEqual([
      ["pending", "up", "2026-03-29T00:00:00.000Z"],
      ["up", "maintenance", "2026-03-29T00:30:00.000Z"],
      ["maintenance", "up", "2026-03-29T02:30:00.000Z"],
      ["up", "degraded", "2026-03-29T02:35:00.000Z"],
    ]);
  });
});

describe("node status: parent down", () => {
  const parentDown: ParentStatus = { status: "down", since: T0 + 40 * S };
  it("is unreachable, not down, when it fails while its parent is down, and up again at its first good check", () => {
    const up = feed(initialNodeState(), [ok(0)]);
    const failing = feed(up.state, [fail(60), fail(90), fail(120)], { parent: parentDown });
    expect(brief(failing.transitions)).toEqual([["up", "unreachable", 60, 60]]);
    expect(failing.state.base).toBe("down");
    expect(failing.state.reason).toBe("its parent is down");
    const back = feed(failing.state, [ok(150), ok(180)], { parent: { status: "up", since: T0 + 140 * S } });
    expect(brief(back.transitions)).toEqual([["unreachable", "up", 150, 180]]);
  });
  it("is down on its own account when it still fails after its parent came back", () => {
    const failing = feed(feed(initialNodeState(), [ok(0)]).state, [fail(60), fail(90), fail(120)], { parent: parentDown });
    const still = feed(failing.state, [fail(150)], { parent: { status: "up", since: T0 + 140 * S } });
    expect(brief(still.transitions)).toEqual([["unreachable", "down", 60, 150]]);
  });
  it("stays unreachable when its parent comes back, until its own next result, when its failures began while the parent was down (one page for the parent, none for its children)", () => {
    const failing = feed(feed(initialNodeState(), [ok(0)]).state, [fail(60), fail(90), fail(120)], { parent: parentDown });
    const parentBack = feed(failing.state, [], { now: T0 + 145 * S, parent: { status: "up", since: T0 + 140 * S } });
    expect(parentBack.transitions).toEqual([]);
    expect(parentBack.state.status).toBe("unreachable");
    expect(parentBack.state.reason).toBe("its parent is back: waiting for its own next check");
    // a late result from the outage changes nothing
    expect(feed(parentBack.state, [], { now: T0 + 146 * S, parent: { status: "up", since: T0 + 140 * S } }).state.status).toBe("unreachable");
    // its own next result decides: a good one brings it up, a failure is its own
    expect(brief(feed(parentBack.state, [ok(150), ok(180)], { parent: { status: "up", since: T0 + 140 * S } }).transitions)).toEqual([["unreachable", "up", 150, 180]]);
    expect(feed(parentBack.state, [fail(150)], { parent: { status: "up", since: T0 + 140 * S } }).state.status).toBe("down");
  });
  it("turns from down to unreachable when its parent goes down after it, dated by the later of the two", () => {
    const down = feed(initialNodeState(), [ok(0), fail(30), fail(60), fail(90)]);
    expect(down.state.status).toBe("down");
    const orphaned = feed(down.state, [], { now: T0 + 100 * S, parent: { status: "unreachable", since: T0 + 45 * S } });
    expect(brief(orphaned.transitions)).toEqual([["down", "unreachable", 45, 100]]);
    const parentBack = feed(orphaned.state, [], { now: T0 + 200 * S, parent: { status: "up", since: T0 + 190 * S } });
    expect(brief(parentBack.transitions)).toEqual([["unreachable", "down", 30, 200]]);
  });
  it("is unreachable when its parent is down under maintenance", () => {
    const e = feed(feed(initialNodeState(), [ok(0)]).state, [fail(60)], { parent: { status: "maintenance", base: "down", since: T0 + 30 * S } });
    expect(brief(e.transitions)).toEqual([["up", "unreachable", 60, 60]]);
    expect(e.state.reason).toBe("its parent is down (maintenance)");
    expect(feed(feed(initialNodeState(), [ok(0)]).state, [fail(60)], { parent: { status: "maintenance", base: "up", since: T0 } }).state.status).toBe("degraded");
  });
  it("stays up when it answers while its parent is down", () => {
    expect(feed(initialNodeState(), [ok(0), ok(30)], { parent: parentDown }).state.status).toBe("up");
  });
});

describe("node status: checks no longer run", () => {
  it("a flapping check dropped (disabled or removed): the node stops flapping at that moment and shows what its other checks say", () => {
    // "http" alternates and flaps; "tcp" passes throughout
    const results = Array.from({ length: 24 }, (_, i) => [i % 2 === 0 ? ok(i * 30) : fail(i * 30), ok(i * 30 + 1, 20, "tcp")]).flat();
    const flapping = timeline(results);
    expect(flapping.state.status).toBe("flapping");
    const now = T0 + 1000 * S;
    const e = withoutChecks(flapping.state, (id) => id !== "http", { now });
    expect(Object.keys(e.state.checks)).toEqual(["tcp"]);
    expect(e.state.flap.flapping).toBe(false);
    expect(brief(e.transitions)).toEqual([["flapping", "up", 1000, 1000]]);
    expect(e.state).toMatchObject({ status: "up", since: now, reason: null, base: "up" });
    // the state given is not changed; nothing to drop: the same state, no transition
    expect(flapping.state.status).toBe("flapping");
    expect(withoutChecks(e.state, () => true, { now })).toEqual({ state: e.state, transitions: [], ignored: [] });
  });
  it("a down check dropped: up from the others, dated by the change; none left: pending", () => {
    const down = timeline([ok(0, 20, "tcp"), fail(30), fail(60), fail(90), ok(91, 20, "tcp")]);
    expect(down.state.status).toBe("down");
    const up = withoutChecks(down.state, (id) => id === "tcp", { now: T0 + 100 * S });
    expect(brief(up.transitions)).toEqual([["down", "up", 100, 100]]);
    expect(withoutChecks(down.state, () => false, { now: T0 + 100 * S }).state).toMatchObject({ status: "pending", base: "pending", base_since: null, checks: {} });
  });
});
