import { eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { incidents } from "../schema";
import type { IncidentFilter } from "../../lib/contracts/incidents";

export const STATUS_FILTER = {
  active: ["open", "acknowledged"],
  all: ["open", "acknowledged", "resolved"],
  open: ["open"],
  acknowledged: ["acknowledged"],
  resolved: ["resolved"],
} as const;

/** `assignee=none` asks for incidents nobody is assigned to. */
export const UNASSIGNED = "none";

type Narrowing = Pick<IncidentFilter, "severity" | "assignee" | "q" | "since" | "until">;

/**
 * The filter's terms beyond status, pane and rule, for drizzle queries: severity, assignee, free
 * text in the title or entity (instr, so % and _ are plain characters), and activity overlapping
 * [since, until) (last seen at or after since, first seen before until).
 */
export function narrowingTerms(f: Narrowing): (SQL | undefined)[] {
  return [
    f.severity ? inArray(incidents.severity, f.severity) : undefined,
    f.assignee === UNASSIGNED ? sql`${incidents.assignee} IS NULL` : f.assignee ? eq(incidents.assignee, f.assignee) : undefined,
    f.q ? sql`(instr(lower(${incidents.title}), lower(${f.q})) > 0 OR instr(lower(${incidents.entity}), lower(${f.q})) > 0)` : undefined,
    f.since !== undefined ? gte(incidents.lastSeen, f.since) : undefined,
    f.until !== undefined ? lt(incidents.firstSeen, f.until) : undefined,
  ];
}

export const hasNarrowing = (f: Narrowing) => f.severity !== undefined || f.assignee !== undefined || f.q !== undefined || f.since !== undefined || f.until !== undefined;

/** The whole filter as one raw WHERE clause with its parameters (bulk actions select ids with it). */
export function filterSql(f: IncidentFilter): { where: string; params: unknown[] } {
  const terms: string[] = [];
  const params: unknown[] = [];
  const statuses = STATUS_FILTER[f.status];
  terms.push(`status IN (${statuses.map(() => "?").join(", ")})`);
  params.push(...statuses);
  if (f.pane) (terms.push("pane = ?"), params.push(f.pane));
  if (f.rule) (terms.push("rule = ?"), params.push(f.rule));
  if (f.severity) (terms.push(`severity IN (${f.severity.map(() => "?").join(", ")})`), params.push(...f.severity));
  if (f.assignee === UNASSIGNED) terms.push("assignee IS NULL");
  else if (f.assignee) (terms.push("assignee = ?"), params.push(f.assignee));
  if (f.q) (terms.push("(instr(lower(title), lower(?)) > 0 OR instr(lower(entity), lower(?)) > 0)"), params.push(f.q, f.q));
  if (f.since !== undefined) (terms.push("last_seen >= ?"), params.push(f.since));
  if (f.until !== undefined) (terms.push("first_seen < ?"), params.push(f.until));
  return { where: terms.join(" AND "), params };
}


