// People's work on incidents: acknowledge, resolve with a reason, reopen, assign, snooze, note,
// change severity — one at a time or in bulk — and the timers (snoozes that end, acknowledgements
// that time out). Each change is a conditional update on `version` plus its timeline entry, in one
// transaction; bulk actions run every match in one transaction on prepared statements.
import type Database from "better-sqlite3";
import type { Incident, IncidentFilter } from "../../lib/contracts/incidents";
import { incidentRowFromRaw, toIncident } from "../../db/queries/mappers";
import type { Severity } from "../../lib/contracts/common";
import { applyAction, describeHolder, timerOutcome, type LifecycleAction, type LifecycleState, type TimelineDraft } from "./lifecycle";
import { filterSql, STATUS_FILTER } from "../../db/queries/incident-filter";
import { textHits } from "../../db/queries/incident-text";

export type WorkResult =
  | { ok: true; incident: Incident; changed: boolean }
  | { ok: false; code: "not_found" | "conflict" | "invalid"; message: string; incident?: Incident };

type Raw = Record<string, unknown>;

export function rawToIncident(r: Raw): Incident {
  return toIncident(incidentRowFromRaw(r));
}

const PATCHABLE = ["status", "severity", "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at", "assignee", "snoozed_until", "resolution"] as const;

/** What an action carries besides itself: the person's note, the version they saw, and for a resolution by Vigil the time the evidence gives. */
export interface WorkInput {
  note?: string;
  version?: number;
  /** resolve only: resolved_at is this time (clamped to [first_seen, now]) instead of now; the timeline entry stays at now */
  resolvedAt?: number;
}

/** Largest number of incidents one bulk action or filter may touch (a bound, far above any real flood). */
export const BULK_LIMIT = 100_000;

export class IncidentWork {
  private readonly byId: Database.Statement;
  private readonly update: Database.Statement;
  private readonly timeline: Database.Statement;
  private readonly activeOfKey: Database.Statement;
  private readonly timerCandidates: Database.Statement;

  constructor(private readonly sqlite: Database.Database) {
    this.byId = sqlite.prepare(`SELECT * FROM incidents WHERE id = ?`);
    // one statement for every change: unchanged columns are written back as they were. No
    // RETURNING: with it SQLite ran this update about 4 times slower (1.5 s of CPU more per
    // 10,000 rows, bench/incidents-bulk.ts); the row is read back by id instead. OR FAIL, and
    // CASE rather than max(): with the status trigger of incident_text_changes (migration 0015)
    // SQLite otherwise keeps a statement journal for this update, a copy of every page it touches
    // in case it must be undone halfway, which spills to a temporary file (bulk acknowledge of
    // 10,000 went from 0.6 to 1.5 s of CPU; with either change alone it stayed there: measured).
    // One row by id: a constraint fails before anything is written, as with ABORT.
    this.update = sqlite.prepare(
      `UPDATE OR FAIL incidents SET status = @status, severity = @severity, acknowledged_by = @acknowledged_by, acknowledged_at = @acknowledged_at,
         resolved_by = @resolved_by, resolved_at = @resolved_at, assignee = @assignee, snoozed_until = @snoozed_until, resolution = @resolution,
         version = version + 1, updated_at = CASE WHEN updated_at < @now THEN @now ELSE updated_at END
       WHERE id = @id AND version = @version`,
    );
    this.timeline = sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.activeOfKey = sqlite.prepare(`SELECT id FROM incidents WHERE dedup_key = ? AND status <> 'resolved' AND id <> ?`);
    this.timerCandidates = sqlite.prepare(
      `SELECT * FROM incidents WHERE snoozed_until IS NOT NULL AND snoozed_until <= ?
       UNION SELECT * FROM incidents WHERE status = 'acknowledged' AND snoozed_until IS NULL AND severity IN (SELECT value FROM json_each(?)) LIMIT ?`,
    );
  }

  /** The row as it is now, or null. */
  get(id: number): Incident | null {
    const r = this.byId.get(id) as Raw | undefined;
    return r ? rawToIncident(r) : null;
  }

