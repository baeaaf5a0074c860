import { and, eq, gte, sql, type SQL } from "drizzle-orm";
import type { VigilDb } from "../client";
import { eventMinutes, incidentEvents, incidents, securityEvents } from "../schema";
import { encodeCursor, type EventCursor, type EventDetailAnswer, type EventFilter, type RateBucket, type SecurityEvent, type SecurityEventDetail, type SeverityCounts } from "../../lib/contracts/events";
import { SEVERITIES, type Severity } from "../../lib/contracts/common";
import { choosePath, NEWEST_FIRST, notOlderThan, olderThan, union, type Path } from "./security-filter";

/**
 * Filtered counts stop at this many rows of their path, each read in an index only: a count is at
 * most one bounded index walk (bench/security-queries.ts measures it at 1M events).
 */
export const COUNT_CAP = 100_000;

/**
 * A filter whose path cannot answer all of it (free text, a destination, a service, or a second
 * field next to a source) checks the rest on table rows: a page or a count reads at most this many
 * rows of the path. A page that stops there holds fewer than `limit` events and says `partial`;
 * its next_before goes on from where it stopped. A count that stops there is a lower bound.
 */
export const SCAN_CAP = 20_000;

/** A count with a residual (see SCAN_CAP) reads at most this many rows: its total is a lower bound past them. */
export const RESIDUAL_COUNT_CAP = 5_000;

/** The columns of an event as lists show it (no raw line, no fingerprint). */
const LISTED = sql.raw(
  `"id", "time", "kind", "severity", "source", "src_ip", "dst_ip", "user", "signature", "message", "attributes", "service", "src_host", "src_port", "dst_port", "proto", "occurrences"`,
);
const TIME_ID = sql.raw(`"time", "id"`);

type Row = Omit<SecurityEvent, "attributes"> & { attributes: string | null };
function toEvent(r: Row): SecurityEvent {
  return { ...r, attributes: r.attributes === null ? null : (JSON.parse(r.attributes) as Record<string, unknown>) };
}

/** The last path row a bounded read may reach, newest first from `from`, and whether the path goes on past it. */
function scanBound(db: VigilDb, path: Path, from: SQL[], cap: number): { bound: EventCursor | null; more: boolean } {
  const rows = db.all<EventCursor>(union(path, TIME_ID, from, sql`${NEWEST_FIRST} LIMIT 2 OFFSET ${cap - 1}`));
  return { bound: rows[0] ?? null, more: rows.length > 1 };
}

/**
 * One page of events, newest first by (time, id), strictly older than `before` when given, read
 * along the filter's path (see security-filter.ts). The cursor is written `time <= t AND (time < t
 * OR id < i)` so its time bound is part of each index search.
 */
export function pageEvents(db: VigilDb, q: EventFilter & { before?: EventCursor; limit: number }): { events: SecurityEvent[]; next_before: string | null; partial: boolean } {
  const path = choosePath(db, q);
  const cursor = q.before ? [olderThan(q.before)] : [];
  // the incident path holds at most EVIDENCE_CAP rows: never bounded
  const { bound } = path.residual.length && path.name !== "incident" ? scanBound(db, path, cursor, SCAN_CAP) : { bound: null };
  const extra = [...cursor, ...path.residual, ...(bound ? [notOlderThan(bound)] : [])];
  // one row more than asked tells whether an older page exists without a second query
  const rows = db.all<Row>(union(path, LISTED, extra, sql`${NEWEST_FIRST} LIMIT ${q.limit + 1}`));
  const events = rows.slice(0, q.limit).map(toEvent);
  const last = events.at(-1);
  if (rows.length > q.limit && last) return { events, next_before: encodeCursor(last), partial: false };
  return bound ? { events, next_before: encodeCursor(bound), partial: true } : { events, next_before: null, partial: false };
}

/** The newest `limit` events of a filter (tests, benches and the CLI). */
export function listEvents(db: VigilDb, q: EventFilter & { before?: EventCursor; limit: number }): SecurityEvent[] {
  return pageEvents(db, q).events;
}

