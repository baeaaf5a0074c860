import { z } from "zod";
import { ipSchema, severitySchema, timeSchema, type Severity } from "./common";

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
      .refine((a) => JSON.stringify(a).length <= 16384, "attributes larger than 16 KiB")
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

export const eventQuerySchema = z.object({
  kind: eventKindSchema.optional(),
  severity: severitySchema.optional(),
  since: timeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
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
