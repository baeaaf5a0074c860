import { z } from "zod";
import { decimalParam, ipSchema, severitySchema, timeSchema, type Severity } from "./common";
import { jsonBoundsError, type JsonBounds } from "./bounded-json";

/** `attributes`: an object at most 8 levels deep and 16 KiB as JSON. */
export const ATTRIBUTE_BOUNDS: JsonBounds = { maxDepth: 8, maxBytes: 16 * 1024 };

export const EVENT_KINDS = ["ids_alert", "auth_failure", "auth_success", "transaction", "anomaly", "system"] as const;
export const eventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof eventKindSchema>;

const defaultSeverity: Record<EventKind, Severity> = {
  ids_alert: "medium",
  auth_failure: "low",
  auth_success: "info",
  transaction: "info",
  anomaly: "medium",
  system: "info",
};

/** What a sensor or script sends to POST /api/v1/events, one item. */
export const eventInputSchema = z
  .strictObject({
    kind: eventKindSchema,
    severity: severitySchema.optional(),
    time: timeSchema.optional(),
    src_ip: ipSchema.optional(),
    dst_ip: ipSchema.optional(),
    user: z.string().max(256).optional(),
    signature: z.string().max(1024).optional(),
    message: z.string().max(8192).optional(),
    attributes: z
      .record(z.string().max(128), z.unknown())
      .superRefine((a, ctx) => {
        const error = jsonBoundsError(a, ATTRIBUTE_BOUNDS);
        if (error) ctx.addIssue({ code: "custom", message: error });
      })
      .optional(),
  })
  .transform((e) => ({ ...e, severity: e.severity ?? defaultSeverity[e.kind] }));
export type EventInput = z.input<typeof eventInputSchema>;
export type NormalizedEvent = z.output<typeof eventInputSchema>;

/** An event as stored and shown. */
export const securityEventSchema = z.object({
  id: z.number(),
  time: z.number(),
  kind: z.string(),
  severity: severitySchema,
  source: z.string(),
  src_ip: z.string().nullable(),
  dst_ip: z.string().nullable(),
  user: z.string().nullable(),
  signature: z.string().nullable(),
  message: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()).nullable(),
});
export type SecurityEvent = z.infer<typeof securityEventSchema>;

export const eventQuerySchema = z.strictObject({
  kind: eventKindSchema.optional(),
  severity: severitySchema.optional(),
  since: timeSchema.optional(),
  limit: decimalParam(1, 1000).default(200),
});
export type EventQuery = z.infer<typeof eventQuerySchema>;

/** Minutes of per-minute counts the security pane shows. */
export const RATE_WINDOW_MINUTES = 60;

export interface RateBucket {
  minute: number;
  severity: Severity;
  count: number;
}

/** Snapshot of the security pane: the newest events plus per-minute counts. */
export interface SecuritySnapshot {
  epoch: string;
  seq: number;
  events: SecurityEvent[];
  rate: RateBucket[];
}
