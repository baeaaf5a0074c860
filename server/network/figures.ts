// A node's figures as the API answers them: the latency chart from the roll-up table of the
// right resolution, uptime weighted by time from the status history, and the outage history.
// Reads only the roll-ups and the history (figures-store.ts), never the raw heartbeats.
import type Database from "better-sqlite3";
import { LATENCY_RANGES, MAX_CHART_POINTS, type LatencyAnswer, type LatencyQuery, type OutagesPage, type OutagesQuery, type UptimeAnswer, type UptimeFigure, type UptimeQuery } from "../../lib/contracts/figures";
import { UserError } from "../auth/users";
import type { Clock } from "../clock";
import { FiguresStore, type StatusChangeRow } from "./figures-store";
import { chartSeries, planChart, RESOLUTION_MS, type Resolution } from "./rollup";
import { standardUptime, uptime, intervalsFromChanges, type StatusInterval, type UptimeFigures } from "./uptime";

const DAY = 86_400_000;

/** How long each roll-up table is kept (ms): the defaults, and the VIGIL_ROLLUP_*_DAYS settings. */
export interface RollupRetention {
  minute: number;
  hour: number;
  day: number;
}
export const DEFAULT_ROLLUP_RETENTION: RollupRetention = { minute: 7 * DAY, hour: 400 * DAY, day: 1830 * DAY };

export interface FigureNode {
  id: number;
  key: string;
  name: string;
  tags: Record<string, string>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const minutes = (ms: number) => round2(ms / 60_000);
const maybe = (x: number | null) => (x === null ? null : round2(x));

/** Intervals of a node's status from its history rows (the last one holds on). */
export function intervalsOf(changes: readonly StatusChangeRow[]): StatusInterval[] {
  return intervalsFromChanges({ changes: changes.map((c) => ({ to: c.status, at: c.at, reason: c.reason })) });
}

/** Uptime figures as the API shows them: minutes, a percentage. */
export function figureView(f: UptimeFigures): UptimeFigure {
  return {
    from: f.from,
    to: f.to,
    uptime_percent: f.uptime_ratio === null ? null : Math.round(f.uptime_ratio * 1e6) / 1e4,
    up_minutes: minutes(f.up_ms),
    downtime_minutes: minutes(f.down_ms),
    maintenance_minutes: minutes(f.maintenance_ms),
    unknown_minutes: minutes(f.unknown_ms),
    outages: f.outages.length,
  };
}

export class NetworkFigures {
  readonly store: FiguresStore;
  private readonly st;

  constructor(
    sqlite: Database.Database,
    private readonly clock: Clock,
    readonly retention: RollupRetention = DEFAULT_ROLLUP_RETENTION,
  ) {
    this.store = new FiguresStore(sqlite);
    this.st = {
      byId: sqlite.prepare<[number], { id: number; key: string; name: string; tags: string }>(`SELECT id, key, name, tags FROM nodes WHERE id = ?`),
      byKey: sqlite.prepare<[string], { id: number; key: string; name: string; tags: string }>(`SELECT id, key, name, tags FROM nodes WHERE key = ?`),
    };
  }

  /** A node by its numeric id or its key; null when there is none. */
  node(ref: number | string): FigureNode | null {
    const row = typeof ref === "number" ? this.st.byId.get(ref) : /^[1-9][0-9]{0,15}$/.test(ref) ? this.st.byId.get(Number(ref)) : this.st.byKey.get(ref.toLowerCase());
    return row ? { id: row.id, key: row.key, name: row.name, tags: parseTags(row.tags) } : null;
  }

  private need(ref: number | string): FigureNode {
    const n = this.node(ref);
    if (!n) throw new UserError("not_found", `node ${ref} not found`);
    return n;
  }

