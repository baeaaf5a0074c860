// The delivery worker: sends due outbox rows with a per-request timeout, at most `concurrency`
// at once and `perEndpoint` per endpoint (a receiver that hangs holds its own slots, never the
// others'), and retries with backoff. A row in flight is leased (its due time moved past the
// timeout), so a crash or a stop leaves it pending and it is sent again after a restart.
import type { EndpointFormat } from "../../../lib/contracts/notify";
import type { Incident } from "../../../lib/contracts/incidents";
import { renderBody } from "./bodies";
import type { EndpointStore, EndpointTarget } from "./endpoints";
import type { AfterAttempt, AttemptRecord, Outbox, OutboxRow } from "./outbox";
import { postWebhook, type SendOutcome, type Timers } from "./send";
import { signatureHeaders } from "./signature";

/** Waits after the 1st, 2nd … failed attempt; after the last one the delivery is given up (failed). */
export const RETRY_SCHEDULE_MS = [10_000, 30_000, 120_000, 600_000, 3_600_000] as const;

export interface DeliveryOptions {
  /** per request, ms (default 10 s) */
  timeoutMs?: number;
  /** requests in flight at once (default 8) */
  concurrency?: number;
  /** requests in flight per endpoint (default 2) */
  perEndpoint?: number;
  /**
   * Longest sleep between two looks for due rows, ms (default 5 s). The worker wakes earlier for
   * the next due delivery or escalation, and at once when new rows are written.
   */
  pollMs?: number;
  retryScheduleMs?: readonly number[];
  /** each wait is stretched by up to this fraction at random (default 0.2: 10 s becomes 10–12 s) */
  jitter?: number;
  random?: () => number;
  /** a failure of the worker itself (the database, a bug), never a receiver's */
  onError?: (error: unknown) => void;
}

/** The wait after failed attempt number `attempt` (1-based), or null when no retry is left. */
export function retryDelay(attempt: number, schedule: readonly number[] = RETRY_SCHEDULE_MS, jitter = 0.2, random: () => number = Math.random): number | null {
  if (attempt < 1 || attempt > schedule.length) return null;
  return Math.round(schedule[attempt - 1] * (1 + jitter * Math.min(1, Math.max(0, random()))));
}

export interface AttemptEvent {
  delivery: number;
  endpoint: number;
  incident: number | null;
  event: string;
  outcome: SendOutcome;
  after: AfterAttempt;
  attempt: number;
}

/** Past the timeout a leased row becomes due again (a crash mid-request). */
const LEASE_MARGIN_MS = 5_000;

