import { z } from "zod";
import { decimalParam, ipSchema, severitySchema, timeSchema, type Severity } from "./common";
import { jsonBoundsError, type JsonBounds } from "./bounded-json";

/** `attributes`: an object at most 8 levels deep and 16 KiB as JSON. */
export const ATTRIBUTE_BOUNDS: JsonBounds = { maxDepth: 8, maxBytes: 16 * 1024 };

export const EVENT_KINDS = ["ids_alert", "ids_anomaly", "auth_failure", "auth_success", "transaction", "anomaly", "system"] as const;
export const eventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof eventKindSchema>;

const defaultSeverity: Record<EventKind, Severity> = {
  ids_alert: "medium",
  ids_anomaly: "low",
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
    /** the source when it is a host name rather than an address */
    src_host: z.string().min(1).max(253).regex(/^[A-Za-z0-9_.-]+$/, "expected a host name (letters, digits, '.', '-', '_')").optional(),
    src_port: z.number().int().min(0).max(65535).optional(),
    dst_ip: ipSchema.optional(),
    dst_port: z.number().int().min(0).max(65535).optional(),
    /** what produced it (sshd, vpn, checkout …): brute-force detection counts per source and service */
    service: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, "expected a service name (letters, digits, '.', ':', '-', '_')").optional(),
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
  /** what produced it: sshd, pam, su, sudo, suricata, snort, payments */
  service: z.string().nullable(),
  /** the source when the log names a host instead of an address */
  src_host: z.string().nullable(),
  src_port: z.number().nullable(),
  dst_port: z.number().nullable(),
  proto: z.string().nullable(),
  /** how many occurrences the stored line stands for ("message repeated N times") */
  occurrences: z.number(),
});
export type SecurityEvent = z.infer<typeof securityEventSchema>;

/** One event with the line as received (card numbers masked): GET /api/v1/events/:id. */
export type SecurityEventDetail = SecurityEvent & { raw: string | null; received_at: number; fingerprint: string | null };

/** A position in the newest-first order of events: the (time, id) of the last event a page showed. */
export interface EventCursor {
  time: number;
  id: number;
}

/** Cursors travel as "time:id" (both decimal): `next_before` of one page is `before` of the next. */
export function encodeCursor(c: EventCursor): string {
  return `${c.time}:${c.id}`;
}

export const cursorParam = z
  .string()
  .max(40)
  .transform((value, ctx): EventCursor => {
    const m = /^(\d{1,15}):(\d{1,15})$/.exec(value);
    if (!m) {
      ctx.addIssue({ code: "custom", message: 'expected a cursor "time:id" as given in next_before' });
      return z.NEVER;
    }
    return { time: Number(m[1]), id: Number(m[2]) };
  });

export const eventQuerySchema = z.strictObject({
  kind: eventKindSchema.optional(),
  severity: severitySchema.optional(),
  since: timeSchema.optional(),
  /** only events strictly older than this cursor (the previous page's next_before) */
  before: cursorParam.optional(),
  limit: decimalParam(1, 1000).default(200),
});
export type EventQuery = z.infer<typeof eventQuerySchema>;
export type EventFilter = Pick<EventQuery, "kind" | "severity" | "since">;

/** One page of GET /api/v1/events, newest first. */
export interface EventsPage {
  epoch: string;
  seq: number;
  events: SecurityEvent[];
  /** pass as `before` for the next (older) page; null when this page reached the oldest stored event */
  next_before: string | null;
  /** events matching the filter (ignoring `before` and `limit`): exact while total_exact, else a lower bound */
  total: number;
  total_exact: boolean;
}

export type SeverityCounts = Record<Severity, number>;

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
  /** the newest events (the live head; older ones are paged through GET /api/v1/events?before=) */
  events: SecurityEvent[];
  /** cursor of the page after `events`, as taken */
  next_before: string | null;
  /** every stored event, exact */
  total: number;
  rate: RateBucket[];
  /** events received per severity over the last hour and the last 24 hours (from the per-minute rollup) */
  counts: { hour: SeverityCounts; day: SeverityCounts };
}