  /**
   * Latency points over a range: the minute table for up to 24 h, hours up to 30 d, days beyond
   * (the next coarser one where the finer is no longer kept), at most MAX_CHART_POINTS points.
   */
  latency(ref: number | string, q: LatencyQuery): LatencyAnswer {
    const node = this.need(ref);
    const now = this.clock.now();
    const { from, to } = rangeOf(q, now, LATENCY_RANGES[q.range ?? "24h"]);
    const span = to - from;
    const base: Resolution = span <= DAY ? "minute" : span <= 30 * DAY ? "hour" : "day";
    const points = Math.max(1, Math.min(MAX_CHART_POINTS, Math.floor(span / RESOLUTION_MS[base])));
    const plan = planChart({ from, to, points }, { now, retention: this.retention, max_rows: 2_000 });
    const series = chartSeries(plan, this.store.records(node.id, plan.resolution, plan.from, plan.to));
    return {
      node: { id: node.id, key: node.key, name: node.name },
      from: plan.from,
      to,
      resolution: plan.resolution,
      step_ms: plan.step_ms,
      points: series.map((p) => ({ t: p.t, count: p.count, failures: p.failures, p50: maybe(p.p50), p95: maybe(p.p95), p99: maybe(p.p99), max: maybe(p.max) })),
    };
  }

  /** Uptime over the last 24 h, 7 d and 30 d, and over from/to when given. */
  uptime(ref: number | string, q: UptimeQuery): UptimeAnswer {
    const node = this.need(ref);
    const now = this.clock.now();
    const windows = standardUptime(now, intervalsOf(this.store.changes(node.id, now - 30 * DAY, now)));
    let range: UptimeFigure | null = null;
    if (q.from !== undefined) {
      const r = rangeOf(q, now, 0);
      range = figureView(this.figures(node.id, r.from, r.to, now));
    }
    return { node: { id: node.id, key: node.key, name: node.name }, now, windows: { "24h": figureView(windows["24h"]), "7d": figureView(windows["7d"]), "30d": figureView(windows["30d"]) }, range };
  }

  /** A node's uptime figures over [from, to), nothing known after `now`. */
  figures(nodeId: number, from: number, to: number, now: number): UptimeFigures {
    return uptime({ from, to }, intervalsOf(this.store.changes(nodeId, from, to)), { until: Math.min(to, now) });
  }

  /** Outages newest first with their true total; those overlapping from/to when given. */
  outages(ref: number | string, q: OutagesQuery): OutagesPage {
    const node = this.need(ref);
    const now = this.clock.now();
    const from = q.from ?? Number.MIN_SAFE_INTEGER;
    const to = q.from === undefined ? Number.MAX_SAFE_INTEGER : (q.to ?? now);
    const { total, rows } = this.store.outages(node.id, from, to, q.limit, q.offset);
    return {
      node: { id: node.id, key: node.key, name: node.name },
      total,
      limit: q.limit,
      offset: q.offset,
      outages: rows.map((r) => ({ start: r.start, end: r.end, duration_ms: Math.max(0, (r.end ?? now) - r.start), status: r.status, cause: r.reason ?? r.status })),
    };
  }

  /** Rolls up the heartbeats stored before the roll-up tables existed, a slice per transaction; answers rows read. */
  async backfill(run: <T>(fn: () => T) => T, slice = 2_000, yieldToLoop = () => new Promise<void>((r) => setImmediate(r))): Promise<number> {
    let total = 0;
    for (;;) {
      const n = run(() => this.store.backfillSlice(slice));
      total += n;
      if (n === 0) return total;
      await yieldToLoop();
    }
  }
}

/** from/to of a query: `from` (and `to`, default now), else the `fallback` span up to now. */
export function rangeOf(q: { from?: number; to?: number }, now: number, fallback: number): { from: number; to: number } {
  if (q.from === undefined) return { from: now - fallback, to: now };
  const to = q.to ?? now;
  if (!(to > q.from)) throw new UserError("invalid", `from: must be before to (${new Date(to).toISOString()})`);
  return { from: q.from, to };
}

export function parseTags(text: string | null): Record<string, string> {
  try {
    const v = JSON.parse(text ?? "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}
