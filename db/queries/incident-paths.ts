import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { VigilDb } from "../client";
import { incidents } from "../schema";
import { severityRank, type IncidentCursor, type IncidentFilter, type IncidentOrder, type IncidentOrderKey } from "../../lib/contracts/incidents";
import { allTerms, filterTerms, STATUS_FILTER, type FilterTerms, type Status } from "./incident-filter";
import type { TextHits } from "./incident-text";

/**
 * How the incident list reaches its rows in the order asked. A *walk* reads index ranges that
 * hold the rows already in the order (one per status, merged: UNION ALL with ORDER BY is a merge
 * in SQLite, not a sort) and checks the rest of the filter, the *residual*, on the rows it reads,
 * stopping at the limit. A *collect* reads the few rows of a selective term (a rule, a person, a
 * time range, the text) through its index and sorts them. Plans are pinned with INDEXED BY:
 * statistics may change what a path costs, never which index a query reads.
 *
 * The choice: a walk with nothing left to check on rows wins outright (its cost is the page). Else
 * the selective terms are probed, each up to PROBE rows; the smallest at or under PROBE is
 * collected (a sort of at most PROBE rows), otherwise the walk reads on, which then meets a match
 * at least every (range / PROBE) rows. Free text answered by the in-memory index (incident-text.ts)
 * needs no probe: its count is exact, its collect reads its ids by rowid, and on a walk it is a
 * function of the id, checked on the index entry before the row is read.
 */
export interface Path {
  kind: "walk" | "collect";
  /** which index (db/queries/query-plans.test.ts checks the plans) */
  name: string;
  arms: { from: SQL; terms: SQL[] }[];
  residual: SQL[];
}

/** Rows a probe counts at most: what a collect may sort. */
export const PROBE = 2_000;

/**
 * What a collect may sort when the walk would read a time range against its order (active since a
 * time, oldest first: the matches lie at the far end of the walk): sorting this many costs less
 * than reading past every older incident.
 */
export const AGAINST_PROBE = 20_000;

/** The key's columns of each order (then id), and the index holding each status's rows in that order. */
const ORDERS: Record<IncidentOrderKey, { columns: SQL[]; index: string }> = {
  last_seen: { columns: [sql.raw(`"last_seen"`)], index: "incidents_status_last_seen" },
  first_seen: { columns: [sql.raw(`"first_seen"`)], index: "incidents_status_first_seen" },
  updated: { columns: [sql.raw(`"updated_at"`)], index: "incidents_status_updated_at" },
  severity: { columns: [sql.raw(`"severity_rank"`), sql.raw(`"last_seen"`)], index: "incidents_status_severity_rank" },
};
const ID = sql.raw(`"id"`);

const where = (terms: SQL[]) => and(sql`1`, ...terms)!;
const indexed = (index: string) => sql.raw(`"incidents" INDEXED BY ${index}`);
const byRowid = sql.raw(`"incidents" NOT INDEXED`);
const status = (s: Status) => eq(incidents.status, s);

/** The order's key columns and id: what a collect sorts before it reads the page's rows. */
export const keyColumns = (order: IncidentOrder): SQL => sql.join([...ORDERS[order.key].columns, ID], sql`, `);

