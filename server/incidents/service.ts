import type Database from "better-sqlite3";
import type { VigilDb } from "../../db/client";
import { incidents, incidentTimeline } from "../../db/schema";
import { getIncident } from "../../db/queries/incidents";
import { incidentRowFromRaw, toIncident } from "../../db/queries/mappers";
import type { Incident, IncidentActionInput, Pane, ResolutionReason } from "../../lib/contracts/incidents";
import { IncidentWork } from "./work";
import type { Silences } from "./silences";
import type { LifecycleAction } from "./lifecycle";
import { severityRank, type Severity } from "../../lib/contracts/common";
import type { Clock } from "../clock";
import type { SecurityDetection } from "../security/types";
import { SecurityIncidentWriter } from "./security-writer";

export { EVIDENCE_CAP } from "./security-writer";

/** What a detector reports: a problem keyed by (rule, entity). */
export interface Detection {
  rule: string;
  entity: string;
  pane: Pane;
  title: string;
  severity: Severity;
  time: number;
  /** when what it reports began, when earlier than `time` (a node's first failed check): a new incident's first_seen, and an open one's when earlier than its own (a late failure dated before the run's first) */
  firstSeen?: number;
  /** how many occurrences this report adds to the incident's count */
  increment: number;
}

export type ActionResult =
  | { ok: true; incident: Incident; changed?: boolean }
  | { ok: false; code: "not_found" | "conflict" | "forbidden" | "invalid"; message: string; incident?: Incident };

/** Sums detections that share a key so a batch costs one incident write per key. */
export function mergeDetections(detections: Detection[]): Detection[] {
  const byKey = new Map<string, Detection>();
  for (const d of detections) {
    const key = `${d.rule}:${d.entity}`;
    const seen = byKey.get(key);
    if (seen) byKey.set(key, { ...seen, increment: seen.increment + d.increment, time: Math.max(seen.time, d.time), firstSeen: Math.min(seen.firstSeen ?? seen.time, d.firstSeen ?? d.time) });
    else byKey.set(key, d);
  }
  return [...byKey.values()];
}

export const SYSTEM_ACTOR = "vigil";

export function dedupKey(rule: string, entity: string): string {
  return `${rule}:${entity}`;
}


/**
 * Incident state: dedup of detections, acknowledgement and resolution. Every status change is a
 * conditional update on `version`; the loser of a race gets a conflict naming the winner.
 */
export class IncidentService {
  // detections record on the ingest path: plain prepared statements, not a query built per call
  // (drizzle building and preparing each one cost about 0.7 ms, and held the event loop in floods)
  private readonly hot: ReturnType<typeof prepareHot>;
  private readonly sqlite: Database.Database;
  private readonly security: SecurityIncidentWriter;

  constructor(
    private readonly db: VigilDb,
    private readonly clock: Clock,
    /** active silences: a matching detection is counted there and touches no incident */
    private readonly silences?: Silences,
  ) {
    this.sqlite = (db as unknown as { $client: Database.Database }).$client;
    this.hot = prepareHot(this.sqlite);
    this.work = new IncidentWork(this.sqlite);
    this.security = new SecurityIncidentWriter(this.sqlite, clock);
  }

  /** people's work: every lifecycle action, bulk matching and the timers */
  readonly work: IncidentWork;

  /** Opens an incident for the detection, or grows the active one with the same key; null when a silence holds it. */
  record(d: Detection): Incident | null {
    if (this.silences?.hold(d, d.increment, d.time) != null) return null;
    const key = dedupKey(d.rule, d.entity);
    this.security.forget(key);
    return this.sqlite.transaction(() => {
      const active = this.hot.findActive.get(key) as IncidentRowRaw | undefined;
      if (active) {
        const severity = severityRank[d.severity] < severityRank[active.severity as Severity] ? d.severity : active.severity;
        return toIncident(incidentRowFromRaw(this.hot.grow.get({ increment: d.increment, last: d.time, first: d.firstSeen ?? null, severity, id: active.id }) as IncidentRowRaw));
      }
      const row = incidentRowFromRaw(this.hot.open.get(key, d.rule, d.entity, d.pane, d.title, d.severity, Math.min(d.firstSeen ?? d.time, d.time), d.time, d.increment) as IncidentRowRaw);
      this.hot.timeline.run(row.id, this.clock.now(), SYSTEM_ACTOR, "opened", null, "open", d.title);
      return toIncident(row);
    })();
  }

  /**
   * Opens or grows the security incident under the detection's key. Times are the evidence's own:
   * `first_seen` only moves earlier and `last_seen` only later, whatever order batches arrive in.
   * A rise in severity is written on the timeline. Evidence events are linked (up to EVIDENCE_CAP).
   */
  recordSecurity(d: SecurityDetection): Incident | null {
    return this.recordSecurityBatch([d])[0] ?? null;
  }

