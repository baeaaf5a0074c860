import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A normalized security event: IDS alert, failed login, transaction, anomaly. */
export const securityEvents = sqliteTable(
  "security_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    time: integer("time").notNull(),
    receivedAt: integer("received_at").notNull(),
    kind: text("kind").notNull(),
    severity: text("severity").notNull(),
    source: text("source").notNull(),
    srcIp: text("src_ip"),
    dstIp: text("dst_ip"),
    user: text("user"),
    signature: text("signature"),
    message: text("message"),
    attributes: text("attributes", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index("security_events_time").on(t.time),
    index("security_events_kind_time").on(t.kind, t.time),
    index("security_events_src_time").on(t.srcIp, t.time),
    index("security_events_severity_time").on(t.severity, t.time),
    index("security_events_kind_severity_time").on(t.kind, t.severity, t.time),
  ],
);

/** Per-minute counts by severity, kept longer than raw events so charts never scan raw rows. */
export const eventMinutes = sqliteTable(
  "event_minutes",
  {
    minute: integer("minute").notNull(),
    severity: text("severity").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.minute, t.severity] })],
);