/** Rows by id: `"id" IN` the ids, given as one JSON array (never SQL text). */
export const idIn = (ids: readonly number[]): SQL => sql`${incidents.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

/** ORDER BY the order's key and id, each in its direction. */
export function orderBy(order: IncidentOrder): SQL {
  const dir = sql.raw(order.dir === "desc" ? " DESC" : "");
  return sql`ORDER BY ${sql.join(
    [...ORDERS[order.key].columns, ID].map((c) => sql`${c}${dir}`),
    sql`, `,
  )}`;
}

/** Strictly past the cursor in the order: a row-value comparison, which SQLite searches as an index range. */
export function pastCursor(order: IncidentOrder, c: IncidentCursor): SQL {
  const cols = [...ORDERS[order.key].columns, ID];
  const values = [...c.values, c.id].map((v) => sql`${v}`);
  return sql`(${sql.join(cols, sql`, `)}) ${sql.raw(order.dir === "desc" ? "<" : ">")} (${sql.join(values, sql`, `)})`;
}

/** The walk for an order: its index ranges per status and the terms they answer. */
function walk(order: IncidentOrder, statuses: readonly Status[], t: FilterTerms, f: IncidentFilter): Path {
  const per = (name: string, terms: (s: Status) => SQL[], used: (keyof FilterTerms)[]): Path => ({
    kind: "walk",
    name,
    arms: statuses.map((s) => ({ from: indexed(name), terms: [status(s), ...terms(s)] })),
    residual: allTerms(t, used),
  });
  const range = (k: "since" | "until") => (t[k] ? [t[k]] : []);
  switch (order.key) {
    case "first_seen":
      return per(ORDERS.first_seen.index, () => range("until"), ["until"]);
    case "updated":
      return per(ORDERS.updated.index, () => [], []);
    case "severity": {
      // a severity filter is one range per (status, rank): each still in (last_seen, id) order
      const ranks = f.severity ? [...new Set(f.severity.map(severityRank))] : null;
      if (!ranks) return per(ORDERS.severity.index, () => [], []);
      return {
        kind: "walk",
        name: ORDERS.severity.index,
        arms: statuses.flatMap((s) => ranks.map((r) => ({ from: indexed(ORDERS.severity.index), terms: [status(s), sql`"severity_rank" = ${r}`] }))),
        // the rank of every name but the five is 0: the names themselves are still checked
        residual: allTerms(t),
      };
    }
    case "last_seen": {
      const since = range("since");
      if (t.rule) return per("incidents_status_rule_last_seen", () => [t.rule!, ...since], ["rule", "since"]);
      // one person's incidents, or nobody's (assignee IS NULL is an equality to the index)
      if (t.assignee) return per("incidents_assignee_status_last_seen", () => [t.assignee!, ...since], ["assignee", "since"]);
      if (t.pane) return per("incidents_pane_status_last_seen", () => [t.pane!, ...since], ["pane", "since"]);
      if (statuses.length === 3) return { kind: "walk", name: "incidents_last_seen", arms: [{ from: indexed("incidents_last_seen"), terms: since }], residual: allTerms(t, ["since"]) };
      return per(ORDERS.last_seen.index, () => since, ["since"]);
    }
  }
}

/** The selective terms that can be read through an index of their own, as collect paths. */
function collects(statuses: readonly Status[], t: FilterTerms, f: IncidentFilter): Path[] {
  const per = (name: string, term: SQL, used: keyof FilterTerms): Path => ({
    kind: "collect",
    name,
    arms: statuses.map((s) => ({ from: indexed(name), terms: [status(s), term] })),
    residual: allTerms(t, [used]),
  });
  const paths: Path[] = [];
  if (t.text && !t.hits) paths.push({ kind: "collect", name: "incident_search", arms: [{ from: byRowid, terms: [t.text, inArray(incidents.status, [...statuses])] }], residual: allTerms(t, ["text"]) });
  if (t.rule) paths.push(per("incidents_status_rule_last_seen", t.rule, "rule"));
  if (t.assignee) paths.push(per("incidents_assignee_status_last_seen", t.assignee, "assignee"));
  if (t.since) paths.push(per("incidents_status_last_seen", t.since, "since"));
  if (t.until) paths.push(per("incidents_status_first_seen", t.until, "until"));
  if (t.pane) paths.push(per("incidents_pane_status_last_seen", t.pane, "pane"));
  return paths;
}

/** Whether collect `name` is a time range whose matches the walk of `order` would reach last. */
function against(order: IncidentOrder, t: FilterTerms, name: string): boolean {
  if (t.since && name === "incidents_status_last_seen") return (order.key === "first_seen" || order.key === "updated") && order.dir === "asc";
  if (t.until && name === "incidents_status_first_seen") return (order.key === "last_seen" || order.key === "updated") && order.dir === "desc";
  return false;
}

/** Rows of a path's arms, counted up to `cap` (+1 tells "more"). The text's are counted in the trigram index alone (all statuses). */
function probe(db: VigilDb, p: Path, cap: number, t: FilterTerms): number {
  if (p.name === "incident_search") return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT rowid FROM incident_search WHERE incident_search MATCH ${t.match} LIMIT ${cap + 1})`)!.n;
  let n = 0;
  for (const a of p.arms) {
    n += db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${a.from} WHERE ${where(a.terms)} LIMIT ${cap + 1 - n})`)!.n;
    if (n > cap) break;
  }
  return n;
}

/**
 * The path a page of `f` in `order` reads (see Path); `cap` is PROBE but for tests that force a
 * walk; `hits`, the free text's incidents from memory when the index answered (else the trigram index's).
 */
export function choosePath(db: VigilDb, f: IncidentFilter, order: IncidentOrder, cap = PROBE, hits?: TextHits | null): Path {
  const statuses = STATUS_FILTER[f.status];
  const t = filterTerms(f, hits);
  const w = walk(order, statuses, t, f);
  if (w.residual.length === 0) return w;
  let best: { path: Path; rows: number } | null = null;
  // the hits are counted already (of the filter's statuses): collected by rowid when few enough
  if (t.hits && t.hits.count <= cap) {
    best = { path: { kind: "collect", name: "incident_text", arms: [{ from: byRowid, terms: [idIn(t.hits.ids())] }], residual: allTerms(t, ["text"]) }, rows: t.hits.count };
  }
  for (const c of collects(statuses, t, f)) {
    const limit = against(order, t, c.name) ? Math.max(cap, AGAINST_PROBE) : cap;
    const rows = probe(db, c, best ? Math.min(best.rows, limit) : limit, t);
    if (rows <= limit && (!best || rows < best.rows)) best = { path: c, rows };
  }
  return best?.path ?? w;
}

/** The arms of a path as one statement: each arm's SELECT with `extra` terms, merged, then `tail`. */
export function union(p: Path, select: SQL, extra: SQL[], tail: SQL): SQL {
  const arms = p.arms.map((a) => sql`SELECT ${select} FROM ${a.from} WHERE ${where([...a.terms, ...p.residual, ...extra])}`);
  return sql`${sql.join(arms, sql` UNION ALL `)} ${tail}`;
}
