import { z } from "zod";
import { decimalParam, SEVERITIES, severitySchema } from "./common";
import {
  countsOfGroups,
  INCIDENT_SORTS,
  incidentOrder,
  LINK_KINDS,
  PLAN_PHASES,
  RESOLUTION_REASONS,
  SORT_ORDERS,
  type IncidentOrder,
  type IncidentOrderKey,
  type IncidentSort,
  type ResolutionReason,
  type SortOrder,
} from "./values/incidents";

export {
  countsOfGroups,
  INCIDENT_SORTS,
  incidentOrder,
  LINK_KINDS,
  PLAN_PHASES,
  RESOLUTION_REASONS,
  SORT_ORDERS,
  type IncidentOrder,
  type IncidentOrderKey,
  type IncidentSort,
  type ResolutionReason,
  type SortOrder,
};

const severityListParam = z
  .string()
  .max(100)
  .transform((value, ctx) => {
    const parts = value.split(",").filter(Boolean);
    const bad = parts.find((p) => !(SEVERITIES as readonly string[]).includes(p));
    if (bad !== undefined || parts.length === 0) {
      ctx.addIssue({ code: "custom", message: `unknown severity "${bad ?? ""}": expected ${SEVERITIES.join(", ")}, comma-separated` });
      return z.NEVER;
    }
    return parts as (typeof SEVERITIES)[number][];
  });

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
  /** who works on it (a user's email or name), or nobody */
  assignee: string | null;
  /** held until this time, then open again and notified again */
  snoozed_until: number | null;
  /** why it was resolved */
  resolution: ResolutionReason | null;
  /** the incident with the same key resolved before this one opened */
  previous_id: number | null;
}

export const TIMELINE_ACTIONS = ["opened", "acknowledged", "resolved", "note", "reopened", "assigned", "snoozed", "severity", "checklist", "linked"] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export interface TimelineEntry {
  id: number;
  incident_id: number;
  time: number;
  actor: string;
  action: TimelineAction;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
}

// ---- the list's order and its cursor ----
// (the sorts and incidentOrder are in values/incidents.ts: the list's controls read them in the browser)

/** A severity's rank, worst highest; anything else ranks with info (the generated column incidents.severity_rank). */
export const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
export const severityRank = (severity: string) => SEVERITY_RANK[severity] ?? 0;

/**
 * A position in the list's order: the key's values of the last incident shown and its id. The
 * default order (last_seen desc) writes `<last_seen>-<id>`, as it always has; every other order
 * names itself, `<key>.<dir>.<values…>.<id>` (e.g. `severity.desc.3.1763726400000.42`), so a
 * cursor cannot continue a list of another order unnoticed.
 */
export interface IncidentCursor {
  key: IncidentOrderKey;
  dir: SortOrder;
  /** last_seen, first_seen or updated_at; severity: [severity_rank, last_seen] */
  values: number[];
  id: number;
}

const DIGITS = "[0-9]{1,16}";
const CURSOR_FORMS = new RegExp(
  `^(?:(${DIGITS})-(${DIGITS})|(last_seen|first_seen|updated)\\.(asc|desc)\\.(${DIGITS})\\.(${DIGITS})|severity\\.(asc|desc)\\.([0-4])\\.(${DIGITS})\\.(${DIGITS}))$`,
);

export const incidentCursorParam = z
  .string()
  .max(120)
  .transform((value, ctx): IncidentCursor => {
    const m = CURSOR_FORMS.exec(value);
    if (!m) {
      ctx.addIssue({ code: "custom", message: "expected a cursor as given in next_before (<last_seen>-<id>, or <key>.<asc|desc>.<values>.<id>)" });
      return z.NEVER;
    }
    if (m[1] !== undefined) return { key: "last_seen", dir: "desc", values: [Number(m[1])], id: Number(m[2]) };
    if (m[3] !== undefined) return { key: m[3] as IncidentOrderKey, dir: m[4] as SortOrder, values: [Number(m[5])], id: Number(m[6]) };
    return { key: "severity", dir: m[7] as SortOrder, values: [Number(m[8]), Number(m[9])], id: Number(m[10]) };
  });

