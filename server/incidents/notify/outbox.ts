// The durable outbox: one row per (event, endpoint), written in the transaction that records the
// transition, and every attempt at delivering it. Prepared statements: rows are written on the
// hub's flush, in batches of up to a few thousand.
import type Database from "better-sqlite3";
import type { Incident } from "../../../lib/contracts/incidents";
import type { NotifyEvent } from "../../../lib/contracts/notify";

export interface OutboxRow {
  id: number;
  incident_id: number | null;
  endpoint_id: number;
  event: NotifyEvent | "test";
  level: number | null;
  /** the incident at the transition, JSON */
  incident: string | null;
  status: "pending" | "delivered" | "failed" | "cancelled";
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

export interface NewDelivery {
  endpointId: number;
  event: NotifyEvent | "test";
  level: number | null;
  incident: Incident | null;
}

export interface AttemptRecord {
  attempt: number;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  ok: boolean;
}

/** The state a delivery is left in after an attempt. */
export type AfterAttempt = { status: "delivered"; at: number } | { status: "pending"; nextAttemptAt: number } | { status: "failed" };

export class Outbox {
  private readonly insert: Database.Statement;
  private readonly due: Database.Statement;
  private readonly leaseStmt: Database.Statement;
  private readonly attemptStmt: Database.Statement;
  private readonly afterStmt: Database.Statement;
  private readonly cancelStmt: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly pendingCount: Database.Statement;
  private readonly nextDueStmt: Database.Statement;

  constructor(private readonly sqlite: Database.Database) {
    this.insert = sqlite.prepare(
      `INSERT INTO notify_outbox (incident_id, endpoint_id, event, level, incident, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id`,
    );
    this.due = sqlite.prepare(
      `SELECT * FROM notify_outbox INDEXED BY notify_outbox_due
       WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.leaseStmt = sqlite.prepare(`UPDATE notify_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending'`);
    this.attemptStmt = sqlite.prepare(
      `INSERT INTO notify_attempts (outbox_id, attempt, started_at, duration_ms, status_code, error, ok) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.afterStmt = sqlite.prepare(
      // a delivery cancelled while in flight (its endpoint disabled) stays cancelled unless it arrived
      `UPDATE notify_outbox SET attempts = @attempts, status = CASE WHEN status = 'cancelled' AND @status <> 'delivered' THEN 'cancelled' ELSE @status END,
         next_attempt_at = @next, delivered_at = @delivered, last_status_code = @code, last_error = @error WHERE id = @id`,
    );
    this.cancelStmt = sqlite.prepare(`UPDATE notify_outbox SET status = 'cancelled', last_error = ? WHERE endpoint_id = ? AND status = 'pending'`);
    this.byId = sqlite.prepare(`SELECT * FROM notify_outbox WHERE id = ?`);
    this.pendingCount = sqlite.prepare(`SELECT count(*) AS n FROM notify_outbox WHERE status = 'pending'`);
    this.nextDueStmt = sqlite.prepare(
      `SELECT min(next_attempt_at) AS at FROM notify_outbox INDEXED BY notify_outbox_due WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at > ?`,
    );
  }

  /** Writes deliveries due at `now` (inside the caller's transaction, if any); answers their ids. */
  enqueue(rows: readonly NewDelivery[], now: number): number[] {
    // the rows of one transition share one incident: serialized once
    let last: Incident | null = null;
    let json: string | null = null;
    return rows.map((r) => {
      if (r.incident !== last) {
        last = r.incident;
        json = r.incident ? JSON.stringify(r.incident) : null;
      }
      return (this.insert.get(r.incident?.id ?? null, r.endpointId, r.event, r.level, json, now, now) as { id: number }).id;
    });
  }

  /** Pending deliveries of one endpoint due at `now`, oldest due first. */
  dueFor(endpointId: number, now: number, limit: number): OutboxRow[] {
    return this.due.all(endpointId, now, limit) as OutboxRow[];
  }

  /** Moves a delivery's due time: a lease while it is in flight (so the due query skips it), or back. */
  lease(id: number, until: number): void {
    this.leaseStmt.run(until, id);
  }

  /** Records one attempt and what it leaves the delivery as, in one transaction. */
  record(id: number, a: AttemptRecord, after: AfterAttempt): void {
    this.sqlite.transaction(() => {
      this.attemptStmt.run(id, a.attempt, a.startedAt, a.durationMs, a.statusCode, a.error, a.ok ? 1 : 0);
      const next = after.status === "pending" ? after.nextAttemptAt : a.startedAt;
      this.afterStmt.run({ attempts: a.attempt, status: after.status, next, delivered: after.status === "delivered" ? after.at : null, code: a.statusCode, error: a.error, id });
    })();
  }

  /** Pending deliveries of an endpoint that was disabled or deleted are not sent. */
  cancelPending(endpointId: number, reason: string): number {
    return this.cancelStmt.run(reason, endpointId).changes;
  }

  get(id: number): OutboxRow | null {
    return (this.byId.get(id) as OutboxRow | undefined) ?? null;
  }

  /** When the endpoint's next pending delivery falls due after `now` (leases included), or null (one index seek). */
  nextDueAfter(endpointId: number, now: number): number | null {
    return (this.nextDueStmt.get(endpointId, now) as { at: number | null }).at;
  }

  pending(): number {
    return (this.pendingCount.get() as { n: number }).n;
  }
}
