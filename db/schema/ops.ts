import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Sign-in throttle counters, kept in the database so a restart does not lift a lockout.
 * `scope` is `account` (lower-cased email) or `address` (canonical IP).
 */
export const authThrottle = sqliteTable(
  "auth_throttle",
  {
    scope: text("scope", { enum: ["account", "address"] }).notNull(),
    key: text("key").notNull(),
    /** JSON array of failure times (epoch ms) inside the window */
    failures: text("failures").notNull().default("[]"),
    lockedUntil: integer("locked_until").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/** The last TOTP time step accepted per user: a code is accepted once, a replay is refused. */
export const totpSteps = sqliteTable("totp_steps", {
  userId: text("user_id").primaryKey(),
  lastStep: integer("last_step").notNull(),
});

/**
 * How far the audit chain is known good: entries up to `verifiedId` (whose hash is `hash`) were
 * checked; new entries are checked from there. The last full re-verification is kept too.
 */
export const auditCheckpoint = sqliteTable("audit_checkpoint", {
  id: integer("id").primaryKey(),
  verifiedId: integer("verified_id").notNull(),
  hash: text("hash").notNull(),
  verifiedAt: integer("verified_at").notNull(),
  /** last full re-verification: time, outcome and the first broken entry if any */
  fullAt: integer("full_at"),
  fullOk: integer("full_ok", { mode: "boolean" }),
  fullEntries: integer("full_entries"),
  fullBrokenId: integer("full_broken_id"),
  fullReason: text("full_reason"),
});
