import type Database from "better-sqlite3";
import type { incidents } from "../../db/schema";
import { incidentRowFromRaw, toIncident } from "../../db/queries/mappers";
import type { Incident } from "../../lib/contracts/incidents";
import { severityRank, type Severity } from "../../lib/contracts/common";
import type { Clock } from "../clock";
import type { SecurityDetection } from "../security/types";
import { SecurityRows, type OpenRow, type TimelineRow } from "./security-rows";

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
  private readonly rows: SecurityRows;

  constructor(
    sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly cacheSize = ACTIVE_CACHE_SIZE,
  ) {
    this.sql = prepare(sqlite);
    this.rows = new SecurityRows(sqlite);
  }

  /** Forgets what it knows of one dedup key (after a status change), or of all. */
  forget(key?: string): void {
    if (key === undefined) this.known.clear();
    else this.known.delete(key);
  }

  /**
   * Opens or grows one incident per detection (in order); a detection that adds nothing to no
   * incident gives none. The batch's new incidents go in multi-row INSERTs and its timeline entries
   * too, after the grows: an incident's INSERT fires the search index's trigger, and that trigger
   * (and the foreign key of a timeline entry) makes SQLite keep a statement journal, every page the
   * statement touches copied (past 64 KiB into a temporary file, two writes a page): one statement
   * for the batch copies each page once instead of once per incident. Every table still receives
   * its rows in the order one detection after another wrote them (the same ids); only the log of
   * severity rises (incident_text_changes, which its reader takes a commit at a time) now comes
   * before that of the batch's openings.
   */
  record(detections: readonly SecurityDetection[]): Incident[] {
    const version = this.sql.dataVersion.get() as number;
    if (version !== this.dataVersion) this.known.clear();
    this.dataVersion = version;
    const now = this.clock.now();
    try {
      if (distinctKeys(detections)) return this.recordDistinct(detections, now);
      // a key twice (the engine folds them, other callers may not): each grows what the one before opened
      const out: Incident[] = [];
      for (const d of detections) out.push(...this.recordDistinct([d], now));
      return out;
    } catch (error) {
      // the caller's transaction rolls back: what was remembered from it is not in the database
      this.known.clear();
      throw error;
    }
  }

  private recordDistinct(detections: readonly SecurityDetection[], now: number): Incident[] {
    const slots: Slot[] = [];
    for (const d of detections) {
      const slot = this.growOrFind(d);
      if (slot) slots.push(slot);
    }
    this.openAll(slots.filter((s) => s.opened), now);
    const out: Incident[] = [];
    const timeline: TimelineRow[] = [];
    for (const { d, known, opened, severityNote } of slots) {
      const id = known!.row.id;
      if (opened) timeline.push([id, now, SYSTEM_ACTOR, "opened", null, "open", d.explanation]);
      else if (severityNote !== null) timeline.push([id, now, SYSTEM_ACTOR, "note", null, null, severityNote]);
      for (const note of d.notes ?? []) timeline.push([id, now, SYSTEM_ACTOR, "note", null, null, note]);
      out.push(toIncident({ ...known!.row, explanation: d.explanation, details: d.details ?? null }));
    }
    this.linkAll(slots);
    this.rows.timeline(timeline);
    return out;
  }

  /** Grows the detection's active incident, or marks it to be opened; null when it opens nothing. */
  private growOrFind(d: SecurityDetection): Slot | null {
    const key = `${d.rule}:${d.entity}`;
    const details = d.details ? JSON.stringify(d.details) : null;
    let known = this.lookup(key);
    let severityNote = known ? this.grow(known, d, details) : null;
    if (known && severityNote === false) {
      // changed under the cache (it cannot, short of a write that skipped the service): read it again
      this.known.delete(key);
      known = this.lookup(key);
      if (known && (severityNote = this.grow(known, d, details)) === false) throw new Error(`incident ${known.row.id} changed while it was grown`);
    }
    if (known) return { d, key, details, known, opened: false, severityNote: severityNote || null, tried: 0 };
    // a report that adds nothing (late evidence of a burst already counted) opens nothing
    if (d.increment <= 0) return null;
    return { d, key, details, known: null, opened: true, severityNote: null, tried: 0 };
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

  /** Grows a remembered incident: false when the row is no longer the one remembered, else the timeline's note of a rise in severity, or null. */
  private grow(known: Known, d: SecurityDetection, details: string | null): string | null | false {
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
    return severity !== before ? `severity raised from ${before} to ${severity}: ${d.explanation}` : null;
  }

  /**
   * Opens the batch's new incidents, in order, many to a statement. updated_at is written as
   * the triggers of migration 0014 would leave it once the "opened" entry (at `now`) is on the
   * timeline, so neither of them rewrites the row.
   */
  private openAll(slots: readonly Slot[], now: number): void {
    if (slots.length === 0) return;
    const ids = this.rows.open(slots.map(({ d, key, details }): OpenRow => [key, d.rule, d.entity, d.title, d.severity, d.firstSeen, d.lastSeen, d.increment, d.explanation, d.mitre, details, Math.max(d.firstSeen, now)]));
    // set by the incidents_previous trigger on insert
    const previous = new Map<number, number | null>();
    for (const r of this.sql.previousOf.all(ids[0], ids[ids.length - 1]) as { id: number; previous_id: number | null }[]) previous.set(r.id, r.previous_id);
    for (const [k, slot] of slots.entries()) {
      const { d } = slot;
      const id = ids[k];
      slot.known = {
        // the row as inserted, with the table's defaults for what the insert leaves out
        row: {
          id,
          dedupKey: slot.key,
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
          previousId: previous.get(id) ?? null,
        },
        linked: 0,
      };
      this.remember(slot.key, slot.known);
    }
  }

  /**
   * Links the batch's evidence, each incident's while it has fewer than EVIDENCE_CAP links (once
   * full, it costs nothing), many to a statement instead of one each. An incident's first
   * CAP − linked events would each be tried one at a time too, so they go in at once, in the same
   * order; only when some were linked already (ignored) are those incidents counted again and their
   * next events tried one by one.
   */
  private linkAll(slots: readonly Slot[]): void {
    const planned: Slot[] = [];
    const params: number[] = [];
    for (const slot of slots) {
      const { evidence } = slot.d;
      if (evidence.length === 0) continue;
      const known = slot.known!;
      known.linked ??= (this.sql.evidenceCount.get(known.row.id, EVIDENCE_CAP) as { n: number }).n;
      slot.tried = Math.min(EVIDENCE_CAP - known.linked, evidence.length);
      if (slot.tried <= 0) continue;
      planned.push(slot);
      for (let i = 0; i < slot.tried; i++) params.push(known.row.id, evidence[i]);
    }
    if (this.rows.link(params) === params.length / 2) {
      for (const slot of planned) slot.known!.linked! += slot.tried;
      return;
    }
    for (const slot of planned) {
      const known = slot.known!;
      const id = known.row.id;
      known.linked = (this.sql.evidenceCount.get(id, EVIDENCE_CAP) as { n: number }).n;
      const { evidence } = slot.d;
      for (let i = slot.tried; i < evidence.length && known.linked < EVIDENCE_CAP; i++) known.linked += this.sql.link.run(id, evidence[i]).changes;
    }
  }
}