/** The cursor just past `i` in `order` (updated_at is not part of Incident: the query passes it along). */
export function formatIncidentCursor(order: IncidentOrder, i: Pick<Incident, "id" | "last_seen" | "first_seen" | "severity"> & { updated_at?: number }): string {
  if (order.key === "last_seen" && order.dir === "desc") return `${i.last_seen}-${i.id}`;
  const values = order.key === "last_seen" ? [i.last_seen] : order.key === "first_seen" ? [i.first_seen] : order.key === "updated" ? [i.updated_at ?? 0] : [severityRank(i.severity), i.last_seen];
  return `${order.key}.${order.dir}.${values.join(".")}.${i.id}`;
}

const describeOrder = (o: IncidentOrder) => `${o.key} ${o.dir}`;

export const incidentActionSchema = z.strictObject({
  note: z.string().max(2000).optional(),
  /** the version the caller saw; a stale version is a conflict naming who changed it */
  version: z.number().int().positive().optional(),
});
export type IncidentActionInput = z.infer<typeof incidentActionSchema>;

const futureTime = z.union([z.number().int().positive(), z.string().max(64)]).transform((v, ctx) => {
  const ms = typeof v === "number" ? v : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: "expected a time (epoch ms or ISO 8601)" });
    return z.NEVER;
  }
  return ms;
});
const assigneeSchema = z.string().min(1).max(254).regex(/^[^\u0000-\u001f<>]+$/, "expected a user's email or name");

export const resolveInputSchema = incidentActionSchema.extend({
  reason: z.enum(RESOLUTION_REASONS).optional(),
  /** resolving as "fixed" with required checklist steps open needs a reason to override them */
  override: z.string().trim().min(1).max(500).optional(),
});
export const assignInputSchema = incidentActionSchema.extend({ assignee: assigneeSchema.nullable() });
export const snoozeInputSchema = incidentActionSchema.extend({ until: futureTime });
export const noteInputSchema = incidentActionSchema.extend({ note: z.string().trim().min(1).max(2000) });
export const severityInputSchema = incidentActionSchema.extend({ severity: severitySchema });

export const BULK_ACTIONS = ["acknowledge", "resolve", "assign", "snooze", "reopen"] as const;

const sortParam = z.string().transform((value, ctx) => {
  if (!(INCIDENT_SORTS as readonly string[]).includes(value)) {
    ctx.addIssue({ code: "custom", message: `unknown sort "${value.slice(0, 40)}": expected ${INCIDENT_SORTS.join(", ")}` });
    return z.NEVER;
  }
  return value as IncidentSort;
});
const orderParam = z.string().transform((value, ctx) => {
  if (!(SORT_ORDERS as readonly string[]).includes(value)) {
    ctx.addIssue({ code: "custom", message: `unknown order "${value.slice(0, 40)}": expected asc or desc` });
    return z.NEVER;
  }
  return value as SortOrder;
});
/** `order` with a sort that names its own direction is refused rather than guessed at. */
export const orderFits = (q: { sort?: IncidentSort; order?: SortOrder }) => q.order === undefined || !["newest", "oldest", undefined].includes(q.sort);
export const orderFitsIssue = { message: "order applies to sort=last_seen, severity, age-open or updated (newest and oldest name their direction)", path: ["order"] };

/**
 * The list's filter as bulk actions and exports take it (no cursor, no limit: every match). `sort`
 * and `order` are the list's own, so a filter copied from the list's URL is accepted whole: an
 * export writes in that order, a bulk action ignores it.
 */
export const incidentFilterSchema = z.strictObject({
  status: z.enum(["open", "acknowledged", "resolved", "active", "all"]).default("active"),
  pane: z.enum(["network", "security"]).optional(),
  rule: z.string().regex(/^[a-z0-9_.:-]{1,64}$/, "expected a rule name").optional(),
  severity: severityListParam.optional(),
  assignee: z.string().min(1).max(254).optional(),
  q: z.string().min(1).max(200).optional(),
  since: z.union([z.number().int().nonnegative(), decimalParam(0, Number.MAX_SAFE_INTEGER)]).optional(),
  until: z.union([z.number().int().nonnegative(), decimalParam(0, Number.MAX_SAFE_INTEGER)]).optional(),
  sort: sortParam.optional(),
  order: orderParam.optional(),
});
export type IncidentFilter = z.infer<typeof incidentFilterSchema>;

