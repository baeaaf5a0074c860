// The SLA report for a node or a set of nodes (a tag) over a date range: uptime, downtime
// minutes, outages, incidents and the worst hour, and its CSV. Pure: the caller gives each node's
// uptime figures (uptime.ts) for the range, its hour records (rollup.ts) and its incident count.
import { emptyRecord, mergeRecord, RESOLUTION_MS, type RollupRecord } from "./rollup";
import type { UptimeFigures } from "./uptime";

export interface SlaNodeInput {
  node: string;
  name?: string | null;
  tags?: Readonly<Record<string, string>>;
  /** the node's uptime over the report's range */
  uptime: UptimeFigures;
  /** incidents of the node in the range, as the incident store counts them */
  incidents: number;
  /** the node's hour records (those outside the range are ignored) */
  hours: readonly RollupRecord[];
}

export interface WorstHour {
  start: number;
  checks: number;
  failures: number;
  p95: number | null;
}

export interface SlaLine {
  node: string;
  name: string | null;
  tags: Record<string, string>;
  uptime_ratio: number | null;
  downtime_minutes: number;
  maintenance_minutes: number;
  unknown_minutes: number;
  outages: number;
  incidents: number;
  worst_hour: WorstHour | null;
}

export interface SlaReport {
  from: number;
  to: number;
  lines: SlaLine[];
  /** the set as a whole: uptime weighted by each node's known time, downtime summed, the hour worst across the set */
  total: SlaLine;
}

export type WorstBy = "failures" | "p95";

export interface SlaOptions {
  from: number;
  to: number;
  nodes: readonly SlaNodeInput[];
  /** what the total line is called: "tag site=fra1", or the node for a one-node report */
  label?: string;
  /** incidents of the whole set when one incident covers several nodes (a storm, a parent): not the sum of the nodes' */
  incidents?: number;
  /** what makes an hour worst: most failed checks, then worst p95 (default), or the other way round */
  worst_by?: WorstBy;
}

/** The hour of the range with the most failed checks (then the worst p95, then the earliest), or the other way round. */
export function worstHour(hours: readonly RollupRecord[], range: { from: number; to: number }, by: WorstBy = "failures"): WorstHour | null {
  let best: WorstHour | null = null;
  for (const h of hours) {
    // hours that overlap the range
    if (h.count === 0 || h.bucket + RESOLUTION_MS.hour <= range.from || h.bucket >= range.to) continue;
    const candidate: WorstHour = { start: h.bucket, checks: h.count, failures: h.failures, p95: h.sketch.quantile(0.95) };
    if (!best || worse(candidate, best, by)) best = candidate;
  }
  return best;
}

function worse(a: WorstHour, b: WorstHour, by: WorstBy): boolean {
  const p = (x: WorstHour) => x.p95 ?? -1;
  const keys = by === "failures" ? [a.failures - b.failures, p(a) - p(b)] : [p(a) - p(b), a.failures - b.failures];
  for (const k of keys) if (k !== 0) return k > 0;
  return a.start < b.start;
}

const minutes = (ms: number) => ms / 60_000;

function lineOf(n: SlaNodeInput, range: { from: number; to: number }, by: WorstBy): SlaLine {
  const u = n.uptime;
  return {
    node: n.node,
    name: n.name ?? null,
    tags: { ...n.tags },
    uptime_ratio: u.uptime_ratio,
    downtime_minutes: minutes(u.down_ms),
    maintenance_minutes: minutes(u.maintenance_ms),
    unknown_minutes: minutes(u.unknown_ms),
    outages: u.outages.length,
    incidents: n.incidents,
    worst_hour: worstHour(n.hours, range, by),
  };
}

/** The report: a line per node and the total of the set. */
export function slaReport(options: SlaOptions): SlaReport {
  const range = { from: options.from, to: options.to };
  if (!(range.to > range.from)) throw new RangeError("SLA range: from < to");
  const by = options.worst_by ?? "failures";
  const lines = options.nodes.map((n) => lineOf(n, range, by));
  // the set's hours: failures summed and latencies merged across its nodes, hour by hour
  const byHour = new Map<number, RollupRecord>();
  for (const n of options.nodes) {
    for (const h of n.hours) {
      let acc = byHour.get(h.bucket);
      if (!acc) byHour.set(h.bucket, (acc = emptyRecord(h.bucket, h.sketch.relativeAccuracy)));
      mergeRecord(acc, h);
    }
  }
  let up = 0;
  let down = 0;
  for (const n of options.nodes) {
    up += n.uptime.up_ms;
    down += n.uptime.down_ms;
  }
  const sum = (f: (l: SlaLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  const total: SlaLine = {
    node: options.label ?? (lines.length === 1 ? lines[0].node : "all"),
    name: null,
    tags: commonTags(options.nodes),
    uptime_ratio: up + down === 0 ? null : up / (up + down),
    downtime_minutes: sum((l) => l.downtime_minutes),
    maintenance_minutes: sum((l) => l.maintenance_minutes),
    unknown_minutes: sum((l) => l.unknown_minutes),
    outages: sum((l) => l.outages),
    incidents: options.incidents ?? sum((l) => l.incidents),
    worst_hour: worstHour([...byHour.values()], range, by),
  };
  return { from: range.from, to: range.to, lines, total };
}

/** The tags every node of the set shares. */
function commonTags(nodes: readonly SlaNodeInput[]): Record<string, string> {
  if (nodes.length === 0) return {};
  const out: Record<string, string> = { ...nodes[0].tags };
  for (const n of nodes.slice(1)) for (const k of Object.keys(out)) if (n.tags?.[k] !== out[k]) delete out[k];
  return out;
}

// ---- CSV

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, a quote, CR or LF; quotes doubled).
 * Text that a spreadsheet would run as a formula (starting with = + - @, a tab, CR, LF or NUL:
 * OWASP's CSV injection advice) gets a leading ' so it stays text. Numbers are written as they are.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let s = value;
  if (/^[=+\-@\t\r\n\0]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV record with its CRLF. */
export const csvLine = (cells: readonly (string | number | null | undefined)[]): string => cells.map(csvCell).join(",") + "\r\n";

export const SLA_CSV_COLUMNS = [
  "scope",
  "node",
  "name",
  "tags",
  "from",
  "to",
  "uptime_percent",
  "downtime_minutes",
  "maintenance_minutes",
  "unknown_minutes",
  "outages",
  "incidents",
  "worst_hour_start",
  "worst_hour_checks",
  "worst_hour_failures",
  "worst_hour_p95_ms",
] as const;

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const iso = (t: number) => new Date(t).toISOString();

/** The report as a CSV document: a header, a line per node, and the total. */
export function slaCsv(report: SlaReport): string {
  const row = (scope: string, l: SlaLine) =>
    csvLine([
      scope,
      l.node,
      l.name,
      Object.entries(l.tags)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join("; "),
      iso(report.from),
      iso(report.to),
      l.uptime_ratio === null ? null : round(l.uptime_ratio * 100, 4),
      round(l.downtime_minutes, 2),
      round(l.maintenance_minutes, 2),
      round(l.unknown_minutes, 2),
      l.outages,
      l.incidents,
      l.worst_hour ? iso(l.worst_hour.start) : null,
      l.worst_hour?.checks,
      l.worst_hour?.failures,
      l.worst_hour?.p95 == null ? null : round(l.worst_hour.p95, 2),
    ]);
  let out = csvLine(SLA_CSV_COLUMNS);
  for (const l of report.lines) out += row("node", l);
  out += row("total", report.total);
  return out;
}
