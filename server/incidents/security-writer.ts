import type Database from "better-sqlite3";
import type { incidents } from "../../db/schema";
import { incidentRowFromRaw, toIncident } from "../../db/queries/mappers";
import type { Incident } from "../../lib/contracts/incidents";
import { severityRank, type Severity } from "../../lib/contracts/common";
import type { Clock } from "../clock";
import type { SecurityDetection } from "../security/types";

/** Evidence links kept per incident (the first ones); the incident's count stays the true count. */
export const EVIDENCE_CAP = 200;
/** Active incidents remembered between batches; past this, the least recently grown are forgotten (and read again when needed). */
export const ACTIVE_CACHE_SIZE = 20_000;

const SYSTEM_ACTOR = "vigil";

type IncidentRow = typeof incidents.$inferSelect;
/** An active incident as last written, but for the two fields every grow rewrites. */
type KnownRow = Omit<IncidentRow, "explanation" | "details" | "updatedAt" | "severityRank">;
interface Known {
  row: KnownRow;
  /** evidence links stored for it, or null until counted */
  linked: number | null;
}

/**
 * Opens and grows security incidents for the detections of one batch, inside the caller's
 * transaction (no savepoint per detection: each one made SQLite copy every page it touched into a
 * statement journal). Active incidents are remembered by dedup key, so a grow costs one UPDATE and
 * no read: the cache is exact because every write to `incidents` goes through the service (which
 * calls `forget`), a commit by any other connection (PRAGMA data_version) empties it, and every
 * grow is conditional on the remembered id, version and status, so a stale entry is read again
 * instead of written over.
 */
export class SecurityIncidentWriter {
  private readonly known = new Map<string, Known>();
  private dataVersion: number | null = null;
  private readonly sql: ReturnType<typeof prepare>;

  constructor(
    sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly cacheSize = ACTIVE_CACHE_SIZE,
  ) {
    this.sql = prepare(sqlite);
  }

  /** Forgets what it knows of one dedup key (after a status change), or of all. */
  forget(key?: string): void {
    if (key === undefined) this.known.clear();
    else this.known.delete(key);
  }

  /** Opens or grows one incident per detection (in order); a detection that adds nothing to no incident gives none. */
  record(detections: readonly SecurityDetection[]): Incident[] {
    const version = this.sql.dataVersion.get() as number;
    if (version !== this.dataVersion) this.known.clear();
    this.dataVersion = version;
    const out: Incident[] = [];
    try {
      for (const d of detections) {
        const incident = this.recordOne(d);
        if (incident) out.push(incident);
      }
    } catch (error) {
      // the caller's transaction rolls back: what was remembered from it is not in the database
      this.known.clear();
      throw error;
    }
    return out;
  }

  private recordOne(d: SecurityDetection): Incident | null {
    const key = `${d.rule}:${d.entity}`;
    const details = d.details ? JSON.stringify(d.details) : null;
    let known = this.lookup(key);
    if (known && !this.grow(known, d, details)) {
      // changed under the cache (it cannot, short of a write that skipped the service): read it again
      this.known.delete(key);
      known = this.lookup(key);
      if (known && !this.grow(known, d, details)) throw new Error(`incident ${known.row.id} changed while it was grown`);
    }
    if (!known) {
      // a report that adds nothing (late evidence of a burst already counted) opens nothing
      if (d.increment <= 0) return null;
      known = this.open(key, d, details);
    }
    this.link(known, d.evidence);
    for (const note of d.notes ?? []) this.sql.timeline.run(known.row.id, this.clock.now(), SYSTEM_ACTOR, "note", null, null, note);
    return toIncident({ ...known.row, explanation: d.explanation, details: d.details ?? null });
  }

  /** The active incident under `key`: remembered (and marked as recently used), else read, else undefined. */
  private lookup(key: string): Known | undefined {
    let known = this.known.get(key);
    if (known) this.known.delete(key);
    else {
      const row = this.sql.findActive.get(key) as RawRow | undefined;
      if (!row) return undefined;
      known = { row: fromRaw(row), linked: null };
    }
    this.remember(key, known);
    return known;
  }

  private remember(key: string, known: Known): void {
    this.known.set(key, known);
    if (this.known.size > this.cacheSize) this.known.delete(this.known.keys().next().value!);
  }

