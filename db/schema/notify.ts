import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Outbound webhooks. `secret` signs every delivery (HMAC-SHA256) and is never answered after
 * creation. A deleted endpoint keeps its row (`deleted_at`) so delivery history still names it.
 */
export const notifyEndpoints = sqliteTable("notify_endpoints", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  url: text("url").notNull(),
  format: text("format", { enum: ["json", "slack"] }).notNull(),
  secret: text("secret").notNull(),
  /** JSON array of events: open, acknowledge, resolve, reopen, escalate */
  events: text("events", { mode: "json" }).$type<string[]>().notNull(),
  /** least severe incident this endpoint hears about by subscription */
  minSeverity: text("min_severity").notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  updatedAt: integer("updated_at").notNull(),
  deletedAt: integer("deleted_at"),
});

/**
 * The last status (and version) notifications saw per incident, so a restart neither sends a
 * transition twice nor misses one committed while the process was down.
 */
export const notifySeen = sqliteTable("notify_seen", {
  incidentId: integer("incident_id").primaryKey(),
  status: text("status").notNull(),
  version: integer("version").notNull(),
});

/**
 * One row per (transition, endpoint): written in the transaction that records the transition,
 * then delivered by the worker with retries. `incident` is the incident as it was at the
 * transition (JSON); `next_attempt_at` is also the lease of a delivery in flight.
 */
export const notifyOutbox = sqliteTable(
  "notify_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** null for a test delivery */
    incidentId: integer("incident_id"),
    endpointId: integer("endpoint_id").notNull().references(() => notifyEndpoints.id),
    event: text("event", { enum: ["open", "acknowledge", "resolve", "reopen", "escalate", "test"] }).notNull(),
    /** escalation level that paged this endpoint (1 at open/reopen, 2+ for escalate); null by subscription */
    level: integer("level"),
    incident: text("incident"),
    status: text("status", { enum: ["pending", "delivered", "failed", "cancelled"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
  },
  (t) => [
    // the worker's due query, one endpoint at a time
    index("notify_outbox_due").on(t.endpointId, t.nextAttemptAt).where(sql`status = 'pending'`),
    index("notify_outbox_incident").on(t.incidentId, t.id),
    index("notify_outbox_endpoint").on(t.endpointId, t.id),
  ],
);

/** Every delivery attempt: when, how long, the receiver's status code or the error. */
export const notifyAttempts = sqliteTable(
  "notify_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    outboxId: integer("outbox_id").notNull().references(() => notifyOutbox.id),
    attempt: integer("attempt").notNull(),
    startedAt: integer("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    ok: integer("ok", { mode: "boolean" }).notNull(),
  },
  (t) => [index("notify_attempts_outbox").on(t.outboxId, t.attempt)],
);

/**
 * Escalation of one open incident: paged up to `level` since `started_at` (its open or last
 * reopen); the next level is due at `next_at` (null: no level left, or held). It stands still
 * while its nodes are all paused: `held_at` since when (null: not held), `held_ms` how long it has
 * stood still in this open period before (levels are due as much later). Removed when acknowledged
 * or resolved. Level 0: a node_down's open held for the storm wait (VIGIL_STORM_WAIT_S), nothing
 * paged yet, `started_at` and `next_at` the wait's end; acknowledged within it, it stays at level 0
 * with `next_at` null (nothing told) until resolved or reopened.
 */
export const notifyEscalations = sqliteTable(
  "notify_escalations",
  {
    incidentId: integer("incident_id").primaryKey(),
    severity: text("severity").notNull(),
    startedAt: integer("started_at").notNull(),
    level: integer("level").notNull(),
    nextAt: integer("next_at"),
    heldAt: integer("held_at"),
    heldMs: integer("held_ms").notNull().default(0),
  },
  (t) => [index("notify_escalations_next").on(t.nextAt).where(sql`next_at IS NOT NULL`)],
);

/** The escalation policy of one severity: levels `[{after, endpoints}]` as JSON. */
export const escalationPolicies = sqliteTable("escalation_policies", {
  severity: text("severity").primaryKey(),
  levels: text("levels", { mode: "json" }).$type<{ after: string | null; endpoints: number[] }[]>().notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});
