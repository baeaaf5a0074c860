// The SLA report of one node or of the nodes sharing a tag, read from the status history (uptime),
// the hour roll-ups (worst hour, ranked in SQL by its stored p95, no sketch decoded) and the
// incidents that name the nodes. Shaped by sla.ts, whose CSV it answers.
import type Database from "better-sqlite3";
import type { SlaAnswer, SlaLineView, SlaQuery } from "../../lib/contracts/figures";
import { UserError } from "../auth/users";
import type { Clock } from "../clock";
import { parseTags, rangeOf, type FigureNode, type NetworkFigures } from "./figures";
import type { HourFigure } from "./figures-store";
import type { UptimeFigures } from "./uptime";
import { slaCsv, type SlaLine, type SlaReport, type WorstHour } from "./sla";

const DAY = 86_400_000;
/** The most nodes one report covers (VIGIL_MAX_NODES' default). */
export const SLA_MAX_NODES = 10_000;
/** Nodes read per slice; the report yields to the event loop between slices (about 2 ms of CPU a node). */
export const SLA_SLICE = 10;
const NODE_RULES = ["node_down", "latency_anomaly"];

export class SlaReports {
  private readonly st;

  constructor(
    sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly figures: NetworkFigures,
  ) {
    this.st = {
      byTag: sqlite.prepare<[string, string, number], { id: number; key: string; name: string; tags: string }>(
        `SELECT id, key, name, tags FROM nodes WHERE EXISTS (SELECT 1 FROM json_each(nodes.tags) t WHERE t.key = ? AND t.value = ?) ORDER BY id LIMIT ?`,
      ),
      // incidents of a node's own rules that were active at some point of the range
      incidents: sqlite.prepare<[string, number, number], { id: number }>(
        `SELECT id FROM incidents WHERE dedup_key = ? AND first_seen < ? AND (resolved_at IS NULL OR resolved_at >= ?)`,
      ),
      storms: sqlite.prepare<[number, number], { id: number; details: string | null }>(
        `SELECT id, details FROM incidents WHERE dedup_key >= 'node_storm:' AND dedup_key < 'node_storm;' AND first_seen < ? AND (resolved_at IS NULL OR resolved_at >= ?)`,
      ),
    };
  }

