import { z } from "zod";
import { decimalParam } from "./common";

export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type Pane = "network" | "security";

export interface Incident {
  id: number;
  rule: string;
  entity: string;
  pane: Pane;
  title: string;
  severity: string;
  status: IncidentStatus;
  first_seen: number;
  last_seen: number;
  count: number;
  version: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  resolved_by: string | null;
  resolved_at: number | null;
  /** the detection's own words: what was seen, against which threshold */
  explanation: string | null;
  /** MITRE ATT&CK technique id, e.g. T1110.001 */
  mitre: string | null;
  /** rule-specific figures: top members, distinct accounts … */
  details: Record<string, unknown> | null;
}

export interface TimelineEntry {
  id: number;
  incident_id: number;
  time: number;
  actor: string;
  action: "opened" | "acknowledged" | "resolved" | "note";
  from_status: string | null;
  to_status: string | null;
  note: string | null;
}

/** A position in the list's order (last_seen desc, id desc): `<last_seen>-<id>`, both in decimal digits. */
export const incidentCursorParam = z
  .string()
  .regex(/^[0-9]{1,16}-[0-9]{1,16}$/, "expected <last_seen>-<id> in decimal digits")
  .transform((value) => {
    const [lastSeen, id] = value.split("-").map(Number);
    return { lastSeen, id };
  });
export type IncidentCursor = z.output<typeof incidentCursorParam>;
export const formatIncidentCursor = (i: Pick<Incident, "last_seen" | "id">) => `${i.last_seen}-${i.id}`;

/**
 * `active` is open + acknowledged: what still needs a person. `before` continues a list from the
 * `next_before` of the previous page; `rule` keeps one detection rule (a group of a flood), of the
 * active statuses only (the history of a rule would be counted row by row).
 */
export const incidentQuerySchema = z
  .strictObject({
    status: z.enum(["open", "acknowledged", "resolved", "active", "all"]).default("active"),
    pane: z.enum(["network", "security"]).optional(),
    rule: z.string().regex(/^[a-z0-9_.:-]{1,64}$/, "expected a rule name").optional(),
    limit: decimalParam(1, 500).default(200),
    before: incidentCursorParam.optional(),
  })
  .refine((q) => !q.rule || !["resolved", "all"].includes(q.status), { message: "rule filters open, acknowledged or active incidents only", path: ["rule"] });
export type IncidentQuery = z.infer<typeof incidentQuerySchema>;

export const incidentActionSchema = z.strictObject({
  note: z.string().max(2000).optional(),
  /** the version the caller saw; a stale version is a conflict naming who changed it */
  version: z.number().int().positive().optional(),
});
export type IncidentActionInput = z.infer<typeof incidentActionSchema>;

/** How many incidents are active, by status, severity and pane. */
export interface IncidentCounts {
  open: number;
  acknowledged: number;
  /** active incidents by severity */
  severity: Record<string, number>;
  /** open incidents by severity */
  open_severity: Record<string, number>;
  pane: Record<Pane, number>;
}

/** The active incidents of one detection rule in one pane: what a flood collapses into. */
export interface IncidentGroup {
  rule: string;
  pane: Pane;
  open: number;
  acknowledged: number;
  /** open incidents by severity */
  open_severity: Record<string, number>;
  /** acknowledged incidents by severity */
  acknowledged_severity: Record<string, number>;
  last_seen: number;
}

/**
 * GET /api/v1/incidents. `incidents` is one page of the filter, most recently active first;
 * `total` counts every incident of the filter (status, pane, rule; not the cursor). `counts` and
 * `groups` always describe the active set (open + acknowledged) of the pane asked for (both when
 * none), whatever the status, rule or cursor, read in the same transaction as the page; `max_id`
 * is the highest incident id at that moment, so a live delta for a higher id is known to be new.
 */
export interface IncidentsSnapshot {
  epoch: string;
  seq: number;
  incidents: Incident[];
  total: number;
  next_before: string | null;
  counts: IncidentCounts;
  groups: IncidentGroup[];
  max_id: number;
}

/** The counts of the header, summed from the groups (so the two always agree). */
export function countsOfGroups(groups: readonly IncidentGroup[]): IncidentCounts {
  const counts: IncidentCounts = { open: 0, acknowledged: 0, severity: {}, open_severity: {}, pane: { network: 0, security: 0 } };
  for (const g of groups) {
    counts.open += g.open;
    counts.acknowledged += g.acknowledged;
    counts.pane[g.pane] += g.open + g.acknowledged;
    for (const [severity, n] of Object.entries(g.open_severity)) {
      counts.open_severity[severity] = (counts.open_severity[severity] ?? 0) + n;
      counts.severity[severity] = (counts.severity[severity] ?? 0) + n;
    }
    for (const [severity, n] of Object.entries(g.acknowledged_severity)) counts.severity[severity] = (counts.severity[severity] ?? 0) + n;
  }
  return counts;
}
