import type { LatencyPoint } from "@/lib/contracts/figures";

/** Points a chart shows at least: an area needs two. */
export const MIN_SHOWN_POINTS = 2;

/**
 * The part of a range a chart draws: a range whose first points have no check (a node made an
 * hour ago, seen over 24 h) starts at its first check (or MIN_SHOWN_POINTS before the end when
 * that is later), so its data fills the width instead of a sliver at the right edge. `since` is the
 * first point with a check when earlier points were left out, else null.
 */
export function shownWindow(points: readonly LatencyPoint[], min = MIN_SHOWN_POINTS): { points: readonly LatencyPoint[]; since: number | null } {
  const first = points.findIndex((p) => p.count > 0);
  if (first <= 0) return { points, since: null };
  const start = Math.min(first, Math.max(0, points.length - min));
  return { points: start === 0 ? points : points.slice(start), since: points[first].t };
}
