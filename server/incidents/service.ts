import { and, eq, ne, sql } from "drizzle-orm";
import type { VigilDb } from "../../db/client";
import { incidents, incidentTimeline } from "../../db/schema";
import { getIncident } from "../../db/queries/incidents";
import { toIncident } from "../../db/queries/mappers";
import type { Incident, IncidentActionInput, Pane } from "../../lib/contracts/incidents";
import { severityRank, type Severity } from "../../lib/contracts/common";
import type { Clock } from "../clock";

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
  constructor(
    private readonly db: VigilDb,
    private readonly clock: Clock,
  ) {}

  /** Opens an incident for the detection, or grows the active one with the same key. */
  record(d: Detection): Incident {
    const key = dedupKey(d.rule, d.entity);
    return this.db.transaction((tx) => {
      const active = tx
        .select()
        .from(incidents)
        .where(and(eq(incidents.dedupKey, key), ne(incidents.status, "resolved")))
        .get();
      if (active) {
        const severity =
          severityRank[d.severity] < severityRank[active.severity as Severity] ? d.severity : active.severity;
        const row = tx
          .update(incidents)
          .set({
            count: sql`${incidents.count} + ${d.increment}`,
            lastSeen: sql`max(${incidents.lastSeen}, ${d.time})`,
            severity,
          })
          .where(eq(incidents.id, active.id))
          .returning()
          .get();
        return toIncident(row);
      }
      const row = tx
        .insert(incidents)
        .values({
          dedupKey: key,
          rule: d.rule,
          entity: d.entity,
          pane: d.pane,
          title: d.title,
          severity: d.severity,
          firstSeen: d.time,
          lastSeen: d.time,
          count: d.increment,
        })
        .returning()
        .get();
      tx.insert(incidentTimeline)
        .values({ incidentId: row.id, time: this.clock.now(), actor: SYSTEM_ACTOR, action: "opened", toStatus: "open", note: d.title })
        .run();
      return toIncident(row);
    });
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
