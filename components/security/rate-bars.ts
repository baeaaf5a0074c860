import type { RateBucket } from "@/lib/contracts/events";
import { SEVERITIES, type Severity } from "@/lib/contracts/values/common";

const MINUTE = 60_000;
/** Minutes the chart shows, the newest last. */
export const RATE_MINUTES = 60;

/** One minute's counts by severity. */
export interface RateColumn {
  minute: number;
  counts: Record<Severity, number>;
  total: number;
}

/** The last RATE_MINUTES whole minutes up to `now`, oldest first, each with its counts by severity (0 where none). */
export function rateColumns(rate: readonly RateBucket[], now: number): RateColumn[] {
  const last = Math.floor(now / MINUTE) * MINUTE;
  const first = last - (RATE_MINUTES - 1) * MINUTE;
  const columns: RateColumn[] = [];
  for (let m = first; m <= last; m += MINUTE) columns.push({ minute: m, counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, total: 0 });
  for (const b of rate) {
    const i = (b.minute - first) / MINUTE;
    if (!Number.isInteger(i) || i < 0 || i >= RATE_MINUTES) continue;
    columns[i].counts[b.severity] += b.count;
    columns[i].total += b.count;
  }
  return columns;
}

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten, at least `max` (and at least 1). */
export function niceCeiling(max: number): number {
  if (max <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const f of [1, 2, 5, 10]) if (f * p >= max) return f * p;
  return 10 * p;
}

/** 1234 → "1.2k", 25000 → "25k", 3000000 → "3M": axis labels that fit a narrow gutter. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  const [v, unit] = n < 1_000_000 ? [n / 1000, "k"] : [n / 1_000_000, "M"];
  return `${v < 10 && !Number.isInteger(v) ? v.toFixed(1) : Math.round(v)}${unit}`;
}

/**
 * The stacked bars as one SVG path per severity (the least severe at the bottom), for a plot of
 * `width` × `height` with `max` at the top: a few elements whatever the rate, nothing to measure.
 */
export function stackPaths(columns: readonly RateColumn[], width: number, height: number, max: number): { severity: Severity; d: string }[] {
  const slot = width / Math.max(1, columns.length);
  const bar = Math.max(1, slot - 1);
  const scale = height / max;
  const bottomUp = [...SEVERITIES].reverse();
  const d: Record<Severity, string[]> = { critical: [], high: [], medium: [], low: [], info: [] };
  columns.forEach((c, i) => {
    let base = height;
    for (const s of bottomUp) {
      const n = c.counts[s];
      if (n === 0) continue;
      const h = n * scale;
      d[s].push(`M${(i * slot).toFixed(1)} ${(base - h).toFixed(1)}h${bar.toFixed(1)}v${h.toFixed(1)}h${(-bar).toFixed(1)}z`);
      base -= h;
    }
  });
  return bottomUp.filter((s) => d[s].length > 0).map((s) => ({ severity: s, d: d[s].join("") }));
}
