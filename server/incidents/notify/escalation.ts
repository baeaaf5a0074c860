// Escalation policies per severity and the state of each open incident's escalation. Level 1 is
// paged at open (and reopen); level k+1 when level k's `after` has passed with nobody
// acknowledging. Each level is paged once per open period: the row remembers the highest level
// paged, and moving it is written in the same transaction as the deliveries it causes. An
// escalation can be held (every node of the incident paused: someone knows): its clock stands
// still, and on release the levels not yet paged are due as much later as it was held (`held_ms`).
// A held row is looked at again every HOLD_RECHECK_MS through the same due index (its `next_at`),
// so a release never depends on a delta alone.
// A node_down's open can be held for the storm wait (Alertmanager's group_wait): its row is then at
// level 0 (nothing paged yet) with `started_at` and `next_at` the end of the wait, due through the
// same index; paged, its period starts when it was (`started_at`), so each level still has its full
// `after` before the next. At level 0 with `next_at` null it was acknowledged before anything was
// paged (nothing to tell of it until it reopens). The pause hold never applies to level 0.
import type Database from "better-sqlite3";
import type { VigilDb } from "../../../db/client";
import { escalationPolicies } from "../../../db/schema";
import { SEVERITIES, type Severity } from "../../../lib/contracts/common";
import type { EscalationInput, EscalationLevel, EscalationPolicies } from "../../../lib/contracts/notify";
import type { AuditLog } from "../../audit/audit-log";
import type { Identity } from "../../auth/actor";
import { UserError } from "../../auth/users";
import type { Clock } from "../../clock";
import { parseDuration } from "../../network/duration";

export interface EscalationRow {
  incident_id: number;
  severity: string;
  started_at: number;
  /** the highest level paged; 0: the open is held for the storm wait (nothing paged yet) */
  level: number;
  next_at: number | null;
  /** since when it stands still (null: not held) */
  held_at: number | null;
  /** how long it stood still before, in this open period: its levels are due as much later */
  held_ms: number;
}

/** How often a held escalation is asked again whether it still waits (a delta of its incident asks at once). */
export const HOLD_RECHECK_MS = 60_000;

/** Milliseconds after the open at which each level is paged: [0, after1, after1 + after2, …]. */
export function levelOffsets(levels: readonly EscalationLevel[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const level of levels) {
    out.push(at);
    at += level.after_ms ?? 0;
  }
  return out;
}

/** When the level after `level` is due for an escalation started at `startedAt`, or null when none follows. */
export function nextDue(levels: readonly EscalationLevel[], startedAt: number, level: number): number | null {
  if (level >= levels.length) return null;
  return startedAt + levelOffsets(levels)[level];
}

