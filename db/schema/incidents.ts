import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Work for people. One row per (rule, entity) while it is not resolved: the partial unique index
 * on `dedup_key` makes a continuing problem grow one incident instead of opening new ones.
 * `version` guards every state change (conditional update), so concurrent acknowledgements
 * have exactly one winner.
 */
export const incidents = sqliteTable(
  "incidents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    dedupKey: text("dedup_key").notNull(),
    rule: text("rule").notNull(),
    entity: text("entity").notNull(),
    pane: text("pane", { enum: ["network", "security"] }).notNull(),
    title: text("title").notNull(),
    severity: text("severity").notNull(),
    status: text("status", { enum: ["open", "acknowledged", "resolved"] }).notNull().default("open"),
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
    count: integer("count").notNull().default(1),
    version: integer("version").notNull().default(1),
    acknowledgedBy: text("acknowledged_by"),
    acknowledgedAt: integer("acknowledged_at"),
    resolvedBy: text("resolved_by"),
    resolvedAt: integer("resolved_at"),
    /** the detection's own words: what was seen, against which threshold */
    explanation: text("explanation"),
    /** MITRE ATT&CK technique, e.g. T1110.001 */
    mitre: text("mitre"),
    /** rule-specific figures (top members, distinct accounts, …) as JSON */
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    /** who works on it: a user's email or name */
    assignee: text("assignee"),
    /** held (acknowledged) until this time, then open again */
    snoozedUntil: integer("snoozed_until"),
    /** why it was resolved: fixed, false_positive, duplicate, expected */
    resolution: text("resolution", { enum: ["fixed", "false_positive", "duplicate", "expected"] }),
    /** the incident with the same key resolved before this one opened */
    previousId: integer("previous_id"),
    /**
     * the last change by a person or the lifecycle: the time of the newest timeline entry (kept by
     * a trigger on incident_timeline), first_seen until there is one. Growth (new evidence) moves
     * last_seen, not this.
     */
    updatedAt: integer("updated_at").notNull().default(0),
    /** the severity's rank, worst highest (critical 4 … info 0; lib/contracts/incidents.ts SEVERITY_RANK): the severity sort's key */
    severityRank: integer("severity_rank").generatedAlwaysAs(
      sql`CASE "severity" WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`,
      { mode: "virtual" },
    ),
  },
  (t) => [
    uniqueIndex("incidents_active_dedup").on(t.dedupKey).where(sql`status <> 'resolved'`),
    index("incidents_status_last_seen").on(t.status, t.lastSeen),
    index("incidents_last_seen").on(t.lastSeen, t.id),
    index("incidents_pane_status_last_seen").on(t.pane, t.status, t.lastSeen),
    // counts and groups of the active set read from the index alone
    index("incidents_status_pane_rule_severity").on(t.status, t.pane, t.rule, t.severity, t.lastSeen),
    // the previous incident of a key, and every incident of a key (history, reopen)
    index("incidents_dedup_key").on(t.dedupKey, t.id),
    // the list filtered by assignee ("mine", and NULL: "unassigned"), each status's rows in order,
    // counted from the index alone
    index("incidents_assignee_status_last_seen").on(t.assignee, t.status, t.lastSeen),
    // timers: snoozes that end and acknowledgements that time out
    index("incidents_snoozed_until").on(t.snoozedUntil).where(sql`snoozed_until IS NOT NULL`),
    // the list's other sorts (db/queries/incident-sort.ts), each read in order one status at a time
    index("incidents_status_first_seen").on(t.status, t.firstSeen),
    index("incidents_status_updated_at").on(t.status, t.updatedAt),
    index("incidents_status_severity_rank").on(t.status, t.severityRank, t.lastSeen),
    // a rule's incidents (one group of a flood) most recently active first
    index("incidents_status_rule_last_seen").on(t.status, t.rule, t.lastSeen),
  ],
);


