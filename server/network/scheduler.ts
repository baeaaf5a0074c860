import { CheckTimeout, downResult, errorText, type Check, type CheckResult } from "./checks/check";
import { PushRegistry, type PushInput, type PushMonitor } from "./checks/push";
import { LatenessStats, type LatenessFigures } from "./lateness";

/** The scheduler's time: a clock and timers on it, injected so tests move time by hand. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A check the scheduler runs every `interval_ms`, cut off after `timeout_ms`. */
export interface ScheduledCheck {
  id: string;
  interval_ms: number;
  timeout_ms: number;
  check: Check;
}
/** A push check: nothing runs; a missing push is a failure (see PushMonitor). */
export interface ScheduledPush {
  id: string;
  push: PushMonitor;
}

/** One result as it leaves the scheduler, stamped with the check's own times (scheduler clock). */
export interface CheckRun {
  check_id: string;
  /** when the run was due */
  planned_at: number;
  /** when it started (or when the push arrived, or when a missing push was noticed) */
  started_at: number;
  finished_at: number;
  result: CheckResult;
  /** a push arrived (a push check's result that is not a missed push) */
  pushed?: true;
}

export interface SchedulerOptions {
  onResult: (run: CheckRun) => void;
  timers?: Timers;
  /** runs in flight at once over all checks (default 64) */
  concurrency?: number;
}

export interface SchedulerStats {
  checks: number;
  running: number;
  queued: number;
  runs: number;
  timeouts: number;
  /** due runs dropped because the previous run of the same check was still going */
  skipped_running: number;
  /** due runs dropped because the previous one was still waiting for a free slot */
  skipped_queued: number;
  /** slots passed over because the timer fired more than an interval late (a blocked loop, a suspended host) */
  skipped_late: number;
  /** checks whose run passed its timeout and has still not settled */
  stuck: number;
  callback_errors: number;
  /** actual start − planned start of each run */
  lateness: LatenessFigures;
}

interface Entry {
  id: string;
  check: Check | null;
  push: PushMonitor | null;
  interval: number;
  timeout: number;
  offset: number;
  nextPlanned: number;
  timer: unknown;
  /** the run whose promise has not settled yet (at most one: runs of one check never overlap) */
  inFlight: { controller: AbortController; deadline: number; answered: Promise<void> } | null;
  queued: boolean;
  removed: boolean;
}

/** FNV-1a: a check's phase in its interval, the same on every start, different between checks. */
export function phaseOf(id: string, interval: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h % interval;
}

/**
 * Runs checks on their intervals, each at its own phase (deterministic per id) so that they
 * spread over the interval; under a global concurrency limit; never two runs of one check at
 * once (a due run is skipped and counted while the last one is still going); with a hard timeout
 * per run that answers even when the check does not. Results go to `onResult` in the order runs
 * finish. Push checks are timed here too: a missing push becomes a failing result.
 */
export class CheckScheduler {
  private readonly timers: Timers;
  private readonly concurrency: number;
  private readonly entries = new Map<string, Entry>();
  private readonly queue: { entry: Entry; planned: number }[] = [];
  private readonly pushes = new PushRegistry();
  private readonly lateness = new LatenessStats();
  private running = 0;
  private started = false;
  private counts = { runs: 0, timeouts: 0, skipped_running: 0, skipped_queued: 0, skipped_late: 0, callback_errors: 0 };

  constructor(private readonly options: SchedulerOptions) {
    this.timers = options.timers ?? systemTimers;
    this.concurrency = Math.max(1, options.concurrency ?? 64);
  }

  /** Adds a check or replaces the one with the same id (a replaced check keeps its phase). */
  add(item: ScheduledCheck | ScheduledPush): void {
    const previous = this.entries.get(item.id);
    if (previous) this.remove(item.id);
    const push = "push" in item ? item.push : null;
    const interval = push ? push.settings.interval_ms : (item as ScheduledCheck).interval_ms;
    if (!(interval >= 1)) throw new RangeError(`check ${item.id}: interval must be at least 1 ms`);
    if (push) this.pushes.add(push);
    const entry: Entry = {
      id: item.id,
      check: push ? null : (item as ScheduledCheck).check,
      push,
      interval,
      timeout: push ? 0 : (item as ScheduledCheck).timeout_ms,
      offset: phaseOf(item.id, interval),
      nextPlanned: previous && previous.interval === interval && this.started ? previous.nextPlanned : Number.NaN,
      timer: null,
      inFlight: null,
      queued: false,
      removed: false,
    };
    this.entries.set(item.id, entry);
    if (this.started) this.plan(entry, this.timers.now());
  }