export class Escalation {
  private cache: EscalationPolicies | null = null;
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(
    private readonly db: VigilDb,
    private readonly sqlite: Database.Database,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {
    this.stmt = prepare(sqlite);
  }

  policies(): EscalationPolicies {
    if (!this.cache) {
      const out: EscalationPolicies = {};
      for (const row of this.db.select().from(escalationPolicies).all()) {
        if (!(SEVERITIES as readonly string[]).includes(row.severity)) continue;
        out[row.severity as Severity] = { levels: row.levels.map((l) => ({ after: l.after, after_ms: l.after === null ? null : parseDuration(l.after), endpoints: l.endpoints })) };
      }
      this.cache = out;
    }
    return this.cache;
  }

  levels(severity: string): EscalationLevel[] {
    return this.policies()[severity as Severity]?.levels ?? [];
  }

  /** Which levels page endpoint `id` ("high level 2, critical level 1"), or null. */
  referencing(id: number): string | null {
    const uses = Object.entries(this.policies()).flatMap(([severity, p]) => p!.levels.flatMap((l, i) => (l.endpoints.includes(id) ? [`${severity} level ${i + 1}`] : [])));
    return uses.length ? uses.join(", ") : null;
  }

  /**
   * Replaces the whole policy (a severity left out pages nobody); every endpoint named must exist.
   * Open incidents' next levels are re-dated from their own start under the new policy.
   */
  replace(input: EscalationInput, who: Identity, endpointExists: (id: number) => boolean): EscalationPolicies {
    for (const [severity, policy] of Object.entries(input.policies)) {
      policy!.levels.forEach((level, i) => {
        const missing = level.endpoints.find((id) => !endpointExists(id));
        if (missing !== undefined) throw new UserError("invalid", `policies.${severity}.levels.${i}.endpoints: no notification endpoint ${missing}`);
      });
    }
    const before = this.policies();
    const now = this.clock.now();
    this.sqlite.transaction(() => {
      this.db.delete(escalationPolicies).run();
      for (const [severity, policy] of Object.entries(input.policies)) {
        const levels = policy!.levels.map((l, i) => ({ after: i === policy!.levels.length - 1 ? null : l.after!.text, endpoints: [...new Set(l.endpoints)] }));
        if (levels.length) this.db.insert(escalationPolicies).values({ severity, levels, updatedAt: now, updatedBy: who.name }).run();
      }
      this.cache = null;
      this.redate();
      this.audit.append({ actor: who.name, action: "escalation_policy_changed", target: "escalation policy", sourceIp: who.sourceIp, before: strip(before), after: strip(this.policies()) });
    })();
    return this.policies();
  }

  /**
   * Replaces only the severities named (an empty list of levels removes that one's policy) and keeps
   * every other as saved: two admins editing different severities do not undo each other.
   */
  update(input: EscalationInput, who: Identity, endpointExists: (id: number) => boolean): EscalationPolicies {
    const merged: EscalationInput["policies"] = {};
    for (const [severity, policy] of Object.entries(this.policies()))
      merged[severity as Severity] = { levels: policy!.levels.map((l) => ({ ...(l.after !== null ? { after: { text: l.after, ms: l.after_ms! } } : {}), endpoints: l.endpoints })) };
    for (const [severity, policy] of Object.entries(input.policies)) merged[severity as Severity] = policy;
    return this.replace({ policies: merged }, who, endpointExists);
  }

  /** An open period begins (open, reopen): level 1 is paged now; answers its endpoints. */
  start(incidentId: number, severity: string, now: number): number[] {
    const levels = this.levels(severity);
    // no row can be left: every period ends (acknowledged, resolved) by removing it
    if (levels.length === 0) return [];
    this.stmt.upsert.run({ id: incidentId, severity, started: now, level: 1, next: nextDue(levels, now, 1) });
    return levels[0].endpoints;
  }

  /**
   * A node_down opens with its open held for the storm wait: nothing is paged until `dueAt`, when
   * `announce` pages level 1 (a row even without a policy: subscribers wait too).
   */
  startHeld(incidentId: number, severity: string, dueAt: number): void {
    this.stmt.upsert.run({ id: incidentId, severity, started: dueAt, level: 0, next: dueAt });
  }

  /**
   * Acknowledged while its open was still held: nothing is paged, and the row stays (level 0, not
   * due) so that its acknowledgement and resolution are not told either; a reopen starts afresh.
   */
  quiet(incidentId: number): void {
    this.stmt.quiet.run(incidentId);
  }

  /**
   * The storm wait of a held open is over with the incident still open (inside the caller's
   * transaction): level 1 is paged `now` and the period starts then, as `start` does at an open
   * (the levels after it are dated from this page). Answers level 1's endpoints (none without a
   * policy: the row is then removed, as `start` would have made none).
   */
  announce(incidentId: number, severity: string, now: number): number[] {
    this.stmt.remove.run(incidentId);
    return this.start(incidentId, severity, now);
  }

  /** Acknowledged or resolved: no further level is paged. */
  stop(incidentId: number): void {
    this.stmt.remove.run(incidentId);
  }

  /** The incident's severity changed while open: its next level follows the new severity's policy (when it is released, if held). */
  reseverity(incidentId: number, severity: string): void {
    const row = this.stmt.get.get(incidentId) as EscalationRow | undefined;
    if (!row || row.severity === severity) return;
    // a held open is due at the end of its wait whatever the severity (its level 1 is read then)
    if (row.level === 0) return void this.stmt.move.run({ id: incidentId, severity, level: 0, next: row.next_at });
    this.stmt.move.run({ id: incidentId, severity, level: row.level, next: row.held_at === null ? nextDue(this.levels(severity), row.started_at + row.held_ms, row.level) : row.next_at });
  }

  /**
   * Holds an open escalation at `now` (or, held already, looks again later): no further level is
   * due until it is released. Answers whether it was running.
   */
  hold(incidentId: number, now: number): boolean {
    if (this.stmt.hold.run(now, now + HOLD_RECHECK_MS, incidentId).changes > 0) return true;
    this.stmt.recheck.run(now + HOLD_RECHECK_MS, incidentId);
    return false;
  }

  /**
   * Releases a held escalation at `now`: its clock moves on from where it stood (the levels not yet
   * paged are due as much later as it was held). Answers whether it was held.
   */
  release(incidentId: number, now: number): boolean {
    const row = this.stmt.get.get(incidentId) as EscalationRow | undefined;
    if (!row || row.held_at === null) return false;
    const heldMs = row.held_ms + Math.max(0, now - row.held_at);
    this.stmt.release.run({ id: incidentId, held: heldMs, next: nextDue(this.levels(row.severity), row.started_at + heldMs, row.level) });
    return true;
  }

  state(incidentId: number): EscalationRow | null {
    return (this.stmt.get.get(incidentId) as EscalationRow | undefined) ?? null;
  }

  /** When the next level of any escalation is due (or a held one is looked at again), or null. */
  nextDue(): number | null {
    return (this.stmt.nextDue.get() as { at: number | null }).at;
  }

  /** Escalations whose next level is due at `now` (or held ones to look at again), oldest first. */
  due(now: number, limit: number): EscalationRow[] {
    return this.stmt.due.all(now, limit) as EscalationRow[];
  }

  /**
   * Moves a due escalation one level up (inside the caller's transaction): answers the level now
   * paged and its endpoints, or null when none is left.
   */
  advance(row: EscalationRow): { level: number; endpoints: number[] } | null {
    const levels = this.levels(row.severity);
    const level = row.level + 1;
    if (level > levels.length) {
      this.stmt.move.run({ id: row.incident_id, severity: row.severity, level: row.level, next: null });
      return null;
    }
    this.stmt.move.run({ id: row.incident_id, severity: row.severity, level, next: nextDue(levels, row.started_at + row.held_ms, level) });
    return { level, endpoints: levels[level - 1].endpoints };
  }

  /** Every open escalation's next level, re-dated from its start under the current policy (a held one's when it is released). */
  private redate(): void {
    for (const severity of SEVERITIES) {
      const levels = this.levels(severity);
      this.stmt.clearSeverity.run(severity);
      for (let level = 1; level < levels.length; level++) this.stmt.redate.run(levelOffsets(levels)[level], severity, level);
    }
  }
}

/** The policy as the audit log records it (durations as written). */
const strip = (p: EscalationPolicies) => Object.fromEntries(Object.entries(p).map(([s, v]) => [s, v!.levels.map((l) => ({ after: l.after, endpoints: l.endpoints }))]));

function prepare(sqlite: Database.Database) {
  return {
    get: sqlite.prepare(`SELECT * FROM notify_escalations WHERE incident_id = ?`),
    // a new open period: not held
    upsert: sqlite.prepare(
      `INSERT INTO notify_escalations (incident_id, severity, started_at, level, next_at, held_at, held_ms) VALUES (@id, @severity, @started, @level, @next, NULL, 0)
       ON CONFLICT (incident_id) DO UPDATE SET severity = excluded.severity, started_at = excluded.started_at, level = excluded.level, next_at = excluded.next_at, held_at = NULL, held_ms = 0`,
    ),
    // the same open period moves on (a level paged, a new severity): held or not as it was
    move: sqlite.prepare(`UPDATE notify_escalations SET severity = @severity, level = @level, next_at = @next WHERE incident_id = @id`),
    // held: next_at is when it is asked again whether it still waits
    // (never a held open, level 0: its wait is not a pause)
    hold: sqlite.prepare(`UPDATE notify_escalations SET held_at = ?, next_at = ? WHERE incident_id = ? AND held_at IS NULL AND level > 0`),
    quiet: sqlite.prepare(`UPDATE notify_escalations SET next_at = NULL WHERE incident_id = ? AND level = 0`),
    recheck: sqlite.prepare(`UPDATE notify_escalations SET next_at = ? WHERE incident_id = ? AND held_at IS NOT NULL`),
    release: sqlite.prepare(`UPDATE notify_escalations SET held_at = NULL, held_ms = @held, next_at = @next WHERE incident_id = @id`),
    remove: sqlite.prepare(`DELETE FROM notify_escalations WHERE incident_id = ?`),
    nextDue: sqlite.prepare(`SELECT min(next_at) AS at FROM notify_escalations WHERE next_at IS NOT NULL`),
    due: sqlite.prepare(`SELECT * FROM notify_escalations WHERE next_at IS NOT NULL AND next_at <= ? ORDER BY next_at LIMIT ?`),
    // a held open (level 0) keeps the end of its wait
    clearSeverity: sqlite.prepare(`UPDATE notify_escalations SET next_at = NULL WHERE severity = ? AND held_at IS NULL AND level > 0`),
    // level L's next level (L+1, 1-based) is paged at offset index L
    redate: sqlite.prepare(`UPDATE notify_escalations SET next_at = started_at + held_ms + ? WHERE severity = ? AND level = ? AND held_at IS NULL`),
  };
}
