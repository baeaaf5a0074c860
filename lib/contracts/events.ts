import { z } from "zod";
import { decimalParam, ipSchema, SEVERITIES, severitySchema, timeSchema, type Severity } from "./common";
import { jsonBoundsError, type JsonBounds } from "./bounded-json";
import { EVENT_KINDS, RATE_WINDOW_MINUTES, encodeCursor, type EventCursor } from "./values/events";

export { EVENT_KINDS, RATE_WINDOW_MINUTES, encodeCursor, type EventCursor };

/** `attributes`: an object at most 8 levels deep and 16 KiB as JSON. */
export const ATTRIBUTE_BOUNDS: JsonBounds = { maxDepth: 8, maxBytes: 16 * 1024 };

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

const listParam = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .max(200)
    .transform((value, ctx) => {
      const parts = value.split(",").filter((p) => p !== "");
      const bad = parts.find((p) => !(values as readonly string[]).includes(p));
      if (bad !== undefined || parts.length === 0) {
        ctx.addIssue({ code: "custom", message: `unknown ${what} "${bad ?? ""}": expected one or more of ${values.join(", ")}, comma-separated` });
        return z.NEVER;
      }
      return [...new Set(parts)] as T[number][];
    });

/** A source as the triage pane names it: an address (canonical form) or a host name. */
const sourceParam = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_.:%-]+$/, "expected an IP address or a host name");

/**
 * The filter of every triage query (GET /api/v1/events, /events/groups, /events/:id is unfiltered).
 * Unknown parameters are answered 400 (strictObject).
 */
export const eventFilterSchema = z.strictObject({
  /** one kind or several, comma-separated */
  kind: listParam(EVENT_KINDS, "kind").optional(),
  /** one severity or several, comma-separated */
  severity: listParam(SEVERITIES, "severity").optional(),
  /** events at or after this time (ISO 8601 or epoch ms) */
  since: timeSchema.optional(),
  /** events strictly before this time */
  until: timeSchema.optional(),
  /** the source: an address (matched in canonical form) or a host name */
  src: sourceParam.optional(),
  dst: sourceParam.optional(),
  /** the account, exact */
  user: z.string().min(1).max(256).optional(),
  /** the signature (IDS rule message), exact */
  signature: z.string().min(1).max(1024).optional(),
  /** what produced it (sshd, suricata, payments …), exact */
  service: z.string().min(1).max(64).optional(),
  /** free text: a case-insensitive substring of signature, message, user, source or service */
  q: z.string().min(1).max(200).optional(),
  /** the evidence events linked to this incident */
  incident: decimalParam(1, Number.MAX_SAFE_INTEGER).optional(),
});
export type EventFilter = z.infer<typeof eventFilterSchema>;

export const eventQuerySchema = eventFilterSchema.extend({
  /** only events strictly older than this cursor (the previous page's next_before) */
  before: cursorParam.optional(),
  limit: decimalParam(1, 1000).default(200),
});
export type EventQuery = z.infer<typeof eventQuerySchema>;

/**
 * Stored rows one grouping reads at most (the newest of the filter's); past it a page of groups
 * says `exact: false`. About two hours of a 500k-events-a-day install: a grouping runs on the
 * server's one connection, and 50,000 rows already hold it for tens of milliseconds.
 */
export const GROUP_SCAN_CAP = 50_000;

/** GET /api/v1/events/groups: the filter's events grouped by one field, largest groups first. */
export const GROUP_BY = ["signature", "src", "user", "service", "kind"] as const;
export type GroupBy = (typeof GROUP_BY)[number];
export const eventGroupsQuerySchema = eventFilterSchema.extend({
  by: z.enum(GROUP_BY),
  limit: decimalParam(1, 500).default(100),
});
export type EventGroupsQuery = z.infer<typeof eventGroupsQuerySchema>;

export interface EventGroup {
  /** the grouped value; null for events without one (e.g. no signature) */
  key: string | null;
  /** events in the group (occurrences counted: "message repeated 5 times" is 5) */
  count: number;
  /** stored rows in the group */
  rows: number;
  worst: Severity;
  first: number;
  last: number;
  /** distinct sources in the group (when grouping by anything but src) */
  sources: number;
}

export interface EventGroupsPage {
  by: GroupBy;
  groups: EventGroup[];
  /** distinct groups matching the filter (groups beyond `limit` are counted, not listed) */
  total_groups: number;
  /** stored rows the grouping read */
  rows: number;
  /**
   * false when the filter matched more rows than one grouping reads (GROUP_SCAN_CAP): counts are over
   * the newest rows. A time range alone is grouped from the tallies and always exact.
   */
  exact: boolean;
  /**
   * false when `sources` was counted over the newest rows only (a lower bound): from the tallies,
   * distinct sources per group are counted over the newest SOURCES_SCAN_CAP rows of the range
   */
  sources_exact: boolean;
}

/** GET /api/v1/security/top: top sources, signatures and accounts over a range, from the per-minute and per-hour tallies. */
export const topQuerySchema = z.strictObject({
  since: timeSchema.optional(),
  until: timeSchema.optional(),
  limit: decimalParam(1, 100).default(10),
});
export type TopQuery = z.infer<typeof topQuerySchema>;

export interface TopEntry {
  value: string;
  count: number;
  worst: Severity;
}

export interface SecurityTop {
  /** the range actually counted: since rounded down and until rounded up to the tallies' minutes */
  since: number;
  until: number;
  sources: TopEntry[];
  signatures: TopEntry[];
  users: TopEntry[];
  /** events per severity in the range (from the per-minute rollup) */
  counts: SeverityCounts;
}

/** GET /api/v1/events/:id: the event, its raw line, and the incidents it is evidence of. */
export interface EventDetailAnswer {
  event: SecurityEventDetail;
  incidents: Array<{ id: number; title: string; rule: string; severity: Severity; status: string; explanation: string | null; mitre: string | null; first_seen: number; last_seen: number }>;
}

/** One page of GET /api/v1/events, newest first. */
export interface EventsPage {
  epoch: string;
  seq: number;
  events: SecurityEvent[];
  /** pass as `before` for the next (older) page; null when this page reached the oldest stored event */
  next_before: string | null;
  /**
   * true when the page stopped at the server's scan bound (free text, a destination or a service
   * checked row by row) before holding `limit` events: it may hold fewer, even none, and
   * next_before goes on from where it stopped. Keep following next_before. (Always sent by the
   * server; optional so that pages built elsewhere need not say it.)
   */
  partial?: boolean;
  /** events matching the filter (ignoring `before` and `limit`): exact while total_exact, else a lower bound */
  total: number;
  total_exact: boolean;
}

export type SeverityCounts = Record<Severity, number>;

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
