import { and, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { incidents } from "../schema";
import { severityRank, type IncidentFilter } from "../../lib/contracts/incidents";
import { textWords, type TextHits } from "./incident-text";

export const STATUS_FILTER = {
  active: ["open", "acknowledged"],
  all: ["open", "acknowledged", "resolved"],
  open: ["open"],
  acknowledged: ["acknowledged"],
  resolved: ["resolved"],
} as const;
export type Status = (typeof STATUS_FILTER)["all"][number];

/** `assignee=none` asks for incidents nobody is assigned to. */
export const UNASSIGNED = "none";

/** The trigram index finds substrings of this many characters or more; shorter words are checked row by row. */
export const TRIGRAM = 3;

/**
 * The free text as words (split on white space), each to be found as a substring of the title,
 * rule or entity, case-insensitively. Words of 3 characters or more go to the trigram index
 * (incident_search) as one FTS5 query of quoted strings, so nothing the user typed is FTS syntax
 * (`"`, `*`, `NEAR`, `OR`, `-`, `col:` are plain characters there); shorter ones are matched with
 * instr(), where `%` and `_` are plain characters too (and so are words holding NUL).
 */
export function textQuery(q: string): { match: string | null; short: string[] } {
  const words = textWords(q);
  // FTS5's query parser ends a string at NUL: such a word is matched row by row as well
  const indexed = (w: string) => [...w].length >= TRIGRAM && !w.includes("\u0000");
  const long = words.filter(indexed);
  return {
    match: long.length ? long.map((w) => `"${w.replace(/"/g, '""')}"`).join(" ") : null,
    short: words.filter((w) => !indexed(w)),
  };
}

/** The incidents whose title, rule or entity hold every long word of the text (rowids from the trigram index). */
export const textMatch = (match: string): SQL => sql`${incidents.id} IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ${match})`;

const shortWord = (w: string): SQL =>
  sql`(instr(lower(${incidents.title}), lower(${w})) > 0 OR instr(lower(${incidents.rule}), lower(${w})) > 0 OR instr(lower(${incidents.entity}), lower(${w})) > 0)`;

/** The filter's terms by what they constrain, each a drizzle SQL fragment over `incidents` (or absent). */
export interface FilterTerms {
  pane?: SQL;
  rule?: SQL;
  severity?: SQL;
  assignee?: SQL;
  /** the text: the in-memory index's hits (`hits`), else the trigram index's part of it and its FTS5 query (`match`) */
  text?: SQL;
  match?: string;
  hits?: TextHits;
  /** the text's short words, on table rows */
  shortText: SQL[];
  since?: SQL;
  until?: SQL;
}

/**
 * Severities by their rank (incidents.severity_rank, read from the indexes that hold it): ranks 1–4
 * are exactly critical, high, medium and low; rank 0 is info and any other name, so info is also
 * checked by name.
 */
function severityTerm(severities: readonly string[]): SQL {
  const ranks = [...new Set(severities.map(severityRank).filter((r) => r > 0))];
  const named = sql`"severity_rank" IN (${sql.join(ranks.map((r) => sql`${r}`), sql`, `)})`;
  if (!severities.includes("info")) return named;
  const info = sql`("severity_rank" = 0 AND ${incidents.severity} = 'info')`;
  return ranks.length ? sql`(${named} OR ${info})` : info;
}

type Narrowing = Pick<IncidentFilter, "pane" | "rule" | "severity" | "assignee" | "q" | "since" | "until">;

/**
 * The filter's terms beyond status: pane, rule, severity, assignee (`none`: nobody), free text
 * (the in-memory index's `hits` when given, which answer every word; else textQuery), and activity
 * overlapping [since, until) (last seen at or after since, first seen before until).
 */
export function filterTerms(f: Narrowing, hits?: TextHits | null): FilterTerms {
  const text = f.q && !hits ? textQuery(f.q) : { match: null, short: [] };
  return {
    pane: f.pane ? eq(incidents.pane, f.pane) : undefined,
    rule: f.rule ? eq(incidents.rule, f.rule) : undefined,
    severity: f.severity ? severityTerm(f.severity) : undefined,
    assignee: f.assignee === UNASSIGNED ? sql`${incidents.assignee} IS NULL` : f.assignee ? eq(incidents.assignee, f.assignee) : undefined,
    text: hits ? hits.term : text.match ? textMatch(text.match) : undefined,
    match: text.match ?? undefined,
    hits: hits ?? undefined,
    shortText: text.short.map(shortWord),
    since: f.since !== undefined ? gte(incidents.lastSeen, f.since) : undefined,
    until: f.until !== undefined ? lt(incidents.firstSeen, f.until) : undefined,
  };
}

/** Every term of the filter but status, as a list (absent ones left out). */
export function allTerms(t: FilterTerms, leave: (keyof FilterTerms)[] = []): SQL[] {
  const out: SQL[] = [];
  for (const k of ["pane", "rule", "severity", "assignee", "text", "since", "until"] as const) if (!leave.includes(k) && t[k]) out.push(t[k]);
  if (!leave.includes("shortText")) out.push(...t.shortText);
  return out;
}

const dialect = new SQLiteSyncDialect();

/**
 * The whole filter (sort and order aside) as one raw WHERE clause with its parameters: bulk actions
 * select ids with it. With the in-memory index's hits for its text (activated before the statement
 * runs), the text matches exactly what the list shows.
 */
export function filterSql(f: IncidentFilter, hits?: TextHits | null): { where: string; params: unknown[] } {
  const statuses = STATUS_FILTER[f.status];
  const where = and(inArray(incidents.status, [...statuses]), ...allTerms(filterTerms(f, hits)))!;
  const { sql: text, params } = dialect.sqlToQuery(where);
  return { where: text, params };
}
