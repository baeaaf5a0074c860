import { and, asc, desc, eq, inArray } from "drizzle-orm";
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

/** Most recently active first. */
export function listIncidents(db: VigilDb, q: IncidentQuery) {
  return db
    .select()
    .from(incidents)
    .where(and(inArray(incidents.status, [...STATUS_FILTER[q.status]]), q.pane ? eq(incidents.pane, q.pane) : undefined))
    .orderBy(desc(incidents.lastSeen), desc(incidents.id))
    .limit(q.limit)
    .all()
    .map(toIncident);
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
