import { and, asc, count, desc, eq, lt, lte, max, or, sql } from "drizzle-orm";
import type { VigilDb } from "../client";
import { incidents, incidentTimeline } from "../schema";
import type { IncidentGroup, IncidentQuery, Pane } from "../../lib/contracts/incidents";
import { toIncident, toTimelineEntry } from "./mappers";
import { hasNarrowing, narrowingTerms, STATUS_FILTER } from "./incident-filter";

/**
 * Most recently active first, from the cursor on. Shaped so that SQLite reads every variant in
 * index order and stops at the limit (db/queries/query-plans.test.ts): one status is one range of
 * (status, last_seen) or (pane, status, last_seen); several are one such range each, merged
 * (UNION ALL with ORDER BY is a merge in SQLite, not a sort); all statuses of every pane need no
 * filter and read (last_seen, id). `status IN (...)` would sort every matching row instead. The
 * cursor is `last_seen <= ?` (the index range) and `(last_seen < ? OR id < ?)` (ties by id, which
 * every one of these indexes holds as its last column).
 */
export function listIncidents(db: VigilDb, q: IncidentQuery) {
  const order = [desc(incidents.lastSeen), desc(incidents.id)] as const;
  const statuses = STATUS_FILTER[q.status];
  const common = [
    q.pane ? eq(incidents.pane, q.pane) : undefined,
    q.rule ? eq(incidents.rule, q.rule) : undefined,
    ...narrowingTerms(q),
    q.before ? lte(incidents.lastSeen, q.before.lastSeen) : undefined,
    q.before ? or(lt(incidents.lastSeen, q.before.lastSeen), lt(incidents.id, q.before.id)) : undefined,
  ];
  if (statuses.length === 3 && !q.pane) return db.select().from(incidents).where(and(...common)).orderBy(...order).limit(q.limit).all().map(toIncident);
  const arm = (status: (typeof statuses)[number]) => db.select().from(incidents).where(and(eq(incidents.status, status), ...common));
  const [first, ...rest] = statuses;
  if (rest.length === 0) return arm(first).orderBy(...order).limit(q.limit).all().map(toIncident);
  const [second, ...more] = rest;
  let merged = arm(first).unionAll(arm(second));
  for (const status of more) merged = merged.unionAll(arm(status));
  return merged.orderBy(...order).limit(q.limit).all().map(toIncident);
}

/** How many incidents match the filter's status, pane and rule (the cursor aside): one indexed count per status. */
export function countIncidents(db: VigilDb, q: Pick<IncidentQuery, "status" | "pane" | "rule" | "severity" | "assignee" | "q" | "since" | "until">): number {
  const statuses = STATUS_FILTER[q.status];
  const filter = [q.pane ? eq(incidents.pane, q.pane) : undefined, q.rule ? eq(incidents.rule, q.rule) : undefined, ...narrowingTerms(q)];
  if (statuses.length === 3 && !q.pane && !q.rule && !hasNarrowing(q)) return db.select({ n: count() }).from(incidents).get()?.n ?? 0;
  let total = 0;
  for (const status of statuses) total += db.select({ n: count() }).from(incidents).where(and(eq(incidents.status, status), ...filter)).get()?.n ?? 0;
  return total;
}

/**
 * The active incidents grouped by rule and pane, with counts by status and severity: read through
 * (status, last_seen) or (pane, status, last_seen), one range per status, grouped in memory by
 * SQLite (a handful of rules, so a small temporary table whatever the number of incidents).
 */
export function activeIncidentGroups(db: VigilDb, pane?: Pane): IncidentGroup[] {
  const groups = new Map<string, IncidentGroup>();
  for (const status of STATUS_FILTER.active) {
    const rows = db
      .select({ rule: incidents.rule, pane: incidents.pane, severity: incidents.severity, n: count(), lastSeen: max(incidents.lastSeen) })
      .from(incidents)
      .where(and(eq(incidents.status, status), pane ? eq(incidents.pane, pane) : undefined))
      .groupBy(incidents.rule, incidents.pane, incidents.severity)
      .all();
    for (const r of rows) {
      const key = `${r.pane}\u0000${r.rule}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { rule: r.rule, pane: r.pane, open: 0, acknowledged: 0, open_severity: {}, acknowledged_severity: {}, last_seen: 0 }));
      g[status] += r.n;
      const bySeverity = status === "open" ? g.open_severity : g.acknowledged_severity;
      bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + r.n;
      g.last_seen = Math.max(g.last_seen, r.lastSeen ?? 0);
    }
  }
  return [...groups.values()].sort((a, b) => b.last_seen - a.last_seen || a.rule.localeCompare(b.rule) || a.pane.localeCompare(b.pane));
}

/** The highest incident id so far (the rowid's end of the table). */
export function maxIncidentId(db: VigilDb): number {
  return db.select({ id: sql<number | null>`max(${incidents.id})` }).from(incidents).get()?.id ?? 0;
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
