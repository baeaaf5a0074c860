import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
    /** what produced it: sshd, pam, su, sudo, suricata, snort, payments, vigil */
    service: text("service"),
    /** the source when the log names a host instead of an address (PAM's rhost=…) */
    srcHost: text("src_host"),
    srcPort: integer("src_port"),
    dstPort: integer("dst_port"),
    proto: text("proto"),
    /** one stored line standing for N ("message repeated N times") */
    occurrences: integer("occurrences").notNull().default(1),
    /** identity of the line (format + raw text, or the sender's own id): a re-sent line stores nothing twice */
    fingerprint: text("fingerprint"),
    /** the line as received, card numbers masked */
    raw: text("raw"),
  },
  (t) => [
    uniqueIndex("security_events_fingerprint").on(t.fingerprint).where(sql`fingerprint IS NOT NULL`),
    index("security_events_src_host_time").on(t.srcHost, t.time).where(sql`src_host IS NOT NULL`),
    index("security_events_user_time").on(t.user, t.time).where(sql`user IS NOT NULL`),
    index("security_events_signature_time").on(t.signature, t.time).where(sql`signature IS NOT NULL`),
    index("security_events_time").on(t.time),
    index("security_events_src_time").on(t.srcIp, t.time),
    // kind and severity filters, alone or together: one range per (kind, severity) pair, merged in
    // time order (db/queries/security-filter.ts); (kind, time) and (severity, time) were dropped in
    // 0006 as redundant with it, two fewer b-trees written per stored event
    index("security_events_kind_severity_time").on(t.kind, t.severity, t.time),
  ],
);

/**
 * Per-minute counts by severity, kept longer than raw events so charts never scan raw rows. WITHOUT
 * ROWID since migration 0012 (by hand): a day of counts is read from the key's b-tree alone.
 */
export const eventMinutes = sqliteTable(
  "event_minutes",
  {
    minute: integer("minute").notNull(),
    severity: text("severity").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.minute, t.severity] })],
);

/**
 * Counts of events per source, signature, account, service and kind, per minute (span 60,000) and
 * per hour (span 3,600,000), upserted once per distinct key and batch: "top sources over 24 h" and
 * groupings over a time range read these, never raw rows. `dim` is "src" (address or host name),
 * "sig", "user", "svc" or "kind"; events without a value are tallied under dim "none" with the
 * dim's name as the value (so no stored text can be mistaken for "no value").
 *
 * The table is WITHOUT ROWID (migration 0006, written by hand: drizzle cannot declare it): the
 * primary key is the table, so a range of buckets is read with its counts in one b-tree and an
 * upsert writes one b-tree instead of a rowid table and its key index.
 */
export const eventTallies = sqliteTable(
  "event_tallies",
  {
    dim: text("dim").notNull(),
    span: integer("span").notNull(),
    bucket: integer("bucket").notNull(),
    value: text("value").notNull(),
    count: integer("count").notNull(),
    /** the most severe event counted here (rank: 0 critical … 4 info) */
    worst: integer("worst").notNull(),
    /** stored rows counted here (count is occurrences) */
    rows: integer("rows").notNull().default(0),
    /** the earliest and latest event time counted here */
    first: integer("first").notNull().default(0),
    last: integer("last").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.dim, t.span, t.bucket, t.value] })],
);
