import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { VigilDb } from "../client";
import { eventMinutes, securityEvents } from "../schema";
import type { EventQuery, RateBucket } from "../../lib/contracts/events";
import type { Severity } from "../../lib/contracts/common";
import { toSecurityEvent } from "./mappers";

/** Newest first. */
export function listEvents(db: VigilDb, q: EventQuery) {
  const where = and(
    q.kind ? eq(securityEvents.kind, q.kind) : undefined,
    q.severity ? eq(securityEvents.severity, q.severity) : undefined,
    q.since !== undefined ? gte(securityEvents.time, q.since) : undefined,
  );
  return db
    .select()
    .from(securityEvents)
    .where(where)
    .orderBy(desc(securityEvents.time), desc(securityEvents.id))
    .limit(q.limit)
    .all()
    .map(toSecurityEvent);
}

/** Events per minute by severity from the rollup table, oldest first. */
export function eventRate(db: VigilDb, params: { sinceMinute: number }): RateBucket[] {
  return db
    .select()
    .from(eventMinutes)
    .where(gte(eventMinutes.minute, params.sinceMinute))
    .orderBy(eventMinutes.minute)
    .all()
    .map((r) => ({ minute: r.minute, severity: r.severity as Severity, count: r.count }));
}

export function countEvents(db: VigilDb): number {
  return db.select({ n: sql<number>`count(*)` }).from(securityEvents).get()?.n ?? 0;
}
