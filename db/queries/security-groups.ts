import { sql } from "drizzle-orm";
import type { VigilDb } from "../client";
import { GROUP_SCAN_CAP, type EventFilter, type EventGroup, type EventGroupsPage, type GroupBy } from "../../lib/contracts/events";
import { SEVERITIES } from "../../lib/contracts/common";
import { choosePath, NEWEST_FIRST, notOlderThan, union } from "./security-filter";
import { groupEventsFromTallies, tallyAnswerable } from "./security-group-tallies";
import type { TallySums } from "./tally-sums";

const KEY: Record<GroupBy, string> = {
  signature: `"signature"`,
  src: `coalesce("src_ip", "src_host")`,
  user: `"user"`,
  service: `"service"`,
  kind: `"kind"`,
};
const GROUPED = sql.raw(`"time", "id", "kind", "severity", "occurrences", "src_ip", "src_host", "user", "signature", "service"`);
const RANK = sql.raw(`min(CASE "severity" WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END)`);

interface GroupRow {
  key: string | null;
  count: number;
  rows: number;
  worst: number;
  first: number;
  last: number;
  sources: number;
  total_groups: number;
  total_rows: number;
}

/**
 * The filter's events grouped by one field, worst severity first, then largest (by occurrences):
 * a flood of low-severity engine events does not push a real signature out of the list. A filter that is
 * a time range alone, within the stored history (`tallies.storedSince`: the raw retention), is
 * grouped from the per-minute and per-hour tallies, exact over any range
 * (security-group-tallies.ts; with `tallies.cache`, from its in-memory per-key sums). Any other filter reads the newest GROUP_SCAN_CAP rows of its path at
 * most (`exact: false` past that); the number of groups and of rows read come from the same pass
 * (window functions over the grouped rows).
 */
export function groupEvents(db: VigilDb, q: EventFilter & { by: GroupBy; limit: number }, tallies?: { now: number; storedSince: number; cache?: TallySums }): EventGroupsPage {
  if (tallies && tallyAnswerable(q, tallies.storedSince)) {
    const answer = groupEventsFromTallies(db, { ...q, since: q.since }, tallies.now, tallies.cache);
    if (answer) return answer;
  }
  return groupEventsFromRows(db, q);
}

/** The grouping over rows: the newest GROUP_SCAN_CAP rows of the filter's path at most. */
export function groupEventsFromRows(db: VigilDb, q: EventFilter & { by: GroupBy; limit: number }): EventGroupsPage {
  const path = choosePath(db, q);
  const capped = path.name !== "incident" ? db.all<{ time: number; id: number }>(union(path, sql.raw(`"time", "id"`), [], sql`${NEWEST_FIRST} LIMIT 2 OFFSET ${GROUP_SCAN_CAP - 1}`)) : [];
  const bound = capped.length > 1 ? capped[0] : null;
  const rows = union(path, GROUPED, [...path.residual, ...(bound ? [notOlderThan(bound)] : [])]);
  const key = sql.raw(KEY[q.by]);
  // grouping by source: each group is one source; otherwise the distinct sources in it
  const sources = q.by === "src" ? sql.raw(`CASE WHEN coalesce("src_ip", "src_host") IS NULL THEN 0 ELSE 1 END`) : sql.raw(`count(DISTINCT coalesce("src_ip", "src_host"))`);
  const found = db.all<GroupRow>(sql`
    SELECT ${key} AS "key", sum("occurrences") AS "count", count(*) AS "rows", ${RANK} AS "worst", min("time") AS "first", max("time") AS "last",
           ${sources} AS "sources", count(*) OVER () AS "total_groups", sum(count(*)) OVER () AS "total_rows"
      FROM (${rows}) GROUP BY 1 ORDER BY "worst", "count" DESC, "key" LIMIT ${q.limit}`);
  const groups: EventGroup[] = found.map((g) => ({ key: g.key, count: g.count, rows: g.rows, worst: SEVERITIES[g.worst], first: g.first, last: g.last, sources: g.sources }));
  return { by: q.by, groups, total_groups: found[0]?.total_groups ?? 0, rows: found[0]?.total_rows ?? 0, exact: bound === null, sources_exact: bound === null };
}