  /**
   * `recordSecurity` for every detection of one batch, in order (one write per incident; a
   * detection that opens nothing gives no incident). Inside the caller's transaction when there is
   * one: the batch's events and its incidents commit together.
   */
  recordSecurityBatch(detections: readonly SecurityDetection[]): Incident[] {
    // a silence holds a detection back: counted on the silence, no incident opened or grown
    if (this.silences) detections = detections.filter((d) => this.silences!.hold({ rule: d.rule, entity: d.entity, pane: "security", severity: d.severity }, d.increment, d.lastSeen) == null);
    if (detections.length === 0) return [];
    if (this.sqlite.inTransaction) return this.security.record(detections);
    return this.sqlite.transaction(() => this.security.record(detections))();
  }

  /** Forgets every remembered active incident (the caller's transaction failed after recording). */
  forgetActive(): void {
    this.security.forget();
  }

  acknowledge(id: number, actor: string, input: IncidentActionInput = {}): ActionResult {
    return this.act(id, { action: "acknowledge" }, actor, input);
  }

  resolve(id: number, actor: string, input: IncidentActionInput & { reason?: ResolutionReason } = {}): ActionResult {
    return this.act(id, { action: "resolve", reason: input.reason }, actor, input);
  }

  /**
   * Resolves the active incident with this key, if any (a node that recovered). With `at`, the
   * incident is resolved as of that time (the first good check), not as of now; the timeline entry
   * is still written now, and the note says both.
   */
  resolveByKey(rule: string, entity: string, note: string, at?: number): Incident | null {
    const active = this.activeByKey(rule, entity);
    if (!active) return null;
    const result = this.act(active.id, { action: "resolve" }, SYSTEM_ACTOR, at === undefined ? { note } : { note, resolvedAt: at });
    return result.ok ? result.incident : null;
  }

  /** The active (open or acknowledged) incident with this key, or null. */
  activeByKey(rule: string, entity: string): Incident | null {
    const row = this.hot.findActive.get(dedupKey(rule, entity)) as IncidentRowRaw | undefined;
    return row ? toIncident(incidentRowFromRaw(row)) : null;
  }

  /**
   * Rewrites what an incident says about itself (title, explanation, details, count), for
   * detections that keep a picture up to date (a storm's members, a parent's unreachable
   * children). Not a lifecycle change: no version bump, no timeline entry.
   */
  describe(id: number, what: { title?: string; explanation?: string | null; details?: Record<string, unknown> | null; count?: number; lastSeen?: number }): Incident | null {
    const row = this.hot.describe.get(
      what.title ?? null,
      what.explanation === undefined ? 0 : 1,
      what.explanation ?? null,
      what.details === undefined ? 0 : 1,
      what.details ? JSON.stringify(what.details) : null,
      what.count ?? null,
      what.lastSeen ?? null,
      id,
    ) as IncidentRowRaw | undefined;
    return row ? toIncident(incidentRowFromRaw(row)) : null;
  }

  /** Any lifecycle action (server/incidents/lifecycle.ts) as one transaction; repeating what is already so answers ok. */
  act(id: number, action: LifecycleAction, actor: string, input: IncidentActionInput & { resolvedAt?: number } = {}): ActionResult {
    return this.sqlite.transaction((): ActionResult => {
      const r = this.work.apply(id, action, actor, this.clock.now(), input);
      if (r.ok) return { ok: true, incident: r.incident, changed: r.changed };
      return { ok: false, code: r.code, message: r.message, incident: r.incident };
    })();
  }
}

type IncidentRow = typeof incidents.$inferSelect;
type IncidentRowRaw = Record<string, unknown>;

function prepareHot(sqlite: Database.Database) {
  return {
    findActive: sqlite.prepare(`SELECT * FROM incidents WHERE dedup_key = ? AND status <> 'resolved'`),
    // OR FAIL and CASE: see security-writer.ts's grow (a trigger on severity otherwise costs a statement journal per update)
    grow: sqlite.prepare(
      `UPDATE OR FAIL incidents SET count = count + @increment, last_seen = CASE WHEN last_seen < @last THEN @last ELSE last_seen END,
         first_seen = CASE WHEN @first IS NOT NULL AND @first < first_seen THEN @first ELSE first_seen END, severity = @severity WHERE id = @id RETURNING *`,
    ),
    open: sqlite.prepare(
      `INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    describe: sqlite.prepare(
      `UPDATE incidents SET title = coalesce(?, title), explanation = CASE WHEN ? THEN ? ELSE explanation END, details = CASE WHEN ? THEN ? ELSE details END,
         count = coalesce(?, count), last_seen = max(last_seen, coalesce(?, last_seen)) WHERE id = ? RETURNING *`,
    ),
    timeline: sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`),
  };
}

