import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";

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
  status: text("status", { enum: ["unknown", "up", "degraded", "down"] }).notNull().default("unknown"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastLatencyMs: real("last_latency_ms"),
  lastCheckAt: integer("last_check_at"),
  createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
}, (t) => [index("nodes_status_name").on(t.status, t.name, t.id)]);

/** One check result, pushed or probed. Raw rows are pruned after the retention window. */
export const heartbeats = sqliteTable(
  "heartbeats",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    nodeId: integer("node_id").notNull().references(() => nodes.id),
    time: integer("time").notNull(),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    latencyMs: real("latency_ms"),
    message: text("message"),
  },
  (t) => [index("heartbeats_node_time").on(t.nodeId, t.time), index("heartbeats_time").on(t.time)],
);