export class DeliveryWorker {
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly perEndpoint: number;
  private readonly pollMs: number;
  private readonly schedule: readonly number[];
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly flights = new Map<number, { endpoint: number; done: Promise<void> }>();
  private readonly byEndpoint = new Map<number, number>();
  private listeners: ((e: AttemptEvent) => void)[] = [];
  private running = false;
  private timer: unknown = null;
  private timerAt = Infinity;
  private immediate: NodeJS.Immediate | null = null;
  private stopper = new AbortController();
  private rotation = 0;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly outbox: Outbox,
    private readonly endpoints: EndpointStore,
    private readonly timers: Timers,
    private readonly publicUrl: () => string,
    /** runs before each look for due rows (the escalation timer); answers when it is next due, if ever */
    private readonly onTick: () => number | null,
    options: DeliveryOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = options.concurrency ?? 8;
    this.perEndpoint = options.perEndpoint ?? 2;
    this.pollMs = options.pollMs ?? 5_000;
    this.schedule = options.retryScheduleMs ?? RETRY_SCHEDULE_MS;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
    this.onError = options.onError ?? (() => {});
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopper = new AbortController();
    this.wake(0);
  }

  /**
   * Stops looking for work and cuts requests in flight; their rows stay pending with the due time
   * they had, so the next start sends them. Resolves once every request has let go.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.stopper.abort();
    await this.idle();
  }

  get started(): boolean {
    return this.running;
  }

  /**
   * New rows are waiting, or a slot came free: look as soon as the current task ends (not on a
   * timer: "now" needs no clock, and the caller, a hub flush, is not held up by the look).
   */
  kick(): void {
    if (!this.running || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.pump();
    });
  }

  /** Resolves when no request is in flight. */
  async idle(): Promise<void> {
    while (this.flights.size > 0) await Promise.all([...this.flights.values()].map((f) => f.done));
  }

  inFlight(): number {
    return this.flights.size;
  }

  /** Called after every attempt (tests, logs). */
  onAttempt(listener: (e: AttemptEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Sends one row now, outside the limits, once (a test delivery); resolves with the attempt. */
  async sendOnce(row: OutboxRow, endpoint: EndpointTarget): Promise<AttemptEvent> {
    let seen: AttemptEvent | null = null;
    const off = this.onAttempt((e) => {
      if (e.delivery === row.id) seen = e;
    });
    try {
      await this.begin(row, endpoint, false);
    } finally {
      off();
    }
    return seen!;
  }

  private wake(ms: number): void {
    const at = this.timers.now() + ms;
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, ms);
  }

  private pump(): void {
    if (!this.running) return;
    let next: number | null = null;
    try {
      next = this.onTick();
      const now = this.timers.now();
      const endpoints = this.endpoints.all().filter((e) => e.enabled);
      // start from a different endpoint each time, so no one endpoint always gets the free slots first
      const start = endpoints.length ? this.rotation++ % endpoints.length : 0;
      for (let k = 0; k < endpoints.length; k++) {
        const endpoint = endpoints[(start + k) % endpoints.length];
        const free = Math.min(this.perEndpoint - (this.byEndpoint.get(endpoint.id) ?? 0), this.concurrency - this.flights.size);
        // a row still in flight past its lease (a clock that jumped) is not sent twice at once
        if (free > 0) for (const row of this.outbox.dueFor(endpoint.id, now, free)) if (!this.flights.has(row.id)) void this.begin(row, endpoint, true);
        // rows due now that found no free slot go out when a slot frees (every finish kicks)
        const due = this.outbox.nextDueAfter(endpoint.id, now);
        if (due !== null && (next === null || due < next)) next = due;
      }
    } catch (error) {
      this.onError(error);
    } finally {
      if (this.running) this.wake(next === null ? this.pollMs : Math.min(this.pollMs, Math.max(0, next - this.timers.now())));
    }
  }

  private begin(row: OutboxRow, endpoint: EndpointTarget, retry: boolean): Promise<void> {
    const now = this.timers.now();
    const attempt = row.attempts + 1;
    this.outbox.lease(row.id, now + this.timeoutMs + LEASE_MARGIN_MS);
    const body = renderBody(endpoint.format as EndpointFormat, { event: row.event, incident: row.incident ? (JSON.parse(row.incident) as Incident) : null, level: row.level, endpointName: endpoint.name }, this.publicUrl(), now);
    const headers = { ...signatureHeaders(endpoint.secret, body, now), "x-vigil-event": row.event, "x-vigil-delivery": String(row.id) };
    this.byEndpoint.set(endpoint.id, (this.byEndpoint.get(endpoint.id) ?? 0) + 1);
    const done = postWebhook(endpoint.url, body, headers, this.timeoutMs, this.timers, this.stopper.signal)
      .then((outcome) => this.finish(row, endpoint, attempt, now, outcome, retry))
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.flights.delete(row.id);
        const n = (this.byEndpoint.get(endpoint.id) ?? 1) - 1;
        if (n > 0) this.byEndpoint.set(endpoint.id, n);
        else this.byEndpoint.delete(endpoint.id);
        this.kick();
      });
    this.flights.set(row.id, { endpoint: endpoint.id, done });
    return done;
  }

  private finish(row: OutboxRow, endpoint: EndpointTarget, attempt: number, startedAt: number, outcome: SendOutcome, retry: boolean): void {
    if (outcome.aborted) {
      // a shutdown is not the receiver's failure: due again as before, for the next start
      this.outbox.lease(row.id, row.next_attempt_at);
      return;
    }
    const now = this.timers.now();
    const delay = outcome.ok || !retry ? null : retryDelay(attempt, this.schedule, this.jitter, this.random);
    const after: AfterAttempt = outcome.ok ? { status: "delivered", at: now } : delay === null ? { status: "failed" } : { status: "pending", nextAttemptAt: now + delay };
    const record: AttemptRecord = { attempt, startedAt, durationMs: outcome.duration_ms, statusCode: outcome.status_code, error: outcome.error, ok: outcome.ok };
    this.outbox.record(row.id, record, after);
    const event: AttemptEvent = { delivery: row.id, endpoint: endpoint.id, incident: row.incident_id, event: row.event, outcome, after, attempt };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a listener's failure is not the delivery's
      }
    }
  }
}