  /** The report as JSON, or as CSV text (formula-safe, see sla.ts csvCell); read in slices of nodes, yielding between them. */
  async report(q: SlaQuery, yieldToLoop: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<{ answer: SlaAnswer; csv: () => string }> {
    const now = this.clock.now();
    const { from, to } = rangeOf(q, now, 30 * DAY);
    let nodes: FigureNode[];
    let label: string;
    let setTags: Record<string, string> = {};
    if (q.node !== undefined) {
      const n = this.figures.node(q.node);
      if (!n) throw new UserError("not_found", `node ${q.node} not found`);
      nodes = [n];
      label = n.key;
    } else {
      const eq = q.tag!.indexOf("=");
      const [k, v] = [q.tag!.slice(0, eq), q.tag!.slice(eq + 1)];
      nodes = this.st.byTag.all(k, v, SLA_MAX_NODES).map((r) => ({ id: r.id, key: r.key, name: r.name, tags: parseTags(r.tags) }));
      label = `tag ${k}=${v}`;
      setTags = { [k]: v };
    }

    const stormsOf = this.stormMembership(to, from);
    const allIncidents = new Set<number>();
    let up = 0;
    let down = 0;
    const lines: SlaLine[] = [];
    const hours = new Map<number, WorstHour>();
    for (let i = 0; i < nodes.length; i += SLA_SLICE) {
      if (i > 0) await yieldToLoop();
      const slice = nodes.slice(i, i + SLA_SLICE);
      for (const n of slice) {
        const { line, figures } = this.line(n, from, to, now, stormsOf, allIncidents);
        lines.push(line);
        up += figures.up_ms;
        down += figures.down_ms;
      }
      // the set's hours, summed slice by slice
      if (nodes.length > 1) for (const h of this.figures.store.setHours(slice.map((n) => n.id), from, to)) addHour(hours, h);
    }
    const sum = (get: (l: SlaLine) => number) => lines.reduce((s, l) => s + get(l), 0);
    const total: SlaLine = {
      node: label,
      name: null,
      tags: q.node !== undefined ? nodes[0].tags : setTags,
      uptime_ratio: up + down === 0 ? null : up / (up + down),
      downtime_minutes: sum((l) => l.downtime_minutes),
      maintenance_minutes: sum((l) => l.maintenance_minutes),
      unknown_minutes: sum((l) => l.unknown_minutes),
      outages: sum((l) => l.outages),
      // an incident that covers several nodes (a storm) counts once for the set
      incidents: allIncidents.size,
      worst_hour: nodes.length === 1 ? lines[0].worst_hour : worstOf(hours.values()),
    };
    const report: SlaReport = { from, to, lines, total };
    const scope = q.node !== undefined ? { node: label } : { tag: q.tag! };
    return { answer: { scope, from, to, lines: lines.map(view), total: view(total) }, csv: () => slaCsv(report) };
  }

  /** One node's line of the report. */
  private line(n: FigureNode, from: number, to: number, now: number, storms: Map<string, number[]>, all: Set<number>): { line: SlaLine; figures: UptimeFigures } {
    const f = this.figures.figures(n.id, from, to, now);
    const ids = new Set<number>(storms.get(n.key) ?? []);
    for (const rule of NODE_RULES) for (const r of this.st.incidents.all(`${rule}:${n.key}`, to, from)) ids.add(r.id);
    for (const id of ids) all.add(id);
    const w = this.figures.store.worstHour(n.id, from, to);
    const line: SlaLine = {
      node: n.key,
      name: n.name,
      tags: n.tags,
      uptime_ratio: f.uptime_ratio,
      downtime_minutes: f.down_ms / 60_000,
      maintenance_minutes: f.maintenance_ms / 60_000,
      unknown_minutes: f.unknown_ms / 60_000,
      outages: f.outages.length,
      incidents: ids.size,
      worst_hour: w && { start: w.bucket, checks: w.count, failures: w.failures, p95: w.p95 },
    };
    return { line, figures: f };
  }

  /** Storm incidents active in the range, by member node key. */
  private stormMembership(to: number, from: number): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const s of this.st.storms.all(to, from)) {
      let members: unknown;
      try {
        members = (JSON.parse(s.details ?? "{}") as { members?: unknown }).members;
      } catch {
        continue;
      }
      if (!Array.isArray(members)) continue;
      for (const m of members) {
        const key = (m as { key?: unknown })?.key;
        if (typeof key === "string") (out.get(key) ?? out.set(key, []).get(key)!).push(s.id);
      }
    }
    return out;
  }
}

function addHour(into: Map<number, WorstHour>, h: HourFigure): void {
  const acc = into.get(h.bucket);
  if (!acc) into.set(h.bucket, { start: h.bucket, checks: h.count, failures: h.failures, p95: h.p95 });
  else {
    acc.checks += h.count;
    acc.failures += h.failures;
    if (h.p95 !== null && (acc.p95 === null || h.p95 > acc.p95)) acc.p95 = h.p95;
  }
}

/** The hour with the most failed checks, then the worst p95, then the earliest. */
function worstOf(hours: Iterable<WorstHour>): WorstHour | null {
  let worst: WorstHour | null = null;
  const p = (h: WorstHour) => h.p95 ?? -1;
  for (const h of hours) if (!worst || h.failures > worst.failures || (h.failures === worst.failures && (p(h) > p(worst) || (p(h) === p(worst) && h.start < worst.start)))) worst = h;
  return worst;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

function view(l: SlaLine): SlaLineView {
  return {
    node: l.node,
    name: l.name,
    tags: l.tags,
    uptime_percent: l.uptime_ratio === null ? null : Math.round(l.uptime_ratio * 1e6) / 1e4,
    downtime_minutes: r2(l.downtime_minutes),
    maintenance_minutes: r2(l.maintenance_minutes),
    unknown_minutes: r2(l.unknown_minutes),
    outages: l.outages,
    incidents: l.incidents,
    worst_hour: l.worst_hour && { ...l.worst_hour, p95: l.worst_hour.p95 === null ? null : r2(l.worst_hour.p95) },
  };
}