/** count(*) of each arm with `extra`, summed: each a direct count along its index range. */
function countArms(db: VigilDb, path: Path, extra: SQL[]): number {
  const counts = path.arms.map((a) => sql`(SELECT count(*) FROM ${a.from} WHERE ${and(sql`1`, ...a.terms, ...extra)})`);
  return db.get<{ n: number }>(sql`SELECT ${sql.join(counts, sql` + `)} AS n`)!.n;
}

/**
 * Events matching a filter (rows, not occurrences). A filter its path answers whole is counted in
 * the index up to `cap` rows; past that the answer is `{ total: cap, exact: false }`. A filter with
 * a residual counts its matches among the newest RESIDUAL_COUNT_CAP rows of the path, a lower bound
 * when the path holds more.
 */
export function countMatchingEvents(db: VigilDb, q: EventFilter = {}, cap = COUNT_CAP): { total: number; exact: boolean } {
  const filtered = Object.values(q).some((v) => v !== undefined);
  if (!filtered) {
    // SQLite counts the smallest index in one pass
    return { total: db.select({ n: sql<number>`count(*)` }).from(securityEvents).get()?.n ?? 0, exact: true };
  }
  const path = choosePath(db, q);
  if (path.name === "incident") return { total: countArms(db, path, path.residual), exact: true };
  if (!path.residual.length) {
    const more = db.all(union(path, sql`1`, [], sql`LIMIT 1 OFFSET ${cap}`)).length > 0;
    return more ? { total: cap, exact: false } : { total: countArms(db, path, []), exact: true };
  }
  const { bound, more } = scanBound(db, path, [], Math.min(cap, RESIDUAL_COUNT_CAP));
  return { total: countArms(db, path, [...path.residual, ...(bound ? [notOlderThan(bound)] : [])]), exact: !more };
}

/** One event with its raw line and the incidents it is evidence of, or null. */
export function getEventDetail(db: VigilDb, id: number): EventDetailAnswer | null {
  const row = db.get<Row & { raw: string | null; received_at: number; fingerprint: string | null }>(
    sql`SELECT ${LISTED}, "raw", "received_at", "fingerprint" FROM security_events WHERE "id" = ${id}`,
  );
  if (!row) return null;
  const event: SecurityEventDetail = toEvent(row) as SecurityEventDetail;
  const linked = db
    .select({
      id: incidents.id,
      title: incidents.title,
      rule: incidents.rule,
      severity: incidents.severity,
      status: incidents.status,
      explanation: incidents.explanation,
      mitre: incidents.mitre,
      first_seen: incidents.firstSeen,
      last_seen: incidents.lastSeen,
    })
    .from(incidentEvents)
    .innerJoin(incidents, eq(incidents.id, incidentEvents.incidentId))
    .where(eq(incidentEvents.eventId, id))
    .orderBy(sql`${incidents.lastSeen} DESC`)
    .limit(100)
    .all();
  return { event, incidents: linked.map((i) => ({ ...i, severity: i.severity as Severity })) };
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

/** Events per severity from the rollup table, minutes in [sinceMinute, untilMinute). */
export function severityCounts(db: VigilDb, params: { sinceMinute: number; untilMinute?: number }): SeverityCounts {
  // at most 1,440 minutes x 5 severities for a day, summed by SQLite into one row: no sort, and no
  // JS object per minute (building 14,000 of them for 48 h was most of GET /security/top)
  const sums = SEVERITIES.map((s) => sql`coalesce(sum(CASE WHEN ${eventMinutes.severity} = ${s} THEN ${eventMinutes.count} END), 0) AS ${sql.identifier(s)}`);
  const row = db.get<Record<Severity, number>>(
    sql`SELECT ${sql.join(sums, sql`, `)} FROM ${eventMinutes} WHERE ${and(gte(eventMinutes.minute, params.sinceMinute), params.untilMinute !== undefined ? sql`${eventMinutes.minute} < ${params.untilMinute}` : undefined)}`,
  );
  return Object.fromEntries(SEVERITIES.map((s) => [s, Number(row?.[s] ?? 0)])) as SeverityCounts;
}

/** Every stored event (tests and the CLI). */
export function countEvents(db: VigilDb): number {
  return countMatchingEvents(db).total;
}
