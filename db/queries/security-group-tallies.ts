import { sql, type SQL } from "drizzle-orm";
import type { VigilDb } from "../client";
import type { EventFilter, EventGroup, EventGroupsPage, GroupBy } from "../../lib/contracts/events";
import { SEVERITIES } from "../../lib/contracts/common";
import { MINUTE_TALLY_RETENTION_MS } from "./security-top";
import { topByRankExact, type KeySum, type TallySums } from "./tally-sums";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const floorTo = (t: number, span: number) => Math.floor(t / span) * span;
const ceilTo = (t: number, span: number) => Math.ceil(t / span) * span;

/** The tally dim of each grouping (server/security/tallies.ts). */
const DIM: Record<GroupBy, string> = { signature: "sig", src: "src", user: "user", service: "svc", kind: "kind" };
/** The grouped value of a stored row, as the tallies key it. */
const ROW_KEY: Record<GroupBy, string> = {
  signature: `"signature"`,
  src: `coalesce("src_ip", "src_host")`,
  user: `"user"`,
  service: `"service"`,
  kind: `"kind"`,
};
const RANK = `CASE "severity" WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END`;

/**
 * Rows of a range's ragged edges (what whole minutes do not cover) a grouping reads from the table at
 * most; past it the grouping reads rows instead (security-groups.ts). A minute of a 40k events/s flood
 * is 2.4 M rows: never read here.
 */
export const EDGE_CAP = 20_000;

/**
 * Rows read to count each listed group's distinct sources (not summable from tallies: a source seen in
 * two minutes is one source). The newest SOURCES_SCAN_CAP rows of the range; past that `sources` is
 * the count among them (a lower bound) and the answer says `sources_exact: false`.
 */
export const SOURCES_SCAN_CAP = 3_000;

export interface TallyPieces {
  /** [from, to) read from stored rows: the sub-minute edges, and minute edges whose tallies are past their retention */
  rows: [number, number][];
  minutes: [number, number][];
  hours: [number, number][];
}

/**
 * [since, until) as tally bucket ranges and row ranges: whole hours from hour tallies, whole minutes
 * from minute tallies (where minute tallies are still kept), the rest from rows. `until` may be
 * Infinity (no upper bound: future buckets included).
 */
export function tallyPieces(since: number, until: number, now: number): TallyPieces {
  const out: TallyPieces = { rows: [], minutes: [], hours: [] };
  if (!(since < until)) return out;
  const sm = ceilTo(since, MINUTE);
  const um = Number.isFinite(until) ? floorTo(until, MINUTE) : Infinity;
  if (sm >= um) {
    out.rows.push([since, until]);
    return out;
  }
  if (since < sm) out.rows.push([since, sm]);
  if (um < until) out.rows.push([um, until]);
  const hs = ceilTo(sm, HOUR);
  const hu = Number.isFinite(um) ? floorTo(um, HOUR) : Infinity;
  const minutes: [number, number][] = [];
  if (hs < hu) {
    out.hours.push([hs, hu]);
    if (sm < hs) minutes.push([sm, hs]);
    if (hu < um) minutes.push([hu, um]);
  } else minutes.push([sm, um]);
  // minute tallies before this may have been pruned (server/ops/retention.ts): those stretches are rows
  const kept = now - MINUTE_TALLY_RETENTION_MS;
  for (const [a, b] of minutes) {
    if (a >= kept) out.minutes.push([a, b]);
    else if (b <= kept) out.rows.push([a, b]);
    else {
      const cut = ceilTo(kept, MINUTE);
      out.rows.push([a, cut]);
      if (cut < b) out.minutes.push([cut, b]);
    }
  }
  return out;
}

/** Whether a grouping can be answered from tallies: a time range and nothing else, every event of it still stored. */
export function tallyAnswerable(q: EventFilter & { by?: GroupBy; limit?: number }, storedSince: number): q is EventFilter & { since: number } {
  const { since, until: _until, by: _by, limit: _limit, ...rest } = q;
  if (Object.values(rest).some((v) => v !== undefined)) return false;
  // tallies outlive raw rows (hour tallies 90 days): only a range whose rows are all still stored
  return since !== undefined && since >= storedSince;
}

interface Row {
  key: string | null;
  count: number;
  rows: number;
  worst: number;
  first: number;
  last: number;
  total_groups: number;
  total_rows: number;
}

const bound = (to: number) => (Number.isFinite(to) ? sql` AND "bucket" < ${to}` : sql``);

/**
 * The range's events grouped from the tallies (exact counts, rows, worst, first and last over any
 * range), null when an edge holds more rows than EDGE_CAP (the caller reads rows instead). `now`
 * decides which minute tallies are still kept.
 */
