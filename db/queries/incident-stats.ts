import type Database from "better-sqlite3";
import type { ResponseFigures, ResponseStats } from "../../lib/contracts/incidents";
import { severityRank } from "../../lib/contracts/common";

/** Rows one stats answer reads at most (incidents opened in the range). */
export const STATS_ROW_CAP = 500_000;

/** Default acknowledgement targets by severity, ms: what "over target" in the oldest-open list is measured against. */
export const DEFAULT_ACK_TARGETS: Record<string, number> = { critical: 15 * 60_000, high: 60 * 60_000, medium: 4 * 3_600_000, low: 24 * 3_600_000 };

interface Row {
  id: number;
  severity: string;
  opened: number;
  acked: number | null;
  resolved: number | null;
}

const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}

function figures(rows: readonly Row[]): ResponseFigures {
  const tta = rows.filter((r) => r.acked !== null).map((r) => r.acked! - r.opened);
  const ttr = rows.filter((r) => r.resolved !== null).map((r) => r.resolved! - r.opened);
  return { opened: rows.length, acknowledged: tta.length, resolved: ttr.length, mtta_ms: mean(tta), mtta_median_ms: median(tta), mttr_ms: mean(ttr), mttr_median_ms: median(ttr) };
}

/** Monday 00:00 UTC of the week holding `ms`, as YYYY-MM-DD. */
export function weekOf(ms: number): string {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)).toISOString().slice(0, 10);
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/**
 * Response times of the incidents opened in [since, until): time to acknowledge (first
 * acknowledgement on the timeline) and to resolve, from the moment Vigil opened the incident, by
 * severity and by ISO week; and the active incidents ranked by age against the severity's target.
 */
export function responseStats(sqlite: Database.Database, since: number, until: number, now: number, targets: Record<string, number> = DEFAULT_ACK_TARGETS): ResponseStats {
  const rows = sqlite
    .prepare(
      `SELECT i.id AS id, i.severity AS severity, o.time AS opened,
         (SELECT min(t.time) FROM incident_timeline t WHERE t.incident_id = i.id AND t.action = 'acknowledged') AS acked,
         CASE WHEN i.status = 'resolved' THEN i.resolved_at END AS resolved
       FROM incident_timeline o JOIN incidents i ON i.id = o.incident_id
       WHERE o.action = 'opened' AND o.time >= ? AND o.time < ? LIMIT ?`,
    )
    .all(since, until, STATS_ROW_CAP) as Row[];
  const bySeverity = Object.fromEntries([...groupBy(rows, (r) => r.severity)].map(([s, rs]) => [s, figures(rs)]));
  const byWeek = [...groupBy(rows, (r) => weekOf(r.opened))]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, rs]) => ({ week, ...figures(rs), severity: Object.fromEntries([...groupBy(rs, (r) => r.severity)].map(([s, x]) => [s, figures(x)])) }));
  const open = sqlite
    .prepare(
      `SELECT id, title, severity, status, first_seen FROM incidents WHERE status = 'open'
       UNION ALL SELECT id, title, severity, status, first_seen FROM incidents WHERE status = 'acknowledged'
       ORDER BY first_seen ASC LIMIT 1000`,
    )
    .all() as { id: number; title: string; severity: string; status: string; first_seen: number }[];
  const oldest = open
    .map((i) => {
      const target = targets[i.severity] ?? null;
      const age = now - i.first_seen;
      return { id: i.id, title: i.title, severity: i.severity, status: i.status, age_ms: age, target_ms: target, over_target: target !== null && i.status === "open" && age > target };
    })
    // the most overdue first: over target before within, then by severity, then by age
    .sort((a, b) => Number(b.over_target) - Number(a.over_target) || (severityRank[a.severity as keyof typeof severityRank] ?? 9) - (severityRank[b.severity as keyof typeof severityRank] ?? 9) || b.age_ms - a.age_ms)
    .slice(0, 50);
  return { since, until, by_severity: bySeverity, by_week: byWeek, oldest_open: oldest };
}