  /** Grows a remembered incident; false when the row is no longer the one remembered. */
  private grow(known: Known, d: SecurityDetection, details: string | null): boolean {
    const row = known.row;
    const before = row.severity as Severity;
    const severity = severityRank[d.severity] < severityRank[before] ? d.severity : before;
    const info = this.sql.grow.run({ increment: d.increment, first: d.firstSeen, last: d.lastSeen, severity, explanation: d.explanation, mitre: d.mitre ?? null, details, id: row.id, version: row.version });
    if (info.changes === 0) return false;
    // the same arithmetic as the statement's, so the remembered row is the stored one
    row.count += d.increment;
    row.firstSeen = Math.min(row.firstSeen, d.firstSeen);
    row.lastSeen = Math.max(row.lastSeen, d.lastSeen);
    row.severity = severity;
    row.mitre = d.mitre ?? row.mitre;
    if (severity !== before) {
      this.sql.timeline.run(row.id, this.clock.now(), SYSTEM_ACTOR, "note", null, null, `severity raised from ${before} to ${severity}: ${d.explanation}`);
    }
    return true;
  }

  private open(key: string, d: SecurityDetection, details: string | null): Known {
    const info = this.sql.open.run(key, d.rule, d.entity, d.title, d.severity, d.firstSeen, d.lastSeen, d.increment, d.explanation, d.mitre, details);
    const id = Number(info.lastInsertRowid);
    this.sql.timeline.run(id, this.clock.now(), SYSTEM_ACTOR, "opened", null, "open", d.explanation);
    const known: Known = {
      // the row as inserted, with the table's defaults for what the insert leaves out
      row: {
        id,
        dedupKey: key,
        rule: d.rule,
        entity: d.entity,
        pane: "security",
        title: d.title,
        severity: d.severity,
        status: "open",
        firstSeen: d.firstSeen,
        lastSeen: d.lastSeen,
        count: d.increment,
        version: 1,
        acknowledgedBy: null,
        acknowledgedAt: null,
        resolvedBy: null,
        resolvedAt: null,
        mitre: d.mitre,
        assignee: null,
        snoozedUntil: null,
        resolution: null,
        previousId: (this.sql.previousOf.get(id) as number | null) ?? null,
      },
      linked: 0,
    };
    this.remember(key, known);
    return known;
  }

  /** Links evidence while the incident has fewer than EVIDENCE_CAP links: once full, it costs nothing. */
  private link(known: Known, evidence: readonly number[]): void {
    if (evidence.length === 0) return;
    const id = known.row.id;
    known.linked ??= (this.sql.evidenceCount.get(id, EVIDENCE_CAP) as { n: number }).n;
    for (let i = 0; i < evidence.length && known.linked < EVIDENCE_CAP; i++) known.linked += this.sql.link.run(id, evidence[i]).changes;
  }
}

type RawRow = Record<string, unknown>;

function prepare(sqlite: Database.Database) {
  return {
    dataVersion: sqlite.prepare(`PRAGMA data_version`).pluck(),
    findActive: sqlite.prepare(
      `SELECT id, dedup_key, rule, entity, pane, title, severity, status, first_seen, last_seen, count, version,
         acknowledged_by, acknowledged_at, resolved_by, resolved_at, mitre, assignee, snoozed_until, resolution, previous_id
       FROM incidents WHERE dedup_key = ? AND status <> 'resolved'`,
    ),
    // set by the incidents_previous trigger on insert
    previousOf: sqlite.prepare(`SELECT previous_id FROM incidents WHERE id = ?`).pluck(),
    // OR FAIL, and CASE rather than min()/max()/coalesce(): with a trigger on a column this sets
    // (severity: incident_text_changes, migration 0016) SQLite otherwise keeps a statement journal
    // for the update, and a grow cost about 80 µs instead of 13 (measured; see work.ts's update).
    // One row by id: a constraint fails before anything is written, as with ABORT.
    grow: sqlite.prepare(
      `UPDATE OR FAIL incidents SET count = count + @increment,
         first_seen = CASE WHEN first_seen > @first THEN @first ELSE first_seen END,
         last_seen = CASE WHEN last_seen < @last THEN @last ELSE last_seen END, severity = @severity,
         explanation = @explanation, mitre = CASE WHEN @mitre IS NULL THEN mitre ELSE @mitre END, details = @details
       WHERE id = @id AND version = @version AND status <> 'resolved'`,
    ),
    open: sqlite.prepare(
      `INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen, count, explanation, mitre, details)
       VALUES (?, ?, ?, 'security', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    evidenceCount: sqlite.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM incident_events WHERE incident_id = ? LIMIT ?)`),
    link: sqlite.prepare(`INSERT OR IGNORE INTO incident_events (incident_id, event_id) VALUES (?, ?)`),
    timeline: sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`),
  };
}

/** The row without the two columns the writer does not read back (explanation, details). */
function fromRaw(r: RawRow): KnownRow {
  const { explanation: _e, details: _d, ...row } = incidentRowFromRaw(r);
  return row;
}
