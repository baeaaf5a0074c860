import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * A node's status, as the probe engine names them (server/network/status.ts). Rows written
 * before migration 0008 said `unknown` for "no data yet": the migration rewrites them to
 * `pending`, and readers map a stray `unknown` to `pending` too.
 */
export const NODE_STATUS_VALUES = ["pending", "up", "degraded", "down", "unreachable", "maintenance", "flapping"] as const;
/** Where a node's definition comes from: the YAML file, the API (or UI), or its first heartbeat. */
export const NODE_SOURCES = ["config", "api", "heartbeat"] as const;

/** A monitored thing: server, router, gateway, payment link. `parentId` forms the dependency tree. */
export const nodes = sqliteTable("nodes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  key: text("key").notNull().unique(),
  name: text("name").notNull(),
  kind: text("kind").notNull().default("server"),
  parentId: integer("parent_id").references((): AnySQLiteColumn => nodes.id),
  critical: integer("critical", { mode: "boolean" }).notNull().default(false),
  /** Latency above this marks the node degraded. */
  degradedMs: real("degraded_ms"),
  status: text("status", { enum: NODE_STATUS_VALUES }).notNull().default("pending"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastLatencyMs: real("last_latency_ms"),
  lastCheckAt: integer("last_check_at"),
  createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
  /** site, tier, owner, service… as `{name: value}` */
  tags: text("tags", { mode: "json" }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
  source: text("source", { enum: NODE_SOURCES }).notNull().default("heartbeat"),
  /** a paused node runs no checks and its heartbeats are stored without changing its status */
  paused: integer("paused", { mode: "boolean" }).notNull().default(false),
  /** the status machine's state (NodeState of server/network/status.ts); null for a node the engine never evaluated */
  state: text("state", { mode: "json" }).$type<Record<string, unknown>>(),
  /** node-wide settings besides the columns: failures/successes before down/up for heartbeats, maintenance windows */
  settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>(),
  /** evidence time of the current status (first failed check for down), and why it is not up */
  statusSince: integer("status_since"),
  statusReason: text("status_reason"),
  /**
   * The definition's version (1 when made), raised by every change to it (API, UI, the nodes file),
   * with who made that change and when: PATCH /api/v1/nodes/:id may send the version it read and
   * is refused (409) when another change came first. Status changes do not count.
   */
  definitionVersion: integer("definition_version").notNull().default(1),
  definedBy: text("defined_by"),
  definedAt: integer("defined_at"),
}, (t) => [index("nodes_status_name").on(t.status, t.name, t.id)]);

/**
 * A check Vigil runs for a node (or waits for, for a push check). `spec` is the check's settings
 * as written in the config file or the API (checkSpecSchema's input, without its push token); a
 * push check's token is kept only as its SHA-256.
 */
export const checks = sqliteTable(
  "checks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    nodeId: integer("node_id").notNull().references(() => nodes.id),
    /** the check's id within its node (`http`, `bgp`…) */
    name: text("name").notNull(),
    type: text("type").notNull(),
    spec: text("spec", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    pushTokenHash: text("push_token_hash"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
    /** a push check's last push (its time on arrival), so that a restart or a redefinition keeps its deadline */
    lastPushAt: integer("last_push_at"),
  },
  (t) => [uniqueIndex("checks_node_name").on(t.nodeId, t.name), uniqueIndex("checks_push_token").on(t.pushTokenHash).where(sql`push_token_hash IS NOT NULL`)],
);

/**
 * One check result, pushed or probed. Raw rows are pruned after the retention window.
 * `checkId` names the check that ran (null for a pushed heartbeat); it has no foreign key, so a
 * removed check's history stays until retention removes it (check ids are never reused).
 */
export const heartbeats = sqliteTable(
  "heartbeats",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    nodeId: integer("node_id").notNull().references(() => nodes.id),
    time: integer("time").notNull(),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    latencyMs: real("latency_ms"),
    message: text("message"),
    checkId: integer("check_id"),
    /** why the check failed, in a NOC engineer's words */
    error: text("error"),
  },
  (t) => [index("heartbeats_node_time").on(t.nodeId, t.time), index("heartbeats_time").on(t.time)],
);

/**
 * Roll-ups of a node's check results per UTC minute, hour and day (server/network/rollup.ts):
 * checks, failed checks, and a latency sketch (DDSketch bytes, 1 % relative error) of the
 * successful ones, with its p95 kept beside it so a report can rank hours without decoding
 * sketches. Written in the transaction that stores the raw rows, so a crash can neither lose nor
 * double-count a result. Charts and uptime figures read these, never the raw heartbeats.
 *
 * The tables are WITHOUT ROWID (appended by hand to migration network_rollups; drizzle cannot
 * declare it): the primary key (node_id, bucket) is the table, so a chart's range is one b-tree
 * range read and an upsert writes one b-tree.
 */
function rollupTable<N extends string>(name: N) {
  return sqliteTable(
    name,
    {
      nodeId: integer("node_id").notNull(),
      /** start of the bucket, UTC ms */
      bucket: integer("bucket").notNull(),
      count: integer("count").notNull(),
      failures: integer("failures").notNull(),
      /** latency of the successful checks: LatencySketch.toBytes() */
      sketch: blob("sketch", { mode: "buffer" }).notNull(),
      /** the sketch's p95 (ms), null without a successful check */
      p95: real("p95"),
    },
    (t) => [primaryKey({ columns: [t.nodeId, t.bucket] })],
  );
}
export const nodeRollupMinutes = rollupTable("node_rollup_minutes");
export const nodeRollupHours = rollupTable("node_rollup_hours");
export const nodeRollupDays = rollupTable("node_rollup_days");

/**
 * A node's status over time, one row per change, at its evidence time (the first failed check for
 * down, the first good one for up, a window's edge for maintenance). Uptime, downtime and outage
 * history are read from here. A change whose evidence reaches back replaces the rows after it (as
 * server/network/uptime.ts intervalsFromChanges reads changes), so `at` orders the history.
 * WITHOUT ROWID, keyed (node_id, at).
 */
export const nodeStatusChanges = sqliteTable(
  "node_status_changes",
  {
    nodeId: integer("node_id").notNull(),
    at: integer("at").notNull(),
    status: text("status", { enum: NODE_STATUS_VALUES }).notNull(),
    reason: text("reason"),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.at] })],
);

/**
 * Heartbeats stored before the roll-up tables existed are rolled up once, at boot, in slices:
 * `below_id` is the highest heartbeat id the migration saw, `done_id` how far the backfill got
 * (moved in the transaction that writes each slice's roll-ups, so a crash resumes, never repeats).
 */
export const nodeRollupBackfill = sqliteTable("node_rollup_backfill", {
  id: integer("id").primaryKey(),
  belowId: integer("below_id").notNull(),
  doneId: integer("done_id").notNull(),
});
