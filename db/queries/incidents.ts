import type Database from "better-sqlite3";
import { and, asc, count, eq, inArray, max, sql } from "drizzle-orm";
import type { VigilDb } from "../client";
import { incidents, incidentTimeline } from "../schema";
import { formatIncidentCursor, incidentOrder, type Incident, type IncidentCursor, type IncidentFilter, type IncidentGroup, type Pane } from "../../lib/contracts/incidents";
import { incidentRowFromRaw, toIncident, toTimelineEntry } from "./mappers";
import { allTerms, filterTerms, STATUS_FILTER } from "./incident-filter";
import { choosePath, idIn, keyColumns, orderBy, pastCursor, union } from "./incident-paths";
import { incidentTextIndex, textHits } from "./incident-text";

export type IncidentPageQuery = IncidentFilter & { before?: IncidentCursor; limit: number };

/**
 * One page of the filter in its order (`sort`, `order`; default most recently active first), past
 * the cursor when given, read along the path incident-paths.ts chooses. One row more than asked
 * tells whether another page exists: `next_before` is null on the last page. `probe` is the
 * path's PROBE (tests pass 0 to walk where a collect would be chosen). Free text is answered by the
 * in-memory index (incident-text.ts) when it can, else by the trigram index and row checks. A
 * collect sorts the keys of its rows and then reads the page's rows by id (sorting whole rows cost
 * about five times as much).
 */
export function pageIncidents(db: VigilDb, q: IncidentPageQuery, probe?: number): { incidents: Incident[]; next_before: string | null } {
  const order = incidentOrder(q.sort, q.order);
  const hits = textHits(db, q.q, STATUS_FILTER[q.status], q.pane);
  hits?.activate();
  const path = choosePath(db, q, order, probe, hits);
  const extra = q.before ? [pastCursor(order, q.before)] : [];
  const tail = sql`${orderBy(order)} LIMIT ${q.limit + 1}`;
  let rows: Record<string, unknown>[];
  if (path.kind === "collect") {
    const ids = db.all<{ id: number }>(union(path, keyColumns(order), extra, tail)).map((r) => r.id);
    const byId = new Map(db.all<Record<string, unknown>>(sql`SELECT * FROM ${incidents} WHERE ${idIn(ids)}`).map((r) => [r.id as number, r]));
    rows = ids.map((id) => byId.get(id)!);
  } else rows = db.all<Record<string, unknown>>(union(path, sql.raw("*"), extra, tail));
  const page = rows.slice(0, q.limit);
  const list = page.map((r) => toIncident(incidentRowFromRaw(r)));
  const last = list.at(-1);
  const next_before = rows.length > q.limit && last ? formatIncidentCursor(order, { ...last, updated_at: page.at(-1)!.updated_at as number }) : null;
  return { incidents: list, next_before };
}

/** The incidents of one page (pageIncidents without its cursor). */
export function listIncidents(db: VigilDb, q: IncidentPageQuery, probe?: number): Incident[] {
  return pageIncidents(db, q, probe).incidents;
}

/** Hits the count reads by id (a rowid lookup each) rather than counting the other terms' index ranges. */
export const COUNT_BY_ID = 5_000;

/**
 * How many incidents match the filter (sort and cursor aside), exactly. A filter of status, pane,
 * rule and severity alone is summed from the in-memory index's tallies. Otherwise one indexed count per
 * status (every index but the assignee's leads with status). With free text: the in-memory
 * index's count (statuses and pane included), then the other terms checked on its hits by id, or, with
 * many hits, counted per status with the text as a function of the id; without that index, one
 * count over the trigram index's matches.
 */