  /** Stops a check: its timer, its queued run, and its run in flight (whose result is dropped). */
  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.removed = true;
    this.entries.delete(id);
    if (entry.push) this.pushes.remove(id);
    if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
    entry.inFlight?.controller.abort(new Error("check removed"));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.timers.now();
    for (const entry of this.entries.values()) this.plan(entry, now);
  }

  /** Stops every timer and aborts runs in flight (their results are dropped); settles once each has answered or timed out. */
  async stop(): Promise<void> {
    this.started = false;
    const settling: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
      entry.timer = null;
      entry.nextPlanned = Number.NaN;
      if (entry.inFlight) {
        settling.push(entry.inFlight.answered);
        entry.inFlight.controller.abort(new Error("scheduler stopped"));
      }
      entry.queued = false;
    }
    this.queue.length = 0;
    await Promise.all(settling);
  }

  /**
   * A push arrived (POST/GET on the push URL) at `at` (default now): emits its result and moves
   * the check's deadline. Answers the check's id, or null for an unknown token.
   */
  recordPush(token: string, at = this.timers.now(), input?: PushInput): { check_id: string } | null {
    const hit = this.pushes.recordPush(token, at, input);
    if (!hit) return null;
    const entry = this.entries.get(hit.monitor.id);
    this.emit({ check_id: hit.monitor.id, planned_at: at, started_at: at, finished_at: at, result: hit.result, pushed: true });
    if (entry && this.started) this.planPush(entry);
    return { check_id: hit.monitor.id };
  }

  stats(): SchedulerStats {
    const now = this.timers.now();
    let stuck = 0;
    for (const entry of this.entries.values()) if (entry.inFlight && now >= entry.inFlight.deadline) stuck++;
    return { checks: this.entries.size, running: this.running, queued: this.queue.length, ...this.counts, stuck, lateness: this.lateness.figures() };
  }

  private plan(entry: Entry, now: number): void {
    if (entry.push) return this.planPush(entry);
    if (!Number.isFinite(entry.nextPlanned)) entry.nextPlanned = now + entry.offset;
    this.arm(entry, () => this.due(entry));
  }

  private planPush(entry: Entry): void {
    entry.nextPlanned = entry.push!.dueAt();
    this.arm(entry, () => {
      const push = entry.push!;
      const now = this.timers.now();
      const due = push.dueAt();
      if (now < due) return this.planPush(entry);
      this.lateness.add(now - due);
      this.emit({ check_id: entry.id, planned_at: due, started_at: now, finished_at: now, result: push.miss(now) });
      this.planPush(entry);
    });
  }

  private arm(entry: Entry, fire: () => void): void {
    if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
    entry.timer = this.timers.setTimeout(() => {
      entry.timer = null;
      if (!entry.removed && this.started) fire();
    }, Math.max(0, entry.nextPlanned - this.timers.now()));
  }

  private due(entry: Entry): void {
    const planned = entry.nextPlanned;
    const now = this.timers.now();
    let next = planned + entry.interval;
    while (next <= now) {
      next += entry.interval;
      this.counts.skipped_late++;
    }
    entry.nextPlanned = next;
    this.arm(entry, () => this.due(entry));
    if (entry.inFlight) this.counts.skipped_running++;
    else if (entry.queued) this.counts.skipped_queued++;
    else if (this.running < this.concurrency) this.begin(entry, planned);
    else {
      entry.queued = true;
      this.queue.push({ entry, planned });
    }
  }

  private begin(entry: Entry, planned: number): void {
    const check = entry.check!;
    const startedAt = this.timers.now();
    this.lateness.add(startedAt - planned);
    this.running++;
    this.counts.runs++;
    const controller = new AbortController();
    let answered = false;
    let markAnswered = () => {};
    const answeredPromise = new Promise<void>((resolve) => (markAnswered = resolve));
    const answer = (result: CheckResult) => {
      if (answered) return;
      answered = true;
      markAnswered();
      this.timers.clearTimeout(timeout);
      this.running--;
      if (!entry.removed && this.started) this.emit({ check_id: entry.id, planned_at: planned, started_at: startedAt, finished_at: this.timers.now(), result });
      this.drain();
    };
    // the hard timeout answers for the check even if its promise never settles; the check stays
    // "in flight" (and its next runs skipped) until it does, so a hung target cannot pile up runs
    const timeout = this.timers.setTimeout(() => {
      this.counts.timeouts++;
      controller.abort(new CheckTimeout(entry.timeout));
      answer(downResult(new CheckTimeout(entry.timeout).message, null));
    }, entry.timeout);
    let run: Promise<CheckResult>;
    try {
      run = check.run(controller.signal);
    } catch (error) {
      run = Promise.reject(error);
    }
    void run
      .then(answer, (error: unknown) => answer(downResult(errorText(error), null)))
      .finally(() => {
        if (entry.inFlight?.controller === controller) entry.inFlight = null;
      });
    entry.inFlight = { controller, deadline: startedAt + entry.timeout, answered: answeredPromise };
  }

  private drain(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const { entry, planned } = this.queue.shift()!;
      entry.queued = false;
      if (!entry.removed && this.started && !entry.inFlight) this.begin(entry, planned);
    }
  }

  private emit(run: CheckRun): void {
    try {
      this.options.onResult(run);
    } catch {
      this.counts.callback_errors++;
    }
  }
}
