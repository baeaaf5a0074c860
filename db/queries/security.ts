import { and, desc, eq, gte, lt, lte, or, sql } from "drizzle-orm";
import type { VigilDb } from "../client";
import { eventMinutes, securityEvents } from "../schema";
import { encodeCursor, type EventCursor, type EventFilter, type RateBucket, type SeverityCounts } from "../../lib/contracts/events";
import { SEVERITIES, type Severity } from "../../lib/contracts/common";
import { toSecurityEvent } from "./mappers";

function filterWhere(q: EventFilter) {
  return [
    q.kind ? eq(securityEvents.kind, q.kind) : undefined,
    q.severity ? eq(securityEvents.severity, q.severity) : undefined,
    q.since !== undefined ? gte(securityEvents.time, q.since) : undefined,
  ];
}

/**
 * One page of events, newest first by (time, id), strictly older than `before` when given. The
 * cursor is written `time <= t AND (time < t OR id < i)` so the time bound is a range on whichever
 * (…, time) index the filter picks, and the order comes out of that index (rowid breaks ties).
 */
export function listEvents(db: VigilDb, q: EventFilter & { before?: EventCursor; limit: number }) {
  const where = and(
    ...filterWhere(q),
    q.before ? lte(securityEvents.time, q.before.time) : undefined,
    q.before ? or(lt(securityEvents.time, q.before.time), lt(securityEvents.id, q.before.id)) : undefined,
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

/** A page of `limit` events and the cursor of the next one (null when the page is the last). */
export function pageEvents(db: VigilDb, q: EventFilter & { before?: EventCursor; limit: number }) {
  // one row more than asked tells whether an older page exists without a second query
  const rows = listEvents(db, { ...q, limit: q.limit + 1 });
  const events = rows.slice(0, q.limit);
  const last = events.at(-1);
  return { events, next_before: rows.length > q.limit && last ? encodeCursor(last) : null };
}

/**
 * Events matching a filter, counted through an index and stopped at `cap` rows (bench/security-queries.ts
 * measures it at 1M events). Without a filter SQLite counts the smallest index in one pass.
 * Answers `exact: false` with `total = cap` when there are more.
 */
export function countMatchingEvents(db: VigilDb, q: EventFilter = {}, cap = COUNT_CAP): { total: number; exact: boolean } {
  const where = and(...filterWhere(q));
  if (!where) {
    const total = db.select({ n: sql<number>`count(*)` }).from(securityEvents).get()?.n ?? 0;
    return { total, exact: true };
  }
  const matching = db.select({ one: sql`1`.as("one") }).from(securityEvents).where(where).limit(cap + 1).as("matching");
  const n = db.select({ n: sql<number>`count(*)` }).from(matching).get()?.n ?? 0;
  return n > cap ? { total: cap, exact: false } : { total: n, exact: true };
}

/** Filtered counts stop here: a count is one index range walk, bounded so no request scans the whole table twice over. */
export const COUNT_CAP = 1_000_000;

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

/** Events per severity from the rollup table, minutes at or after `sinceMinute`. */
export function severityCounts(db: VigilDb, params: { sinceMinute: number }): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  // at most 1,440 minutes x 5 severities for a day: summed here rather than sorted by GROUP BY
  const rows = db
    .select({ severity: eventMinutes.severity, count: eventMinutes.count })
    .from(eventMinutes)
    .where(gte(eventMinutes.minute, params.sinceMinute))
    .all();
  for (const r of rows) if (r.severity in counts) counts[r.severity as Severity] += r.count;
  return counts;
}

/** Every stored event (tests and the CLI). */
export function countEvents(db: VigilDb): number {
  return countMatchingEvents(db).total;
}
