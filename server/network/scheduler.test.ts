import { describe, expect, it } from "vitest";
import { fakeTimers } from "../test-support/fake-timers";
import { downResult, upResult, type Check, type CheckResult } from "./checks/check";
import { PushMonitor } from "./checks/push";
import { CheckScheduler, phaseOf, type CheckRun, type Timers } from "./scheduler";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const S = 1000;

/** A check whose runs the test answers by hand; `obeys` false makes it ignore its signal. */
function handCheck(obeys = true) {
  const runs: { signal: AbortSignal; answer: (r: CheckResult) => void }[] = [];
  const check: Check = {
    type: "tcp",
    run: (signal) =>
      new Promise<CheckResult>((resolve) => {
        runs.push({ signal, answer: resolve });
        if (obeys) signal.addEventListener("abort", () => resolve(downResult("aborted", null)));
      }),
  };
  return { check, runs };
}
const instant: Check = { type: "tcp", run: async () => upResult(1) };

function setup(options: { concurrency?: number; timers?: Timers } = {}) {
  const clock = fakeTimers(T0);
  const runs: CheckRun[] = [];
  const scheduler = new CheckScheduler({ timers: options.timers ?? clock, concurrency: options.concurrency, onResult: (r) => runs.push(r) });
  return { clock, runs, scheduler };
}

