// Uptime weighted by time, from a node's status over time: pure and synchronous. A 10-minute
// outage seen by two checks is 10 minutes; maintenance is taken out of both sides of the ratio
// and reported as such; time with no status (pending, a gap in the record, after `until`) is
// "unknown" and also left out, as Nagios's availability report does with "undetermined" time and
// Icinga DB's SLA function with PENDING.
//
// How each status counts (DEFAULT_COUNTING, each one an option):
// - up, degraded → up. A slow link still serves: status pages count "degraded performance" as
//   up and only partial or full outages as down (Statuspage, incident.io). Set degraded: "down"
//   for a stricter SLA.
// - down → down.
// - unreachable → down. The node's users could not reach it whatever its own health, and the
//   usual practice counts it so: Icinga's IDO availability counts only UP as available, Icinga 2
//   and Uptime Kuma have no "unreachable" so such a node is simply DOWN there. Nagios's report
//   gives it a column of its own beside DOWN, as by_status does here, and the outage keeps
//   status "unreachable" with the parent as its cause, so a report can tell it apart. An owner's
//   view that does not blame a child for its parent sets unreachable: "unknown" (its own health
//   was not observable).
// - flapping → up. Flapping is raised from alternating pass/fail results, during which the
//   retry rule (3 failures in a row before down) mostly holds the checks at degraded; counting it
//   down would turn a node failing one check in two into 0 %. Set flapping: "down" to be strict.
// - pending → unknown (no data yet). Unlike Uptime Kuma, whose PENDING is "failing, retrying" and
//   counts as down, pending here means nothing has been seen.
import { maintenanceSpans } from "./maintenance-spans";
import type { MaintenanceWindow } from "./maintenance";
import type { NodeStatus } from "./status";

export type Counting = "up" | "down" | "unknown";
export type CountedStatus = Exclude<NodeStatus, "maintenance">;
export const DEFAULT_COUNTING: Readonly<Record<CountedStatus, Counting>> = {
  up: "up",
  degraded: "up",
  flapping: "up",
  down: "down",
  unreachable: "down",
  pending: "unknown",
};

/** A stretch of one status: [from, to), `to` null while it still holds. */
export interface StatusInterval {
  status: NodeStatus;
  from: number;
  to: number | null;
  reason?: string | null;
}

/** A status change as status.ts emits it (a Transition fits): `from` is not needed and not trusted. */
export interface StatusChange {
  to: NodeStatus;
  /** evidence time: from when the new status holds */
  at: number;
  /** when it was known; orders changes whose evidence reaches back (default `at`) */
  confirmed_at?: number;
  reason?: string | null;
}

export interface StatusHistory {
  /** the status in force before the first change, and since when (null: since before anything known) */
  before?: { status: NodeStatus; since: number | null; reason?: string | null } | null;
  changes: readonly StatusChange[];
}

export interface UptimeRange {
  from: number;
  to: number;
}

export interface UptimeOptions {
  /** how each status counts (maintenance is always maintenance) */
  count?: Partial<Record<CountedStatus, Counting>>;
  /** windows laid over the statuses: their time is maintenance whatever the status says */
  maintenance?: readonly MaintenanceWindow[];
  /** nothing is known after this instant (the time of evaluation); default the end of the range */
  until?: number;
}

export interface Outage {
  /** when it began; the start of the range when it began before anything known (`start_known` false) */
  start: number;
  start_known: boolean;
  /** when it ended, null while it goes on */
  end: number | null;
  /** its whole length as known: to its end, or to `until` while it goes on */
  duration_ms: number;
  /** the part inside the range: what counts in down_ms */
  in_range_ms: number;
  /** the status it began with */
  status: NodeStatus;
  /** the reason it began with, or the status's name */
  cause: string;
}