/** GET /api/v1/incidents: the filter, one page from the cursor. */
export const incidentQuerySchema = incidentFilterSchema
  .extend({
    limit: decimalParam(1, 500).default(200),
    before: incidentCursorParam.optional(),
  })
  .refine((q) => !q.rule || !["resolved", "all"].includes(q.status), { message: "rule filters open, acknowledged or active incidents only", path: ["rule"] })
  .refine(orderFits, orderFitsIssue)
  .superRefine((q, ctx) => {
    if (!q.before || !orderFits(q)) return;
    const order = incidentOrder(q.sort, q.order);
    if (q.before.key !== order.key || q.before.dir !== order.dir) {
      ctx.addIssue({ code: "custom", path: ["before"], message: `the cursor continues a list in ${describeOrder(q.before)} order, not ${describeOrder(order)}: start again without before` });
    }
  });
export type IncidentQuery = z.infer<typeof incidentQuerySchema>;

/** POST /api/v1/incidents/bulk: one action on the ids given or on every incident the filter matches, in one transaction. */
export const bulkInputSchema = z
  .strictObject({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(z.number().int().positive()).max(100_000).optional(),
    /** sort and order, if given, are parsed and ignored: a bulk action has no order */
    filter: incidentFilterSchema.optional(),
    note: z.string().max(2000).optional(),
    assignee: assigneeSchema.nullable().optional(),
    until: futureTime.optional(),
    reason: z.enum(RESOLUTION_REASONS).optional(),
    /** resolving as "fixed" past required checklist steps: why */
    override: z.string().trim().min(1).max(500).optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: "give either ids or filter, not both and not neither", path: ["ids"] })
  .refine((b) => b.action !== "assign" || b.assignee !== undefined, { message: "assign needs an assignee (null to unassign)", path: ["assignee"] })
  .refine((b) => b.action !== "snooze" || b.until !== undefined, { message: "snooze needs until", path: ["until"] });
export type BulkInput = z.infer<typeof bulkInputSchema>;

export interface BulkResult {
  /** incidents the ids or filter named */
  matched: number;
  /** incidents now in the asked state (already so counts: repeating your own action is harmless) */
  succeeded: number;
  failed: { id: number; reason: string }[];
}

/** GET /api/v1/incidents/stats: response times over a range, by severity and by week. */
export interface ResponseStats {
  since: number;
  until: number;
  by_severity: Record<string, ResponseFigures>;
  /** weeks start on Monday 00:00 UTC */
  by_week: (ResponseFigures & { week: string; severity: Record<string, ResponseFigures> })[];
  /** active incidents ranked by age, oldest first, against the severity's target */
  oldest_open: { id: number; title: string; severity: string; status: string; age_ms: number; target_ms: number | null; over_target: boolean }[];
}

export interface ResponseFigures {
  opened: number;
  acknowledged: number;
  resolved: number;
  /** mean and median time from first evidence to first acknowledgement, ms (null when none) */
  mtta_ms: number | null;
  mtta_median_ms: number | null;
  /** mean and median time from first evidence to resolution, ms */
  mttr_ms: number | null;
  mttr_median_ms: number | null;
}

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

// ---- response plans, checklists and links ----

const ruleName = z.string().regex(/^[a-z0-9_.:-]{1,64}$/, "expected a rule name");

export const planStepSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, "expected a step id (a-z, 0-9, _ or -)"),
  text: z.string().trim().min(1).max(500),
  phase: z.enum(PLAN_PHASES),
  required: z.boolean().default(false),
});

