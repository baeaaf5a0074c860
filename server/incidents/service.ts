import { and, eq, ne, sql } from "drizzle-orm";
import type Database from "better-sqlite3";
import type { VigilDb } from "../../db/client";
import { incidents, incidentTimeline } from "../../db/schema";
import { getIncident } from "../../db/queries/incidents";
import { toIncident } from "../../db/queries/mappers";
import type { Incident, IncidentActionInput, Pane } from "../../lib/contracts/incidents";
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
  /** how many occurrences this report adds to the incident's count */
  increment: number;
}

export type ActionResult =
  | { ok: true; incident: Incident }
  | { ok: false; code: "not_found" | "conflict" | "forbidden"; message: string; incident?: Incident };

/** Sums detections that share a key so a batch costs one incident write per key. */
export function mergeDetections(detections: Detection[]): Detection[] {
  const byKey = new Map<string, Detection>();
  for (const d of detections) {
    const key = `${d.rule}:${d.entity}`;
    const seen = byKey.get(key);
    if (seen) byKey.set(key, { ...seen, increment: seen.increment + d.increment, time: Math.max(seen.time, d.time) });
    else byKey.set(key, d);
  }
  return [...byKey.values()];
}

export const SYSTEM_ACTOR = "vigil";

export function dedupKey(rule: string, entity: string): string {
  return `${rule}:${entity}`;
}

function describeHolder(i: Incident): string {
  if (i.status === "resolved") return `resolved by ${i.resolved_by} at ${new Date(i.resolved_at ?? 0).toISOString()}`;
  if (i.status === "acknowledged") return `acknowledged by ${i.acknowledged_by} at ${new Date(i.acknowledged_at ?? 0).toISOString()}`;
  return "open";
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
  ) {
    this.sqlite = (db as unknown as { $client: Database.Database }).$client;
    this.hot = prepareHot(this.sqlite);
    this.security = new SecurityIncidentWriter(this.sqlite, clock);
  }

  /** Opens an incident for the detection, or grows the active one with the same key. */
  record(d: Detection): Incident {
    const key = dedupKey(d.rule, d.entity);
    this.security.forget(key);
    return this.sqlite.transaction(() => {
      const active = this.hot.findActive.get(key) as IncidentRowRaw | undefined;
      if (active) {
        const severity = severityRank[d.severity] < severityRank[active.severity as Severity] ? d.severity : active.severity;
        return toIncident(fromRaw(this.hot.grow.get(d.increment, d.time, severity, active.id) as IncidentRowRaw));
      }
      const row = fromRaw(this.hot.open.get(key, d.rule, d.entity, d.pane, d.title, d.severity, d.time, d.time, d.increment) as IncidentRowRaw);
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
    if (detections.length === 0) return [];
    if (this.sqlite.inTransaction) return this.security.record(detections);
    return this.sqlite.transaction(() => this.security.record(detections))();
  }

  /** Forgets every remembered active incident (the caller's transaction failed after recording). */
  forgetActive(): void {
    this.security.forget();
  }

  acknowledge(id: number, actor: string, input: IncidentActionInput = {}): ActionResult {
    return this.transition(id, actor, input, ["open"], "acknowledged");
  }

  resolve(id: number, actor: string, input: IncidentActionInput = {}): ActionResult {
    return this.transition(id, actor, input, ["open", "acknowledged"], "resolved");
  }

  /** Resolves the active incident with this key, if any (a node that recovered). */
  resolveByKey(rule: string, entity: string, note: string): Incident | null {
    const active = this.db
      .select({ id: incidents.id })
      .from(incidents)
      .where(and(eq(incidents.dedupKey, dedupKey(rule, entity)), ne(incidents.status, "resolved")))
      .get();
    if (!active) return null;
    const result = this.resolve(active.id, SYSTEM_ACTOR, { note });
    return result.ok ? result.incident : null;
  }

  private transition(
    id: number,
    actor: string,
    input: IncidentActionInput,
    from: Incident["status"][],
    to: "acknowledged" | "resolved",
  ): ActionResult {
    return this.db.transaction((tx) => {
      const current = getIncident(tx as unknown as VigilDb, id);
      if (!current) return { ok: false, code: "not_found", message: `incident ${id} not found` };
      // the security writer remembers active incidents: a status change is news to it
      this.security.forget(dedupKey(current.rule, current.entity));
      if (!from.includes(current.status)) {
        return { ok: false, code: "conflict", message: `incident ${id} is already ${describeHolder(current)}`, incident: current };
      }
      if (input.version !== undefined && input.version !== current.version) {
        return {
          ok: false,
          code: "conflict",
          message: `incident ${id} changed since you saw it (version ${input.version}, now ${current.version}): ${describeHolder(current)}`,
          incident: current,
        };
      }
      const now = this.clock.now();
      const fields =
        to === "acknowledged" ? { acknowledgedBy: actor, acknowledgedAt: now } : { resolvedBy: actor, resolvedAt: now };
      const row = tx
        .update(incidents)
        .set({ ...fields, status: to, version: current.version + 1 })
        .where(and(eq(incidents.id, id), eq(incidents.version, current.version)))
        .returning()
        .get();
      if (!row) {
        const winner = getIncident(tx as unknown as VigilDb, id)!;
        return { ok: false, code: "conflict", message: `incident ${id} is already ${describeHolder(winner)}`, incident: winner };
      }
      tx.insert(incidentTimeline)
        .values({ incidentId: id, time: now, actor, action: to, fromStatus: current.status, toStatus: to, note: input.note ?? null })
        .run();
      return { ok: true, incident: toIncident(row) };
    });
  }
}

type IncidentRow = typeof incidents.$inferSelect;
type IncidentRowRaw = Record<string, unknown>;

function prepareHot(sqlite: Database.Database) {
  return {
    findActive: sqlite.prepare(`SELECT * FROM incidents WHERE dedup_key = ? AND status <> 'resolved'`),
    grow: sqlite.prepare(`UPDATE incidents SET count = count + ?, last_seen = max(last_seen, ?), severity = ? WHERE id = ? RETURNING *`),
    open: sqlite.prepare(
      `INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    timeline: sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`),
  };
}

/** A raw row (snake_case columns) as drizzle would have mapped it. */
function fromRaw(r: IncidentRowRaw): IncidentRow {
  return {
    id: r.id as number,
    dedupKey: r.dedup_key as string,
    rule: r.rule as string,
    entity: r.entity as string,
    pane: r.pane as IncidentRow["pane"],
    title: r.title as string,
    severity: r.severity as string,
    status: r.status as IncidentRow["status"],
    firstSeen: r.first_seen as number,
    lastSeen: r.last_seen as number,
    count: r.count as number,
    version: r.version as number,
    acknowledgedBy: r.acknowledged_by as string | null,
    acknowledgedAt: r.acknowledged_at as number | null,
    resolvedBy: r.resolved_by as string | null,
    resolvedAt: r.resolved_at as number | null,
    explanation: (r.explanation as string | null) ?? null,
    mitre: (r.mitre as string | null) ?? null,
    details: typeof r.details === "string" ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  };
}
