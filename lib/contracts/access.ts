import { z } from "zod";

export const ROLE_NAMES = ["viewer", "noc", "analyst", "oncall", "admin"] as const;
export const SCOPE_NAMES = ["ingest", "read", "act"] as const;

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

export const auditQuerySchema = z.object({
  action: z.string().max(64).optional(),
  actor: z.string().max(256).optional(),
  q: z.string().max(200).optional(),
  since: z.coerce.number().int().nonnegative().optional(),
  until: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(200),
  format: z.enum(["json", "ndjson", "csv"]).default("json"),
});

/** What the console knows about the signed-in person. */
export interface Me {
  email: string;
  role: (typeof ROLE_NAMES)[number];
  permissions: string[];
  mfa_pending: boolean;
  two_factor_enabled: boolean;
}
