import { sql } from "drizzle-orm";
import type { VigilDb } from "../client";
import type { SecurityTop, TopEntry } from "../../lib/contracts/events";
import { SEVERITIES } from "../../lib/contracts/common";
import { severityCounts } from "./security";
import { topSumsExact, type TallySums } from "./tally-sums";

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Minute tallies are kept this long (server/ops/retention.ts); older ranges are counted in hours. */
export const MINUTE_TALLY_RETENTION_MS = 2 * 86_400_000;

const floorTo = (t: number, span: number) => Math.floor(t / span) * span;
const ceilTo = (t: number, span: number) => Math.ceil(t / span) * span;

/** The bucket ranges [from, to) of each span that make up a range, and the range they count. */
export function tallyRanges(since: number, until: number, now: number) {
  let s = floorTo(since, MINUTE);
  let u = Math.max(ceilTo(until, MINUTE), s);
  // minute buckets before the minute retention may be gone: those edges widen to whole hours
  const minutesFrom = now - MINUTE_TALLY_RETENTION_MS;
  if (s < minutesFrom) s = floorTo(s, HOUR);
  if (u < minutesFrom) u = ceilTo(u, HOUR);
  const hs = ceilTo(s, HOUR);
  const hu = floorTo(u, HOUR);
  const minutes: [number, number][] = [];
  const hours: [number, number][] = [];
  if (hs < hu) {
    hours.push([hs, hu]);
    if (s < hs) minutes.push([s, hs]);
    if (hu < u) minutes.push([hu, u]);
  } else if (s < u) minutes.push([s, u]);
  return { since: s, until: u, minutes, hours };
}

/**
 * Top sources, signatures and accounts over [since, until), each list worst severity first, then by
 * count (an analyst's order: three severity-1 exploit alerts above 3,000 low-severity checksum
 * events from NIC offloading; README "Security pane"). From the per-key tallies: whole hours from
 * the hour buckets, the edges from minute buckets (whole hours again where minute buckets are past
 * their retention), so a day reads at most 24 hour buckets and 118 minute buckets per key. With a
 * `cache` (db/queries/tally-sums.ts) those sums are read once and then kept current and moved with the
 * range, so a request reads only the keys' sums. Counts by severity come from the per-minute rollup
 * over the same range.
 */
export function topEvents(db: VigilDb, q: { since: number; until: number; limit: number; now: number }, cache?: TallySums): SecurityTop {
  const r = tallyRanges(q.since, q.until, q.now);
  const ranges = [...r.hours.map(([a, b]) => [HOUR, a, b]), ...r.minutes.map(([a, b]) => [MINUTE, a, b])];
  const kept = q.now - MINUTE_TALLY_RETENTION_MS;
  const top = (dim: "src" | "sig" | "user"): TopEntry[] => {
    if (!ranges.length) return [];
    // the range's per-key sums kept in memory (exact, kept current by every committed batch)
    const cached = cache?.sums(dim, r.since, r.until, kept);
    if (cached) {
      const winners = topSumsExact(cached.sums, q.limit, (keys) => cache!.refresh(cached, keys, kept, { first: false }));
      return winners.map(([value, s]) => ({ value, count: s.count, worst: SEVERITIES[s.worst] ?? "info" }));
    }
    // one primary-key range per span, read in turn (an OR of ranges was planned as a MULTI-INDEX OR
    // that collects every key first and costs twice as much)
    const parts = ranges.map(([span, a, b]) => sql`SELECT "value", "count", "worst" FROM event_tallies WHERE "dim" = ${dim} AND "span" = ${span} AND "bucket" >= ${a} AND "bucket" < ${b}`);
    const rows = db.all<{ value: string; count: number; worst: number }>(sql`
      SELECT "value", sum("count") AS "count", min("worst") AS "worst" FROM (${sql.join(parts, sql` UNION ALL `)})
       GROUP BY "value" ORDER BY 3, 2 DESC, 1 LIMIT ${q.limit}`);
    return rows.map((x) => ({ value: x.value, count: x.count, worst: SEVERITIES[x.worst] ?? "info" }));
  };
  return {
    since: r.since,
    until: r.until,
    sources: top("src"),
    signatures: top("sig"),
    users: top("user"),
    counts: severityCounts(db, { sinceMinute: r.since, untilMinute: r.until }),
  };
}
