// The network figures over HTTP: a node's latency chart, uptime, outage history, and the SLA
// report. Query schemas are shared by the route handlers and the node page's hooks; a bad
// parameter is a 400 naming it.
import { z } from "zod";
import { decimalParam, timeSchema } from "./common";
import type { NodeStatus } from "./network";
import { LATENCY_RANGES, type LatencyRange } from "./values/figures";

export { LATENCY_RANGES, type LatencyRange };

const DAY = 86_400_000;

/** The longest from/to a chart, an uptime figure or an outage list may cover. */
export const MAX_FIGURE_SPAN_MS = 1830 * DAY;
/** The longest range of one SLA report (its worst hour is read from hour rows). */
export const MAX_SLA_SPAN_MS = 400 * DAY;
/** The most points a chart answers. */
export const MAX_CHART_POINTS = 720;

/** from/to as instants (ISO-8601 with an offset, or epoch ms): `to` after `from`, within `maxSpan`. */
function checkRange(q: { from?: number; to?: number }, ctx: z.RefinementCtx, maxSpan: number): void {
  if (q.to !== undefined && q.from === undefined) ctx.addIssue({ code: "custom", path: ["from"], message: "required when to is given" });
  if (q.from !== undefined && q.to !== undefined) {
    if (!(q.to > q.from)) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (q.to - q.from > maxSpan) ctx.addIssue({ code: "custom", path: ["from"], message: `the range may cover at most ${Math.round(maxSpan / DAY)} days` });
  }
}

/** GET /api/v1/nodes/:id/latency: `range` (up to now) or `from` (and `to`, default now). */
export const latencyQuerySchema = z
  .strictObject({
    range: z.enum(Object.keys(LATENCY_RANGES) as [LatencyRange, ...LatencyRange[]]).optional(),
    from: timeSchema.optional(),
    to: timeSchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.range !== undefined && (q.from !== undefined || q.to !== undefined)) ctx.addIssue({ code: "custom", path: ["range"], message: "give range or from/to, not both" });
    checkRange(q, ctx, MAX_FIGURE_SPAN_MS);
  });
export type LatencyQuery = z.infer<typeof latencyQuerySchema>;

export interface LatencyPoint {
  /** start of the point's step, UTC ms */
  t: number;
  count: number;
  failures: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface LatencyAnswer {
  /** the network stream's position the roll-ups were read at (the node page adds the checks after it) */
  epoch?: string;
  seq?: number;
  node: { id: number; key: string; name: string };
  from: number;
  to: number;
  /** the roll-up table read: minute for up to 24 h, hour up to 30 d, day beyond (coarser where the finer is no longer kept) */
  resolution: "minute" | "hour" | "day";
  step_ms: number;
  points: LatencyPoint[];
}

/** GET /api/v1/nodes/:id/uptime: the standard windows, and `from`/`to` when given. */
export const uptimeQuerySchema = z
  .strictObject({ from: timeSchema.optional(), to: timeSchema.optional() })
  .superRefine((q, ctx) => checkRange(q, ctx, MAX_FIGURE_SPAN_MS));
export type UptimeQuery = z.infer<typeof uptimeQuerySchema>;

/** Uptime over one range, weighted by time. */
export interface UptimeFigure {
  from: number;
  to: number;
  /** up / (up + down) in percent; null when neither is known */
  uptime_percent: number | null;
  up_minutes: number;
  downtime_minutes: number;
  /** in maintenance: out of the ratio */
  maintenance_minutes: number;
  /** no status known (no data yet, paused, before the history starts, in the future): out of the ratio */
  unknown_minutes: number;
  outages: number;
}

export interface UptimeAnswer {
  node: { id: number; key: string; name: string };
  now: number;
  windows: Record<"24h" | "7d" | "30d", UptimeFigure>;
  /** the asked range, when from was given */
  range: UptimeFigure | null;
}

/** GET /api/v1/nodes/:id/outages: newest first, `limit` (default 20, ≤ 200) from `offset`; optionally those overlapping from/to. */
export const outagesQuerySchema = z
  .strictObject({
    limit: decimalParam(1, 200).default(20),
    offset: decimalParam(0, 1_000_000).default(0),
    from: timeSchema.optional(),
    to: timeSchema.optional(),
  })
  .superRefine((q, ctx) => checkRange(q, ctx, Number.MAX_SAFE_INTEGER));
export type OutagesQuery = z.infer<typeof outagesQuerySchema>;

export interface OutageView {
  start: number;
  /** null while it goes on */
  end: number | null;
  /** to its end, or to now while it goes on */
  duration_ms: number;
  /** down, or unreachable (its parent was down) */
  status: NodeStatus;
  /** why, as the status machine said when it began */
  cause: string;
}

export interface OutagesPage {
  node: { id: number; key: string; name: string };
  /** every outage matching, not only this page */
  total: number;
  limit: number;
  offset: number;
  outages: OutageView[];
}

/** GET /api/v1/reports/sla: one node (`node`: id or key) or a tag (`tag=site=fra1`), from/to (default the last 30 days). */
export const slaQuerySchema = z
  .strictObject({
    node: z.string().min(1).max(128).optional(),
    tag: z
      .string()
      .max(257)
      .regex(/^[^=]{1,128}=.{0,128}$/, "expected key=value")
      .optional(),
    from: timeSchema.optional(),
    to: timeSchema.optional(),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .superRefine((q, ctx) => {
    if ((q.node === undefined) === (q.tag === undefined)) ctx.addIssue({ code: "custom", path: ["node"], message: "give node=<id or key> or tag=<key>=<value>, one of them" });
    checkRange(q, ctx, MAX_SLA_SPAN_MS);
  });
export type SlaQuery = z.infer<typeof slaQuerySchema>;

export interface SlaWorstHour {
  start: number;
  checks: number;
  failures: number;
  p95: number | null;
}

export interface SlaLineView {
  node: string;
  name: string | null;
  tags: Record<string, string>;
  uptime_percent: number | null;
  downtime_minutes: number;
  maintenance_minutes: number;
  unknown_minutes: number;
  outages: number;
  incidents: number;
  worst_hour: SlaWorstHour | null;
}

export interface SlaAnswer {
  scope: { node: string } | { tag: string };
  from: number;
  to: number;
  lines: SlaLineView[];
  total: SlaLineView;
}