export interface UptimeFigures {
  from: number;
  to: number;
  /** up / (up + down); null when neither is known */
  uptime_ratio: number | null;
  up_ms: number;
  down_ms: number;
  maintenance_ms: number;
  unknown_ms: number;
  /** time in range per status (gaps and time after `until` are in no status) */
  by_status: Partial<Record<NodeStatus, number>>;
  outages: Outage[];
}

/** Highest first: where records overlap, maintenance (a declared fact) wins, then the worst status. */
const PRECEDENCE: readonly NodeStatus[] = ["maintenance", "down", "unreachable", "flapping", "degraded", "up", "pending"];
const RANK = new Map(PRECEDENCE.map((s, i) => [s, i]));

interface Segment {
  start: number;
  end: number;
  status: NodeStatus | null;
  reason: string | null;
}

/**
 * Intervals from status changes. Changes are applied in the order they were known (confirmed_at,
 * then at); a change whose evidence reaches back before changes applied earlier replaces them
 * from its `at` on, as the evidence says (a check's first failure dates the outage, not the
 * degraded judgement made in between). Duplicates and a shuffled input give the same intervals.
 */
export function intervalsFromChanges(history: StatusHistory): StatusInterval[] {
  const ordered = history.changes
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => Number.isFinite(c.at))
    .sort((x, y) => (x.c.confirmed_at ?? x.c.at) - (y.c.confirmed_at ?? y.c.at) || x.c.at - y.c.at || x.i - y.i);
  const points: { at: number; status: NodeStatus; reason: string | null }[] = [];
  if (history.before) points.push({ at: history.before.since ?? -Infinity, status: history.before.status, reason: history.before.reason ?? null });
  for (const { c } of ordered) {
    while (points.length > 0 && points[points.length - 1].at >= c.at) points.pop();
    points.push({ at: c.at, status: c.to, reason: c.reason ?? null });
  }
  const out: StatusInterval[] = [];
  for (let k = 0; k < points.length; k++) {
    const p = points[k];
    const prev = out.at(-1);
    // a change to the status already in force continues it
    if (prev && prev.status === p.status) continue;
    if (prev) prev.to = p.at;
    out.push({ status: p.status, from: p.at, to: null, reason: p.reason });
  }
  return out;
}

/** Disjoint segments over everything the intervals say, overlaps resolved by PRECEDENCE. */
function timeline(intervals: readonly StatusInterval[]): Segment[] {
  type Edge = { t: number; open: boolean; id: number };
  const edges: Edge[] = [];
  intervals.forEach((iv, id) => {
    const to = iv.to ?? Infinity;
    if (Number.isNaN(iv.from) || Number.isNaN(to) || !(to > iv.from) || !RANK.has(iv.status)) return;
    edges.push({ t: iv.from, open: true, id }, { t: to, open: false, id });
  });
  edges.sort((a, b) => a.t - b.t);
  const active = PRECEDENCE.map(() => new Set<number>());
  const segments: Segment[] = [];
  for (let k = 0; k < edges.length; ) {
    const t = edges[k].t;
    for (; k < edges.length && edges[k].t === t; k++) {
      const e = edges[k];
      const set = active[RANK.get(intervals[e.id].status)!];
      if (e.open) set.add(e.id);
      else set.delete(e.id);
    }
    if (k === edges.length || t === Infinity) break;
    const next = edges[k].t;
    const rank = active.findIndex((s) => s.size > 0);
    let status: NodeStatus | null = null;
    let reason: string | null = null;
    if (rank >= 0) {
      status = PRECEDENCE[rank];
      // the most recently begun of the winning status gives the reason
      let best = -1;
      for (const id of active[rank]) if (best < 0 || intervals[id].from > intervals[best].from || (intervals[id].from === intervals[best].from && id > best)) best = id;
      reason = intervals[best].reason ?? null;
    }
    const prev = segments.at(-1);
    if (prev && prev.end === t && prev.status === status && prev.reason === reason) prev.end = next;
    else segments.push({ start: t, end: next, status, reason });
  }
  return segments;
}