describe("CheckScheduler", () => {
  it("spreads checks over their interval by a fixed phase per id, then keeps to the plan", async () => {
    const { clock, runs, scheduler } = setup();
    const ids = Array.from({ length: 20 }, (_, i) => `edge-${i}`);
    for (const id of ids) scheduler.add({ id, interval_ms: 30 * S, timeout_ms: 5 * S, check: instant });
    scheduler.start();
    await clock.advance(90 * S - 1);
    const firsts = ids.map((id) => runs.find((r) => r.check_id === id)!.started_at - T0);
    expect(firsts).toEqual(ids.map((id) => phaseOf(id, 30 * S)));
    expect(new Set(firsts).size).toBeGreaterThan(15);
    expect(Math.max(...firsts)).toBeLessThan(30 * S);
    for (const id of ids) expect(runs.filter((r) => r.check_id === id).map((r) => r.started_at - T0)).toEqual([0, 1, 2].map((k) => phaseOf(id, 30 * S) + k * 30 * S));
    expect(runs.every((r) => r.planned_at === r.started_at && r.result.ok)).toBe(true);
    expect(scheduler.stats()).toMatchObject({ runs: 60, skipped_running: 0, lateness: { samples: 60, max_ms: 0, over_1s: 0 } });
  });

  it("answers a hung run at its timeout, never starts a second run of it, and counts the skips", async () => {
    const { clock, runs, scheduler } = setup();
    const hung = handCheck(false);
    scheduler.add({ id: "hung", interval_ms: 10 * S, timeout_ms: 25 * S, check: hung.check });
    scheduler.start();
    const first = T0 + phaseOf("hung", 10 * S);
    await clock.advance(first - T0 + 25 * S);
    expect(hung.runs).toHaveLength(1);
    expect(hung.runs[0].signal.aborted).toBe(true);
    expect(runs).toEqual([{ check_id: "hung", planned_at: first, started_at: first, finished_at: first + 25 * S, result: downResult("timed out after 25000 ms", null) }]);
    expect(scheduler.stats()).toMatchObject({ running: 0, timeouts: 1, skipped_running: 2, stuck: 1 });
    await clock.advance(40 * S);
    expect(hung.runs).toHaveLength(1);
    expect(scheduler.stats()).toMatchObject({ skipped_running: 6, stuck: 1 });
    hung.runs[0].answer(upResult(5));
    await clock.advance(10 * S);
    expect(hung.runs).toHaveLength(2);
    expect(runs).toHaveLength(1);
    expect(scheduler.stats().stuck).toBe(0);
  });

  it("runs a check that obeys its signal again on its next slot after a timeout", async () => {
    const { clock, runs, scheduler } = setup();
    const slow = handCheck(true);
    scheduler.add({ id: "slow", interval_ms: 10 * S, timeout_ms: 4 * S, check: slow.check });
    scheduler.start();
    await clock.advance(phaseOf("slow", 10 * S) + 24 * S);
    expect(slow.runs.length).toBe(3);
    expect(runs.map((r) => r.result.error)).toEqual(["timed out after 4000 ms", "timed out after 4000 ms", "timed out after 4000 ms"]);
    expect(runs.map((r) => r.finished_at - r.started_at)).toEqual([4 * S, 4 * S, 4 * S]);
    expect(scheduler.stats()).toMatchObject({ skipped_running: 0, stuck: 0 });
  });

  it("holds runs past the concurrency limit in a queue and stamps each with its own start", async () => {
    const { clock, runs, scheduler } = setup({ concurrency: 1 });
    const a = handCheck();
    const b = handCheck();
    scheduler.add({ id: "a", interval_ms: 60 * S, timeout_ms: 50 * S, check: a.check });
    scheduler.add({ id: "b", interval_ms: 60 * S, timeout_ms: 50 * S, check: b.check });
    scheduler.start();
    const [pa, pb] = [phaseOf("a", 60 * S), phaseOf("b", 60 * S)];
    const [first, second, firstHand, secondHand] = pa < pb ? ["a", "b", a, b] : ["b", "a", b, a];
    await clock.advance(Math.max(pa, pb) + 1 * S);
    expect(firstHand.runs).toHaveLength(1);
    expect(secondHand.runs).toHaveLength(0);
    expect(scheduler.stats()).toMatchObject({ running: 1, queued: 1 });
    const releaseAt = clock.now();
    firstHand.runs[0].answer(upResult(3));
    await clock.settle();
    expect(secondHand.runs).toHaveLength(1);
    await clock.advance(2 * S);
    secondHand.runs[0].answer(upResult(4));
    await clock.settle();
    const secondPlanned = T0 + Math.max(pa, pb);
    expect(runs.map((r) => [r.check_id, r.planned_at, r.started_at, r.finished_at])).toEqual([
      [first, T0 + Math.min(pa, pb), T0 + Math.min(pa, pb), releaseAt],
      [second, secondPlanned, releaseAt, releaseAt + 2 * S],
    ]);
    expect(scheduler.stats().lateness.max_ms).toBe(releaseAt - secondPlanned);
  });

  it("skips a due run while the previous one still waits in the queue", async () => {
    const { clock, scheduler } = setup({ concurrency: 1 });
    const blocker = handCheck(false);
    let waitingRuns = 0;
    const waiting: Check = { type: "tcp", run: async () => (waitingRuns++, upResult(1)) };
    scheduler.add({ id: "blocker", interval_ms: 3_600 * S, timeout_ms: 3_000 * S, check: blocker.check });
    scheduler.add({ id: "waiting", interval_ms: 10 * S, timeout_ms: 5 * S, check: waiting });
    scheduler.start();
    await clock.advance(phaseOf("blocker", 3_600 * S));
    expect(blocker.runs).toHaveLength(1);
    const before = waitingRuns;
    const skippedBefore = scheduler.stats().skipped_queued;
    await clock.advance(1_000 * S);
    expect(waitingRuns).toBe(before);
    expect(scheduler.stats()).toMatchObject({ running: 1, queued: 1, skipped_queued: skippedBefore + 99 });
  });

  it("measures lateness and skips slots when its timers fire late", async () => {
    const clock = fakeTimers(T0);
    const lagging: Timers = { now: clock.now, clearTimeout: clock.clearTimeout, setTimeout: (fn, ms) => clock.setTimeout(fn, ms + 25 * S) };
    const runs: CheckRun[] = [];
    const scheduler = new CheckScheduler({ timers: lagging, onResult: (r) => runs.push(r) });
    scheduler.add({ id: "x", interval_ms: 10 * S, timeout_ms: 60 * S, check: instant });
    scheduler.start();
    await clock.advance(phaseOf("x", 10 * S) + 25 * S);
    expect(runs).toHaveLength(1);
    expect(runs[0].started_at - runs[0].planned_at).toBe(25 * S);
    expect(scheduler.stats()).toMatchObject({ skipped_late: 2, lateness: { max_ms: 25 * S, over_1s: 1 } });
  });

  it("marks a push check down each interval without a push, and up when one arrives", async () => {
    const { clock, runs, scheduler } = setup();
    const token = "tok_".padEnd(24, "x");
    scheduler.add({ id: "backup-job", push: new PushMonitor("backup-job", { token, interval_ms: 60 * S, grace_ms: 10 * S }, T0) });
    scheduler.start();
    await clock.advance(70 * S - 1);
    expect(runs).toHaveLength(0);
    await clock.advance(1);
    await clock.advance(60 * S);
    expect(runs.map((r) => [r.started_at - T0, r.result.status])).toEqual([
      [70 * S, "down"],
      [130 * S, "down"],
    ]);
    expect(runs[0].result.error).toBe("no push within 1m10s (interval 1m + grace 10s); no push yet");
    await clock.advance(5 * S);
    expect(scheduler.recordPush(token, clock.now(), { latency_ms: 12 })).toEqual({ check_id: "backup-job" });
    expect(runs[2]).toMatchObject({ check_id: "backup-job", started_at: T0 + 135 * S, result: { ok: true, latency_ms: 12 } });
    await clock.advance(70 * S - 1);
    expect(runs).toHaveLength(3);
    await clock.advance(1);
    expect(runs[3]).toMatchObject({ started_at: T0 + 205 * S, result: { ok: false } });
    expect(scheduler.recordPush("unknown-token-unknown-token")).toBeNull();
    expect(scheduler.recordPush(token, clock.now(), { ok: false, message: "disk full" })).not.toBeNull();
    expect(runs[4].result).toMatchObject({ ok: false, error: "the pusher reported a failure: disk full" });
  });

  it("drops the result of a removed check and of runs cut off by stop, and leaves no timer behind", async () => {
    const { clock, runs, scheduler } = setup();
    const a = handCheck();
    const b = handCheck();
    scheduler.add({ id: "a", interval_ms: 10 * S, timeout_ms: 8 * S, check: a.check });
    scheduler.add({ id: "b", interval_ms: 10 * S, timeout_ms: 8 * S, check: b.check });
    scheduler.start();
    await clock.advance(10 * S);
    expect(a.runs).toHaveLength(1);
    expect(b.runs).toHaveLength(1);
    scheduler.remove("a");
    expect(a.runs[0].signal.aborted).toBe(true);
    await scheduler.stop();
    expect(b.runs[0].signal.aborted).toBe(true);
    await clock.settle();
    expect(runs).toEqual([]);
    expect(clock.pending()).toBe(0);
    expect(scheduler.stats()).toMatchObject({ checks: 1, running: 0 });
  });

  it("keeps scheduling when the result callback throws", async () => {
    const clock = fakeTimers(T0);
    let calls = 0;
    const scheduler = new CheckScheduler({
      timers: clock,
      onResult: () => {
        calls++;
        throw new Error("store failed");
      },
    });
    scheduler.add({ id: "x", interval_ms: 10 * S, timeout_ms: 5 * S, check: instant });
    scheduler.start();
    await clock.advance(30 * S);
    expect(calls).toBe(3);
    expect(scheduler.stats().callback_errors).toBe(3);
  });

  it("keeps a replaced check's phase and plan", async () => {
    const { clock, runs, scheduler } = setup();
    scheduler.add({ id: "x", interval_ms: 10 * S, timeout_ms: 5 * S, check: instant });
    scheduler.start();
    await clock.advance(15 * S);
    scheduler.add({ id: "x", interval_ms: 10 * S, timeout_ms: 2 * S, check: instant });
    await clock.advance(15 * S);
    expect(runs.map((r) => r.started_at - T0)).toEqual([0, 1, 2].map((k) => phaseOf("x", 10 * S) + k * 10 * S));
  });
});
