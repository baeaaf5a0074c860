"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { LATENCY_RANGES, type LatencyRange } from "@/lib/contracts/values/figures";
import type { LatencyPoint } from "@/lib/contracts/figures";
import { nodePageQueries } from "@/lib/queries/node-queries";
import { latency } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/time";
import { LatencyBandsChart } from "./latency-bands-chart";
import { shownWindow } from "./latency-window";
import { useNodeLatencyLive } from "./use-node-live";
import { count } from "@/components/ui/format";

const H = "text-xs font-semibold uppercase tracking-wider text-slate-400";
const RANGES = Object.keys(LATENCY_RANGES) as LatencyRange[];

/** The node's latency over 1 h … 30 d from the roll-ups, with the checks added as they arrive: p50/p95 band, checks and failures in the range. */
export function NodeLatency({ id, stroke }: { id: number; stroke: string }) {
  const [range, setRange] = useState<LatencyRange>("24h");
  const { data, error, isFetching } = useQuery({ ...nodePageQueries.latency(id, range), placeholderData: keepPreviousData });
  useNodeLatencyLive(id, range);
  const checks = data?.points.reduce((s, p) => s + p.count, 0) ?? 0;
  const failures = data?.points.reduce((s, p) => s + p.failures, 0) ?? 0;
  const worst = data?.points.reduce<number | null>((m, p) => (p.p95 !== null && (m === null || p.p95 > m) ? p.p95 : m), null) ?? null;
  return (
    <section aria-label="latency" className="flex flex-col gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className={H}>Latency (ms)</h2>
        <div role="radiogroup" aria-label="latency range" className="ml-auto flex overflow-hidden rounded border border-slate-700 text-xs">
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              role="radio"
              aria-checked={r === range}
              onClick={() => setRange(r)}
              className={`min-h-9 min-w-11 px-2 ${r === range ? "bg-slate-700 font-semibold text-slate-100" : "text-slate-300 hover:bg-slate-800"}`}
            >
              {r}
            </button>
          ))}
        </div>
      </div>
      {error && <p className="text-xs text-red-300">Could not load latency: {error.message}</p>}
      {data && (
        <>
          <p className="text-xs text-slate-400" data-testid="latency-summary">
            {count(checks)} checks, {count(failures)} failed · worst p95 {latency(worst)} · per {data.resolution === "minute" ? `${data.step_ms / 60_000} min` : data.resolution === "hour" ? `${data.step_ms / 3_600_000} h` : `${data.step_ms / 86_400_000} d`}
            {isFetching && " · updating…"}
          </p>
          {checks > 0 ? <Chart points={data.points} stepMs={data.step_ms} stroke={stroke} range={range} /> : <p className="text-xs text-slate-400">No checks in this range.</p>}
          <p className="flex gap-3 text-[11px] text-slate-500">
            <span><span className="mr-1 inline-block h-2 w-3 align-middle opacity-40" style={{ background: stroke }} />p50–p95</span>
            <span><span className="mr-1 inline-block h-0.5 w-3 align-middle" style={{ background: stroke }} />p50</span>
            <span><span className="mr-1 inline-block w-3 border-t border-dashed border-slate-400 align-middle" />p99</span>
          </p>
        </>
      )}
    </section>
  );
}

/** The chart from the node's first check in the range when it has none earlier (a new node), saying so. */
function Chart({ points, stepMs, stroke, range }: { points: readonly LatencyPoint[]; stepMs: number; stroke: string; range: LatencyRange }) {
  const shown = shownWindow(points);
  return (
    <>
      {shown.since !== null && (
        <p className="text-xs text-slate-400" data-testid="latency-since">
          Checks since <LocalTime ms={shown.since} />; none earlier in this {range}.
        </p>
      )}
      <LatencyBandsChart points={shown.points} stepMs={stepMs} stroke={stroke} />
    </>
  );
}
