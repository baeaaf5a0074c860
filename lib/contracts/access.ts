import { z } from "zod";
import { decimalParam, timeSchema } from "./common";
import { ROLE_NAMES, SCOPE_NAMES } from "./values/access";

export { ROLE_NAMES, SCOPE_NAMES };

export const setupSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254),
  password: z.string().min(12, "password: at least 12 characters").max(256),
});

export const createUserSchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLE_NAMES),
  password: z.string().min(12, "password: at least 12 characters").max(256),
});

export const updateUserSchema = z.strictObject({ role: z.enum(ROLE_NAMES).optional(), disabled: z.boolean().optional() });

export const createKeySchema = z.strictObject({
  owner_email: z.email().max(254),
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(SCOPE_NAMES)).min(1),
});

export const settingsPatchSchema = z.strictObject({ require_mfa_all: z.boolean().optional() });

/** Most entries one JSON page may ask for; exports (csv, ndjson) stream and may ask for more. */
export const AUDIT_PAGE_MAX = 1000;

/**
 * GET /api/v1/audit. `before` is the cursor (entries with smaller ids, newest first). With
 * format=json `limit` is the page size (default 200, at most AUDIT_PAGE_MAX); with csv or ndjson
 * it caps the export (default: every matching entry), which is streamed page by page.
 */
export const auditQuerySchema = z
  .strictObject({
    action: z.string().max(64).optional(),
    actor: z.string().max(256).optional(),
    q: z.string().max(200).optional(),
    since: timeSchema.optional(),
    until: timeSchema.optional(),
    /** an entry id in decimal digits */
    before: decimalParam(1, Number.MAX_SAFE_INTEGER).optional(),
    limit: decimalParam(1, 100_000_000).optional(),
    format: z.enum(["json", "ndjson", "csv"]).default("json"),
  })
  .superRefine((v, ctx) => {
    if (v.format === "json" && v.limit !== undefined && v.limit > AUDIT_PAGE_MAX) {
      ctx.addIssue({ code: "custom", path: ["limit"], message: `at most ${AUDIT_PAGE_MAX} entries per page (export with format=csv or ndjson for more)` });
    }
  });

/**
 * The audit chain's state as the API reports it (GET /api/v1/audit `chain`, GET and POST
 * /api/v1/audit/verify). It is read from the stored checkpoint, never by walking the chain.
 */
export interface AuditChainState {
  /** id of the newest entry, 0 when the log is empty */
  head: number;
  /** entries 1..verified_through are known good: checked on append, by catch-up slices or by a full run */
  verified_through: number;
  /** hash of entry verified_through */
  hash: string;
  /** when verified_through last moved (epoch ms), null if never */
  verified_at: number | null;
  /** the first entry known to fail (from the last full run, or from checking new entries); null if none */
  broken: { id: number; reason: string } | null;
  /** the full re-verification from entry 1, which runs on a worker thread */
  full: {
    running: boolean;
    /** while running: entries checked of the newest id when the run started */
    progress: { checked: number; total: number } | null;
    started_at: number | null;
    /** the last finished run, as stored: when, outcome, entries walked, first broken entry */
    at: number | null;
    ok: boolean | null;
    entries: number | null;
    broken_id: number | null;
    reason: string | null;
    /** why the last run could not finish (not a verdict on the chain); null if it did */
    error: string | null;
  };
}

/** What the console knows about the signed-in person. */
export interface Me {
  email: string;
  role: (typeof ROLE_NAMES)[number];
  permissions: string[];
  mfa_pending: boolean;
  two_factor_enabled: boolean;
}