/** POST /api/v1/response-plans and PUT /api/v1/response-plans/:id. */
export const responsePlanInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    /** the detection rule it applies to (null: any) */
    rule: ruleName.nullable().default(null),
    /** the severity it applies to (null: any) */
    severity: severitySchema.nullable().default(null),
    runbook_url: z
      .string()
      .max(2000)
      .regex(/^https?:\/\/[^\s]+$/, "expected an http(s) URL")
      .nullable()
      .default(null),
    steps: z.array(planStepSchema).min(1).max(50),
  })
  .refine((p) => new Set(p.steps.map((s) => s.id)).size === p.steps.length, { message: "step ids must be unique", path: ["steps"] });
export type ResponsePlanInput = z.infer<typeof responsePlanInputSchema>;

export interface ResponsePlan extends ResponsePlanInput {
  id: number;
  updated_by: string;
  updated_at: number;
}

export interface ChecklistItem {
  step_id: string;
  text: string;
  phase: (typeof PLAN_PHASES)[number];
  required: boolean;
  done_by: string | null;
  done_at: number | null;
}

export interface IncidentChecklist {
  plan: { id: number; name: string; runbook_url: string | null } | null;
  items: ChecklistItem[];
}

export const checklistTickSchema = z.strictObject({ done: z.boolean(), note: z.string().max(2000).optional() });

export const linkInputSchema = z.strictObject({
  other: z.number().int().positive(),
  kind: z.enum(LINK_KINDS).default("related"),
  note: z.string().max(2000).optional(),
});

export interface IncidentLink {
  /** the other incident */
  id: number;
  /** as seen from this incident: "caused_by" read from the other side is "causes" */
  kind: (typeof LINK_KINDS)[number] | "causes" | "duplicated_by";
  title: string;
  pane: Pane;
  status: IncidentStatus;
  severity: string;
  created_by: string;
  created_at: number;
}

/** An incident of the other pane that touches the same node, service or address within minutes. */
export interface LinkSuggestion {
  id: number;
  title: string;
  pane: Pane;
  status: IncidentStatus;
  severity: string;
  /** what the two share: an address, a node or a service */
  shared: string[];
}

/** GET /api/v1/incidents/:id */
export interface IncidentDetailAnswer {
  incident: Incident;
  timeline: TimelineEntry[];
  checklist: IncidentChecklist;
  links: IncidentLink[];
  suggestions: LinkSuggestion[];
}

// ---- silences ----

export const silenceMatcherSchema = z
  .strictObject({
    /** a detection rule, exact */
    rule: ruleName.optional(),
    /** an incident entity, exact (e.g. "sshd:203.0.113.5", a node key) */
    entity: z.string().min(1).max(300).optional(),
    /** an address, node, service or host name that the entity contains as a part */
    source: z.string().min(1).max(253).regex(/^[A-Za-z0-9_.:%-]+$/, "expected an address, node key, service or host name").optional(),
    pane: z.enum(["network", "security"]).optional(),
    /** detections at this severity or milder */
    severity: severitySchema.optional(),
    /** a node tag, `key=value` (network detections of nodes carrying it: a site that loses power) */
    tag: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_.-]{1,64}=[^\s=]{1,128}$/, "expected a node tag as key=value")
      .optional(),
  })
  .refine((m) => Object.keys(m).length > 0, { message: "a silence needs at least one matcher field (rule, entity, source, pane, severity, tag)" });
export type SilenceMatcher = z.infer<typeof silenceMatcherSchema>;

/** POST /api/v1/silences */
export const silenceInputSchema = z.strictObject({
  matcher: silenceMatcherSchema,
  reason: z.string().trim().min(3).max(500),
  starts_at: z.union([z.number().int().positive(), z.string().max(64)]).optional(),
  /** required: a silence always ends */
  ends_at: z.union([z.number().int().positive(), z.string().max(64)]),
});

export interface Silence {
  id: number;
  matcher: SilenceMatcher;
  reason: string;
  created_by: string;
  created_at: number;
  starts_at: number;
  ends_at: number;
  ended_at: number | null;
  ended_by: string | null;
  /** detections it held back (each would have opened or grown an incident) */
  hits: number;
  last_hit_at: number | null;
  state: "pending" | "active" | "expired" | "ended";
}