  /**
   * One action on one incident, inside the caller's transaction (the caller audits in the same one).
   * `version`, when given, must be the one the caller saw.
   */
  apply(id: number, action: LifecycleAction, actor: string, now: number, input: WorkInput = {}): WorkResult {
    const raw = this.byId.get(id) as Raw | undefined;
    if (!raw) return { ok: false, code: "not_found", message: `incident ${id} not found` };
    const current = rawToIncident(raw);
    if (input.version !== undefined && input.version !== current.version) {
      return {
        ok: false,
        code: "conflict",
        message: `incident ${id} changed since you saw it (version ${input.version}, now ${current.version}): ${describeHolder(current)}`,
        incident: current,
      };
    }
    const outcome = applyAction(current as LifecycleState, action, actor, now, input.note);
    if (outcome.kind === "unchanged") return { ok: true, incident: current, changed: false };
    if (outcome.kind === "conflict" || outcome.kind === "invalid") return { ok: false, code: outcome.kind, message: outcome.message, incident: current };
    if (action.action === "reopen") {
      const other = this.activeOfKey.get(raw.dedup_key, id) as { id: number } | undefined;
      if (other) return { ok: false, code: "conflict", message: `incident ${other.id} is already active for the same problem: work on that one`, incident: current };
    }
    // a resolution dated by its evidence (a node's first good check) rather than by when it was seen,
    // never before the incident's first sighting nor after now
    if (action.action === "resolve" && input.resolvedAt !== undefined) {
      outcome.patch.resolved_at = Math.min(now, Math.max(current.first_seen, input.resolvedAt));
    }
    return this.write(current, outcome.patch, outcome.timeline, actor, now);
  }

  private write(current: Incident, patch: Partial<LifecycleState>, entry: TimelineDraft, actor: string, now: number): WorkResult {
    // updated_at here as well as by the timeline's trigger: one write of the row, not two
    const next: Record<string, unknown> = { id: current.id, version: current.version, now };
    for (const k of PATCHABLE) next[k] = k in patch ? patch[k as keyof LifecycleState] : current[k];
    if (this.update.run(next).changes === 0) {
      const winner = this.get(current.id)!;
      return { ok: false, code: "conflict", message: `incident ${current.id} is already ${describeHolder(winner)}`, incident: winner };
    }
    this.timeline.run(current.id, now, actor, entry.action, entry.from_status, entry.to_status, entry.note);
    return { ok: true, incident: rawToIncident(this.byId.get(current.id) as Raw), changed: true };
  }

  /**
   * The ids a filter matches (every status the filter names), newest activity first, at most `limit`.
   * Free text is matched by the in-memory index as the list matches it (Unicode case folding) when it
   * can answer: outside a transaction, so bulk actions match before opening theirs.
   */
  matching(filter: IncidentFilter, limit = BULK_LIMIT): number[] {
    const hits = textHits(this.sqlite, filter.q, STATUS_FILTER[filter.status], filter.pane);
    hits?.activate();
    const { where, params } = filterSql(filter, hits);
    const rows = this.sqlite.prepare(`SELECT id FROM incidents WHERE ${where} ORDER BY last_seen DESC, id DESC LIMIT ?`).all(...params, limit) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /**
   * Snoozes that ended and acknowledgements older than their severity's timeout return to open.
   * Called on a timer by the core (inside its own transaction); returns what changed.
   */
  sweepTimers(now: number, ackTimeoutMs: Partial<Record<Severity, number>>, limit = 1000): Incident[] {
    const severities = Object.keys(ackTimeoutMs);
    const rows = this.timerCandidates.all(now, JSON.stringify(severities), limit) as Raw[];
    const changed: Incident[] = [];
    for (const raw of rows) {
      const current = rawToIncident(raw);
      const entry = timerOutcome(current as LifecycleState, now, ackTimeoutMs);
      if (!entry) continue;
      const r = this.write(current, { status: "open", snoozed_until: null, acknowledged_by: null, acknowledged_at: null }, entry, "vigil", now);
      if (r.ok) changed.push(r.incident);
    }
    return changed;
  }
}