export function groupEventsFromTallies(db: VigilDb, q: { since: number; until?: number; by: GroupBy; limit: number }, now: number, cache?: TallySums): EventGroupsPage | null {
  const until = q.until ?? Infinity;
  const p = tallyPieces(q.since, until, now);
  const edge = (a: number, b: number) => sql`"time" >= ${a}${Number.isFinite(b) ? sql` AND "time" < ${b}` : sql``}`;
  let edgeRows = 0;
  for (const [a, b] of p.rows) {
    edgeRows += db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM security_events INDEXED BY security_events_time WHERE ${edge(a, b)} LIMIT ${EDGE_CAP + 1})`)!.n;
    if (edgeRows > EDGE_CAP) return null;
  }
  const dim = DIM[q.by];
  if (cache) {
    const answer = fromCache(db, cache, q, p, until, now);
    if (answer) return answer;
  }
  const parts: SQL[] = [];
  for (const [span, ranges] of [
    [HOUR, p.hours],
    [MINUTE, p.minutes],
  ] as const) {
    for (const [a, b] of ranges) {
      const cols = sql.raw(`"count", "rows", "worst", "first", "last"`);
      parts.push(sql`SELECT "value" AS "key", ${cols} FROM event_tallies WHERE "dim" = ${dim} AND "span" = ${span} AND "bucket" >= ${a}${bound(b)}`);
      // kind is never missing; the other dims count their events without a value under "none"
      if (dim !== "kind") parts.push(sql`SELECT NULL AS "key", ${cols} FROM event_tallies WHERE "dim" = 'none' AND "span" = ${span} AND "bucket" >= ${a}${bound(b)} AND "value" = ${dim}`);
    }
  }
  for (const [a, b] of p.rows) {
    parts.push(sql`SELECT ${sql.raw(ROW_KEY[q.by])} AS "key", "occurrences" AS "count", 1 AS "rows", ${sql.raw(RANK)} AS "worst", "time" AS "first", "time" AS "last"
      FROM security_events INDEXED BY security_events_time WHERE ${edge(a, b)}`);
  }
  if (!parts.length) return { by: q.by, groups: [], total_groups: 0, rows: 0, exact: true, sources_exact: true };
  const found = db.all<Row>(sql`
    SELECT "key", sum("count") AS "count", sum("rows") AS "rows", min("worst") AS "worst", min("first") AS "first", max("last") AS "last",
           count(*) OVER () AS "total_groups", sum(sum("rows")) OVER () AS "total_rows"
      FROM (${sql.join(parts, sql` UNION ALL `)}) GROUP BY 1 ORDER BY "worst", "count" DESC, "key" LIMIT ${q.limit}`);
  const sources = sourcesOf(db, q, until, found);
  const groups: EventGroup[] = found.map((g) => ({
    key: g.key,
    count: g.count,
    rows: g.rows,
    worst: SEVERITIES[g.worst] ?? "info",
    first: g.first,
    last: g.last,
    sources: sources.counts.get(g.key) ?? 0,
  }));
  return { by: q.by, groups, total_groups: found[0]?.total_groups ?? 0, rows: found[0]?.total_rows ?? 0, exact: true, sources_exact: sources.exact };
}

/**
 * The grouping with the tally part of the range ([first minute or hour piece, last one)) read from the
 * cache's per-key sums (db/queries/tally-sums.ts) and only the row edges from stored rows; null when
 * the cache cannot serve the range now.
 */
function fromCache(db: VigilDb, cache: TallySums, q: { since: number; by: GroupBy; limit: number }, p: TallyPieces, until: number, now: number): EventGroupsPage | null {
  const dim = DIM[q.by];
  const kept = now - MINUTE_TALLY_RETENTION_MS;
  const tally = [...p.hours, ...p.minutes];
  let main: ReturnType<TallySums["sums"]> = null;
  let none: ReturnType<TallySums["sums"]> = null;
  if (tally.length) {
    const from = Math.min(...tally.map(([a]) => a));
    const to = Math.max(...tally.map(([, b]) => b));
    main = cache.sums(dim, from, to, kept);
    if (!main) return null;
    // kind is never missing; the other dims count their events without a value under ("none", dim)
    if (dim !== "kind") {
      none = cache.sums("none", from, to, kept);
      if (!none) return null;
    }
  }
  const edges = new Map<string | null, Row>();
  if (p.rows.length) {
    const edge = (a: number, b: number) => sql`"time" >= ${a}${Number.isFinite(b) ? sql` AND "time" < ${b}` : sql``}`;
    const parts = p.rows.map(
      ([a, b]) => sql`SELECT ${sql.raw(ROW_KEY[q.by])} AS "key", "occurrences" AS "count", ${sql.raw(RANK)} AS "worst", "time" FROM security_events INDEXED BY security_events_time WHERE ${edge(a, b)}`,
    );
    const rows = db.all<Row>(sql`SELECT "key", sum("count") AS "count", count(*) AS "rows", min("worst") AS "worst", min("time") AS "first", max("time") AS "last"
      FROM (${sql.join(parts, sql` UNION ALL `)}) GROUP BY 1`);
    for (const r of rows) edges.set(r.key, r);
  }
  const noValue = none?.sums.get(dim);
  let totalRows = (main?.rows ?? 0) + (noValue?.rows ?? 0);
  for (const r of edges.values()) totalRows += r.rows;
  const sumOf = (key: string | null): KeySum | undefined => (key === null ? noValue : main?.sums.get(key));
  // worst first, then count: a stale worst (a lower bound) is read again before it may rank a group
  const candidates = function* () {
    if (main)
      for (const [key, s] of main.sums) {
        const r = edges.get(key);
        yield { key: key as string | null, count: s.count + (r?.count ?? 0), worst: Math.min(s.worst, r?.worst ?? 4), stale: s.staleWorst };
      }
    if (noValue) {
      const r = edges.get(null);
      yield { key: null, count: noValue.count + (r?.count ?? 0), worst: Math.min(noValue.worst, r?.worst ?? 4), stale: false };
    }
    for (const [key, r] of edges) if (!sumOf(key)) yield { key, count: r.count, worst: r.worst, stale: false };
  };
  let totalGroups = (main?.sums.size ?? 0) + (noValue ? 1 : 0);
  for (const key of edges.keys()) if (!sumOf(key)) totalGroups++;
  // the "no value" group's sum lives in the ("none", dim) range: made exact before ranking (one key)
  if (none && noValue?.staleWorst) cache.refresh(none, [dim], kept, { first: true });
  const winners = topByRankExact(candidates, q.limit, (keys) => main && cache.refresh(main, keys, kept, { first: false }));
  if (main) cache.refresh(main, winners.flatMap((w) => (w.key === null ? [] : [w.key])), kept, { first: true });
  if (none && noValue && winners.some((w) => w.key === null)) cache.refresh(none, [dim], kept, { first: true });
  const found: Row[] = winners.map((w) => {
    const s = sumOf(w.key);
    const r = edges.get(w.key);
    return {
      key: w.key,
      count: w.count,
      rows: (s?.rows ?? 0) + (r?.rows ?? 0),
      worst: Math.min(s?.worst ?? 4, r?.worst ?? 4),
      first: Math.min(s?.first ?? Infinity, r?.first ?? Infinity),
      last: Math.max(s?.last ?? -Infinity, r?.last ?? -Infinity),
      total_groups: totalGroups,
      total_rows: totalRows,
    };
  });
  const sources = sourcesOf(db, q, until, found);
  const groups: EventGroup[] = found.map((g) => ({ key: g.key, count: g.count, rows: g.rows, worst: SEVERITIES[g.worst] ?? "info", first: g.first, last: g.last, sources: sources.counts.get(g.key) ?? 0 }));
  return { by: q.by, groups, total_groups: totalGroups, rows: totalRows, exact: true, sources_exact: sources.exact };
}

/** Distinct sources of each listed group, over the newest SOURCES_SCAN_CAP rows of the range at most. */
function sourcesOf(db: VigilDb, q: { since: number; by: GroupBy }, until: number, groups: Row[]): { counts: Map<string | null, number>; exact: boolean } {
  const counts = new Map<string | null, number>();
  if (q.by === "src") {
    for (const g of groups) counts.set(g.key, g.key === null ? 0 : 1);
    return { counts, exact: true };
  }
  if (!groups.length) return { counts, exact: true };
  const range = sql`"time" >= ${q.since}${Number.isFinite(until) ? sql` AND "time" < ${until}` : sql``}`;
  const newest = sql`SELECT ${sql.raw(ROW_KEY[q.by])} AS "key", coalesce("src_ip", "src_host") AS "src" FROM security_events INDEXED BY security_events_time
    WHERE ${range} ORDER BY "time" DESC LIMIT ${SOURCES_SCAN_CAP}`;
  const rows = db.all<{ key: string | null; sources: number }>(sql`SELECT "key", count(DISTINCT "src") AS "sources" FROM (${newest}) GROUP BY 1`);
  for (const r of rows) counts.set(r.key, r.sources);
  const read = groups[0].total_rows;
  return { counts, exact: read <= SOURCES_SCAN_CAP };
}
