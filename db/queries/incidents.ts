import { and, asc, desc, eq } from "drizzle-orm";
import type { VigilDb } from "../client";
import { incidents, incidentTimeline } from "../schema";
import type { IncidentQuery } from "../../lib/contracts/incidents";
import { toIncident, toTimelineEntry } from "./mappers";

const STATUS_FILTER = {
  active: ["open", "acknowledged"],
  all: ["open", "acknowledged", "resolved"],
  open: ["open"],
  acknowledged: ["acknowledged"],
  resolved: ["resolved"],
} as const;

/**
 * Most recently active first. Shaped so that SQLite reads every variant in index order and stops
 * at the limit (db/queries/query-plans.test.ts): one status is one range of
 * (status, last_seen) or (pane, status, last_seen); several are one such range each, merged
 * (UNION ALL with ORDER BY is a merge in SQLite, not a sort); all statuses of every pane need no
 * filter and read (last_seen, id). `status IN (...)` would sort every matching row instead.
 */
export function listIncidents(db: VigilDb, q: IncidentQuery) {
  const order = [desc(incidents.lastSeen), desc(incidents.id)] as const;
  const statuses = STATUS_FILTER[q.status];
  if (statuses.length === 3 && !q.pane) return db.select().from(incidents).orderBy(...order).limit(q.limit).all().map(toIncident);
  const arm = (status: (typeof statuses)[number]) =>
    db.select().from(incidents).where(and(eq(incidents.status, status), q.pane ? eq(incidents.pane, q.pane) : undefined));
  const [first, ...rest] = statuses;
  if (rest.length === 0) return arm(first).orderBy(...order).limit(q.limit).all().map(toIncident);
  const [second, ...more] = rest;
  let merged = arm(first).unionAll(arm(second));
  for (const status of more) merged = merged.unionAll(arm(status));
  return merged.orderBy(...order).limit(q.limit).all().map(toIncident);
}

export function getIncident(db: VigilDb, id: number) {
  const row = db.select().from(incidents).where(eq(incidents.id, id)).get();
  return row ? toIncident(row) : null;
}

export function getTimeline(db: VigilDb, incidentId: number) {
  return db
    .select()
    .from(incidentTimeline)
    .where(eq(incidentTimeline.incidentId, incidentId))
    .orderBy(asc(incidentTimeline.time), asc(incidentTimeline.id))
    .all()
    .map(toTimelineEntry);
}