type RawRow = Record<string, unknown>;

/** One detection of a batch: the incident it grew, or (opened) the one opened for it after the grows. */
interface Slot {
  d: SecurityDetection;
  key: string;
  details: string | null;
  known: Known | null;
  opened: boolean;
  /** the timeline's note of a rise in severity */
  severityNote: string | null;
  /** how many of its evidence events linkAll tried at once */
  tried: number;
}

function distinctKeys(detections: readonly SecurityDetection[]): boolean {
  if (detections.length < 2) return true;
  const keys = new Set<string>();
  for (const d of detections) keys.add(`${d.rule}:${d.entity}`);
  return keys.size === detections.length;
}

function prepare(sqlite: Database.Database) {
  return {
    dataVersion: sqlite.prepare(`PRAGMA data_version`).pluck(),
    findActive: sqlite.prepare(
      `SELECT id, dedup_key, rule, entity, pane, title, severity, status, first_seen, last_seen, count, version,
         acknowledged_by, acknowledged_at, resolved_by, resolved_at, mitre, assignee, snoozed_until, resolution, previous_id
       FROM incidents WHERE dedup_key = ? AND status <> 'resolved'`,
    ),
    // set by the incidents_previous trigger on insert
    previousOf: sqlite.prepare(`SELECT id, previous_id FROM incidents WHERE id BETWEEN ? AND ?`),
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
    evidenceCount: sqlite.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM incident_events WHERE incident_id = ? LIMIT ?)`),
    link: sqlite.prepare(`INSERT OR IGNORE INTO incident_events (incident_id, event_id) VALUES (?, ?)`),
  };
}

/** The row without the two columns the writer does not read back (explanation, details). */
function fromRaw(r: RawRow): KnownRow {
  const { explanation: _e, details: _d, ...row } = incidentRowFromRaw(r);
  return row;
}