/** Uptime over [range.from, range.to) from status intervals, in any order and overlapping. */
export function uptime(range: UptimeRange, intervals: readonly StatusInterval[], options: UptimeOptions = {}): UptimeFigures {
  if (!(Number.isFinite(range.from) && Number.isFinite(range.to) && range.to > range.from)) throw new RangeError("uptime range: finite from < to");
  const counting = { ...DEFAULT_COUNTING, ...options.count };
  const until = Math.min(Math.max(options.until ?? range.to, range.from), range.to);
  const spans = options.maintenance?.length ? maintenanceSpans(options.maintenance, range.from, until) : [];
  const all = spans.length === 0 ? intervals : [...intervals, ...spans.map((s): StatusInterval => ({ status: "maintenance", from: s.start, to: s.end, reason: s.reason }))];
  const segments = timeline(all);

  const figures: UptimeFigures = { from: range.from, to: range.to, uptime_ratio: null, up_ms: 0, down_ms: 0, maintenance_ms: 0, unknown_ms: 0, by_status: {}, outages: [] };
  const countOf = (s: Segment): Counting | "maintenance" => (s.status === null ? "unknown" : s.status === "maintenance" ? "maintenance" : counting[s.status]);
  let known = 0;
  for (const s of segments) {
    const ms = Math.min(s.end, until) - Math.max(s.start, range.from);
    if (ms <= 0) continue;
    known += ms;
    if (s.status !== null) figures.by_status[s.status] = (figures.by_status[s.status] ?? 0) + ms;
    const c = countOf(s);
    if (c === "up") figures.up_ms += ms;
    else if (c === "down") figures.down_ms += ms;
    else if (c === "maintenance") figures.maintenance_ms += ms;
    else figures.unknown_ms += ms;
  }
  // no segment at all, or gaps between them: unknown
  figures.unknown_ms += range.to - range.from - known;
  const judged = figures.up_ms + figures.down_ms;
  figures.uptime_ratio = judged === 0 ? null : figures.up_ms / judged;

  // outages: runs of contiguous time counted down, kept when they touch [from, until)
  for (let k = 0; k < segments.length; ) {
    if (countOf(segments[k]) !== "down") {
      k++;
      continue;
    }
    const first = segments[k];
    let end = first.end;
    for (k++; k < segments.length && segments[k].start === end && countOf(segments[k]) === "down"; k++) end = segments[k].end;
    const inRange = Math.min(end, until) - Math.max(first.start, range.from);
    if (inRange <= 0) continue;
    const startKnown = Number.isFinite(first.start);
    const start = startKnown ? first.start : range.from;
    const open = !Number.isFinite(end);
    figures.outages.push({
      start,
      start_known: startKnown,
      end: open ? null : end,
      duration_ms: (open ? Math.max(until, start) : end) - start,
      in_range_ms: inRange,
      status: first.status!,
      cause: first.reason ?? first.status!,
    });
  }
  return figures;
}

/** Uptime over a range from status changes (see intervalsFromChanges). */
export function uptimeFromChanges(range: UptimeRange, history: StatusHistory, options: UptimeOptions = {}): UptimeFigures {
  return uptime(range, intervalsFromChanges(history), options);
}

export const STANDARD_RANGES = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type StandardRange = keyof typeof STANDARD_RANGES;

/** Uptime for the last 24 h, 7 d and 30 d up to `now` (time after `now` is not asked about). */
export function standardUptime(now: number, intervals: readonly StatusInterval[], options: Omit<UptimeOptions, "until"> = {}): Record<StandardRange, UptimeFigures> {
  const out = {} as Record<StandardRange, UptimeFigures>;
  for (const [name, ms] of Object.entries(STANDARD_RANGES) as [StandardRange, number][]) out[name] = uptime({ from: now - ms, to: now }, intervals, { ...options, until: now });
  return out;
}