export function countIncidents(db: VigilDb, q: Omit<IncidentFilter, "sort" | "order">): number {
  const statuses = STATUS_FILTER[q.status];
  if (!q.q && q.assignee === undefined && q.since === undefined && q.until === undefined) {
    // status, pane, rule and severity only: the in-memory tallies, when the index can answer now
    const index = incidentTextIndex(db);
    if (index.sync()) {
      let n = 0;
      for (const t of index.tallies(statuses, q.pane)) if ((!q.rule || t.rule === q.rule) && (!q.severity || (q.severity as readonly string[]).includes(t.severity))) n += t.n;
      return n;
    }
  }
  const hits = textHits(db, q.q, statuses, q.pane);
  const t = filterTerms(q, hits);
  const terms = allTerms(t);
  const every = statuses.length === 3;
  if (hits) {
    // the hits are of the filter's statuses and pane already
    const others = allTerms(t, ["text", "pane"]);
    if (others.length === 0) return hits.count;
    if (hits.count <= COUNT_BY_ID) return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${incidents} WHERE ${and(idIn(hits.ids()), ...others)}`)!.n;
    hits.activate();
  } else if (t.text) {
    // the trigram index counts its own matches without reading a row of incidents
    if (every && terms.length === 1) return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM incident_search WHERE incident_search MATCH ${t.match}`)!.n;
    const only = every ? [] : [inArray(incidents.status, [...statuses])];
    return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM "incidents" NOT INDEXED WHERE ${and(...terms, ...only)}`)!.n;
  }
  if (every && terms.length === 0) return db.select({ n: count() }).from(incidents).get()?.n ?? 0;
  let total = 0;
  for (const status of statuses) total += db.select({ n: count() }).from(incidents).where(and(eq(incidents.status, status), ...terms)).get()?.n ?? 0;
  return total;
}

/**
 * The active incidents grouped by rule and pane, with counts by status and severity. The counts come
 * from the in-memory index's tallies (kept per write from the change log) and each group's last
 * activity from one indexed max per (status, pane, rule, severity) cell: a few dozen lookups, whatever
 * the number of incidents. When the index cannot answer (inside a transaction, or off), read through
 * (status, pane, rule, severity, last_seen), one range per status, grouped by SQLite.
 */
export function activeIncidentGroups(db: VigilDb, pane?: Pane): IncidentGroup[] {
  const index = incidentTextIndex(db);
  const cells: { status: "open" | "acknowledged"; pane: Pane; rule: string; severity: string; n: number; lastSeen: number | null }[] = [];
  if (index.sync()) {
    const last = lastSeenOfCell(db);
    for (const t of index.tallies(STATUS_FILTER.active, pane))
      cells.push({ ...t, status: t.status as "open" | "acknowledged", pane: t.pane as Pane, lastSeen: last.get(t.status, t.pane, t.rule, t.severity) as number | null });
  } else
    for (const status of STATUS_FILTER.active)
      for (const r of db
        .select({ rule: incidents.rule, pane: incidents.pane, severity: incidents.severity, n: count(), lastSeen: max(incidents.lastSeen) })
        .from(incidents)
        .where(and(eq(incidents.status, status), pane ? eq(incidents.pane, pane) : undefined))
        .groupBy(incidents.rule, incidents.pane, incidents.severity)
        .all())
        cells.push({ ...r, status });
  const groups = new Map<string, IncidentGroup>();
  for (const r of cells) {
    const key = `${r.pane}\u0000${r.rule}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rule: r.rule, pane: r.pane, open: 0, acknowledged: 0, open_severity: {}, acknowledged_severity: {}, last_seen: 0 }));
    g[r.status] += r.n;
    const bySeverity = r.status === "open" ? g.open_severity : g.acknowledged_severity;
    bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + r.n;
    g.last_seen = Math.max(g.last_seen, r.lastSeen ?? 0);
  }
  return [...groups.values()].sort((a, b) => b.last_seen - a.last_seen || a.rule.localeCompare(b.rule) || a.pane.localeCompare(b.pane));
}

/** The statement reading one cell's last activity (the end of its range in (status, pane, rule, severity, last_seen)). */
export const CELL_LAST_SEEN_SQL = `SELECT max(last_seen) FROM incidents WHERE status = ? AND pane = ? AND rule = ? AND severity = ?`;
const cellStatements = new WeakMap<object, Database.Statement>();
function lastSeenOfCell(db: VigilDb): Database.Statement {
  const sqlite = (db as unknown as { $client: Database.Database }).$client;
  let stmt = cellStatements.get(sqlite);
  if (!stmt) cellStatements.set(sqlite, (stmt = sqlite.prepare(CELL_LAST_SEEN_SQL).pluck()));
  return stmt;
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
