"use client";

import { useQuery } from "@tanstack/react-query";
import { securityQueries } from "@/lib/queries/live-queries";
import { useNow } from "@/components/ui/time";
import { eventsPerMinute, type RateLike } from "./wall-data";

/** Whole minutes the trend line covers. */
const TREND_MINUTES = 30;

/** One SVG path over the minutes (no chart library: nothing to mount, measure or leak). */
function trendPath(series: number[], width: number, height: number): string {
  const max = Math.max(1, ...series);
  const step = series.length > 1 ? width / (series.length - 1) : width;
  return series.map((v, i) => `${i ? "L" : "M"}${(i * step).toFixed(1)},${(height - (v / max) * height).toFixed(1)}`).join("");
}

/** Security events in the last whole minute, large, with the last half hour as a line. */
export function WallEventsPerMinute() {
  const now = useNow();
  const data = useQuery(securityQueries.snapshot()).data as RateLike | undefined;
  const { last, series } = now === null ? { last: null, series: [] } : eventsPerMinute(data, now, TREND_MINUTES);
  return (
    <section aria-label="security events per minute" className="flex flex-col rounded-2xl bg-slate-900 p-6">
      <h2 className="text-2xl font-semibold text-slate-200 sm:text-3xl">Security events per minute</h2>
      <div data-testid="wall-events-per-minute" className="text-5xl font-bold tabular-nums sm:text-7xl text-sky-300">
        {last ?? "–"}
      </div>
      {series.length > 0 ? (
        <svg viewBox="0 0 300 60" preserveAspectRatio="none" className="mt-2 h-20 w-full" role="img" aria-label={`events per minute, last ${TREND_MINUTES} minutes`}>
          <path d={trendPath(series, 300, 58)} fill="none" stroke="#38bdf8" strokeWidth="2" vectorEffect="non-scaling-stroke" />
        </svg>
      ) : null}
      <p className="text-xl text-slate-500">in the last whole minute; the line: the last {TREND_MINUTES} minutes</p>
    </section>
  );
}