/**
 * Which incidents changed in what the list's free text reads (title, rule, entity), in status or
 * in pane: one row per insert, delete or such change, written by triggers (migration 0015), so the
 * in-memory text index (db/queries/incident-text.ts) catches up on every write, whoever made it.
 * Only the newest 64Ki rows or so are kept (a trigger trims the oldest every 4,096); an index that
 * finds its place trimmed away rebuilds.
 */
export const incidentTextChanges = sqliteTable("incident_text_changes", {
  seq: integer("seq").primaryKey(),
  incidentId: integer("incident_id").notNull(),
});
/** Every state change and note on an incident, with who and when. Append-only. */
export const incidentTimeline = sqliteTable(
  "incident_timeline",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    incidentId: integer("incident_id").notNull().references(() => incidents.id),
    time: integer("time").notNull(),
    actor: text("actor").notNull(),
    action: text("action", { enum: ["opened", "acknowledged", "resolved", "note", "reopened", "assigned", "snoozed", "severity", "checklist", "linked"] }).notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    note: text("note"),
  },
  (t) => [
    index("incident_timeline_incident").on(t.incidentId, t.time),
    // response figures: incidents opened, acknowledged and resolved in a range
    index("incident_timeline_action_time").on(t.action, t.time, t.incidentId),
  ],
);

/**
 * Events that are evidence of an incident. At most EVIDENCE_CAP links per incident are kept (the
 * first ones); `incidents.count` stays the true count and the rest are reachable by filtering the
 * events on the incident's entity and time range.
 */
export const incidentEvents = sqliteTable(
  "incident_events",
  {
    incidentId: integer("incident_id").notNull().references(() => incidents.id),
    eventId: integer("event_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.eventId] }), index("incident_events_event").on(t.eventId)],
);

/**
 * A response plan: the steps (containment, investigation, communication, recovery) an incident of
 * a rule and/or severity is worked through, and its runbook. The most specific plan applies:
 * rule and severity, then rule, then severity, then the default (both null).
 */
export const responsePlans = sqliteTable(
  "response_plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    rule: text("rule"),
    severity: text("severity"),
    runbookUrl: text("runbook_url"),
    /** [{id, text, phase, required}] */
    steps: text("steps", { mode: "json" }).notNull().$type<{ id: string; text: string; phase: string; required: boolean }[]>(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("response_plans_match").on(sql`coalesce(${t.rule}, '')`, sql`coalesce(${t.severity}, '')`)],
);

/** An incident's checklist: its plan's steps as they were when the incident first showed them, ticked with who and when. */
export const incidentChecklist = sqliteTable(
  "incident_checklist",
  {
    incidentId: integer("incident_id").notNull().references(() => incidents.id),
    stepId: text("step_id").notNull(),
    position: integer("position").notNull(),
    planId: integer("plan_id").notNull(),
    text: text("text").notNull(),
    phase: text("phase").notNull(),
    required: integer("required", { mode: "boolean" }).notNull(),
    doneBy: text("done_by"),
    doneAt: integer("done_at"),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.stepId] })],
);

/** Links between incidents (either pane): `a` related to / caused by / duplicate of `b`. One row per pair, in either order. */
export const incidentLinks = sqliteTable(
  "incident_links",
  {
    a: integer("a").notNull().references(() => incidents.id),
    b: integer("b").notNull().references(() => incidents.id),
    kind: text("kind").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.a, t.b] }), index("incident_links_b").on(t.b)],
);

/**
 * A silence: detections matching it are counted here but open or grow no incident and notify
 * nobody, from `starts_at` until `ends_at` (required) or until someone ends it (`ended_at`).
 */
export const silences = sqliteTable(
  "silences",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** {rule?, entity?, source?, pane?, severity?} (all given must match) */
    matcher: text("matcher", { mode: "json" }).notNull().$type<Record<string, string>>(),
    reason: text("reason").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    endedAt: integer("ended_at"),
    endedBy: text("ended_by"),
    /** detections it held back, and the last one's time */
    hits: integer("hits").notNull().default(0),
    lastHitAt: integer("last_hit_at"),
  },
  (t) => [index("silences_ends_at").on(t.endsAt)],
);
