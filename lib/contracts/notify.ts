import { z } from "zod";
import { decimalParam, severitySchema, type Severity } from "./common";
import type { Incident } from "./incidents";
import { parseDuration } from "../../server/network/duration";
import { ENDPOINT_FORMATS, NOTIFY_EVENTS, type EndpointFormat, type NotifyEvent } from "./values/notify";

export { ENDPOINT_FORMATS, NOTIFY_EVENTS, type EndpointFormat, type NotifyEvent };

/**
 * An outbound webhook URL: http or https only (no file:, javascript:, data: …), a host, no user
 * name or password in it (they end up in logs and answers), at most 2,000 characters.
 */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "not a URL (expected http:// or https://…)" });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: `only http and https URLs are allowed, not ${JSON.stringify(url.protocol.slice(0, 20))}` });
      return z.NEVER;
    }
    if (!url.hostname) {
      ctx.addIssue({ code: "custom", message: "the URL names no host" });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "put no user name or password in the URL (the request is signed with the endpoint's secret)" });
      return z.NEVER;
    }
    url.hash = "";
    return url.toString();
  });

const nameSchema = z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f]+$/, "no control characters");
const secretSchema = z.string().min(16, "at least 16 characters").max(256);
const eventsSchema = z
  .array(z.enum(NOTIFY_EVENTS))
  .max(NOTIFY_EVENTS.length)
  .transform((events) => NOTIFY_EVENTS.filter((e) => events.includes(e)));

/** POST /api/v1/notifications/endpoints. Without `secret` one is made; the answer shows it once. */
export const endpointInputSchema = z.strictObject({
  name: nameSchema,
  url: webhookUrlSchema,
  format: z.enum(ENDPOINT_FORMATS).default("json"),
  secret: secretSchema.optional(),
  events: eventsSchema.default([...NOTIFY_EVENTS]),
  min_severity: severitySchema.default("info"),
  enabled: z.boolean().default(true),
});
export type EndpointInput = z.output<typeof endpointInputSchema>;

/** PATCH /api/v1/notifications/endpoints/:id: any field; `secret` replaces the secret (not answered). */
export const endpointPatchSchema = z.strictObject({
  name: nameSchema.optional(),
  url: webhookUrlSchema.optional(),
  format: z.enum(ENDPOINT_FORMATS).optional(),
  secret: secretSchema.optional(),
  events: eventsSchema.optional(),
  min_severity: severitySchema.optional(),
  enabled: z.boolean().optional(),
});
export type EndpointPatch = z.output<typeof endpointPatchSchema>;

/** An endpoint as the API answers it: never its secret. */
export interface Endpoint {
  id: number;
  name: string;
  url: string;
  format: EndpointFormat;
  events: NotifyEvent[];
  min_severity: Severity;
  enabled: boolean;
  created_at: number;
  created_by: string;
  updated_at: number;
}

/** The newest delivery to an endpoint, in the endpoint list (what happened the last time it was told). */
export interface LastDelivery {
  id: number;
  event: NotifyEvent | "test";
  status: "pending" | "delivered" | "failed" | "cancelled";
  created_at: number;
  delivered_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
}

/** GET /api/v1/notifications/endpoints: each endpoint with its newest delivery (null: never told). */
export interface EndpointListItem extends Endpoint {
  last_delivery: LastDelivery | null;
}

/** A duration such as `90s`, `15m`, `2h`, `1h30m` (see server/network/duration.ts). */
const durationSchema = z
  .string()
  .max(20)
  .transform((value, ctx) => {
    try {
      const ms = parseDuration(value);
      if (ms < 60_000) throw new Error("at least one minute");
      if (ms > 7 * 86_400_000) throw new Error("at most 7 days");
      return { text: value.trim(), ms };
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

/**
 * One severity's escalation: level 1 is paged at open (and reopen); if nobody acknowledges within
 * its `after`, level 2 is paged, and so on. The last level's `after` is not needed (nothing follows).
 */
export const escalationLevelsSchema = z
  .array(
    z.strictObject({
      after: durationSchema.optional(),
      endpoints: z.array(z.number().int().positive()).min(1).max(20),
    }),
  )
  .max(10)
  .superRefine((levels, ctx) => {
    levels.forEach((level, i) => {
      if (i < levels.length - 1 && level.after === undefined) ctx.addIssue({ code: "custom", path: [i, "after"], message: "every level but the last needs `after` (e.g. 15m)" });
    });
  });

/** PUT /api/v1/notifications/escalation: the whole policy; a severity left out pages nobody. */
export const escalationInputSchema = z.strictObject({
  policies: z.partialRecord(severitySchema, z.strictObject({ levels: escalationLevelsSchema })),
});
export type EscalationInput = z.output<typeof escalationInputSchema>;

export interface EscalationLevel {
  /** as written (e.g. "15m"); null on the last level */
  after: string | null;
  after_ms: number | null;
  endpoints: number[];
}
export type EscalationPolicies = Partial<Record<Severity, { levels: EscalationLevel[] }>>;

/** GET /api/v1/notifications/escalation/dry-run: one severity's plan, or one incident's. */
export const dryRunQuerySchema = z
  .strictObject({ severity: severitySchema.optional(), incident: decimalParam(1, Number.MAX_SAFE_INTEGER).optional() })
  .refine((q) => (q.severity === undefined) !== (q.incident === undefined), { message: "give either severity or incident", path: ["severity"] });

export interface DryRunStep {
  level: number;
  /** minutes after the open (or reopen) at which this level is paged */
  at_minute: number;
  event: "open" | "escalate";
  endpoints: { id: number; name: string; enabled: boolean }[];
  /**
   * for an incident: paged already (at `at`, unless the escalation was held since), still due (at
   * `at`), held (every node of the incident paused: due again, as much later, once it is not), or
   * not going to happen (acknowledged, resolved)
   */
  state?: "paged" | "due" | "held" | "stopped";
  at?: number;
}
export interface DryRun {
  severity: Severity;
  /** `escalation_held_since`: since when its escalation stands still (null: it does not) */
  incident: { id: number; status: string; escalation_started_at: number | null; escalation_held_since: number | null } | null;
  /** the escalation levels in order */
  steps: DryRunStep[];
  /** endpoints told about an open of this severity by their own subscription (events, min_severity) */
  subscribers: { id: number; name: string }[];
}

export const DELIVERY_STATUSES = ["pending", "delivered", "failed", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttempt {
  attempt: number;
  at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  ok: boolean;
}

/** One (event, endpoint) delivery with every attempt. */
export interface Delivery {
  id: number;
  incident_id: number | null;
  endpoint: { id: number; name: string };
  event: NotifyEvent | "test";
  level: number | null;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  next_attempt_at: number | null;
  created_at: number;
  delivered_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
}

/** GET /api/v1/notifications/endpoints/:id/deliveries: newest first, `before` a delivery id. */
export const deliveriesQuerySchema = z.strictObject({
  limit: decimalParam(1, 500).default(100),
  before: decimalParam(1, Number.MAX_SAFE_INTEGER).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
});
export type DeliveriesQuery = z.output<typeof deliveriesQuerySchema>;

export interface DeliveriesPage {
  deliveries: Delivery[];
  next_before: number | null;
}

/** The generic JSON body of a delivery. */
export interface WebhookBody {
  event: NotifyEvent | "test";
  incident: Incident | null;
  url: string;
  sent_at: string;
  /** the escalation level that paged this endpoint, when a policy did */
  level?: number;
}
