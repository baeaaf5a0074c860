"use client";

import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { LatencyPoint } from "@/lib/contracts/figures";
import { latency } from "@/components/ui/format";
import { localDateTime } from "@/components/ui/time";
import { useVisibleWidth } from "@/components/ui/use-visible-width";

const HEIGHT = 200;

/**
 * Latency from the roll-ups: a band from p50 to p95 with the p50 line inside and p99 dashed
 * above; points without a successful check leave a gap. Definite size, mounted only while on
 * screen. Ticks show the time of day for a day or less, the date beyond.
 */
export function LatencyBandsChart({ points, stepMs, stroke }: { points: readonly LatencyPoint[]; stepMs: number; stroke: string }) {
  const { ref, width } = useVisibleWidth();
  const data = points.map((p) => ({ t: p.t, band: p.p50 === null || p.p95 === null ? null : [p.p50, p.p95], p50: p.p50, p95: p.p95, p99: p.p99, max: p.max, count: p.count, failures: p.failures }));
  // one or two points with checks (a node a few minutes old) draw no visible band: mark them with dots
  const dots = points.filter((p) => p.p50 !== null).length <= 2;
  const span = points.length > 1 ? points[points.length - 1].t - points[0].t : 0;
  const tick = (t: number) => (span > 2 * 86_400_000 ? localDateTime(t).slice(5, 10) : localDateTime(t).slice(11, 16));
  return (
    <div ref={ref} style={{ height: HEIGHT }} className="w-full" role="img" aria-label={`latency p50 and p95, ${points.length} points of ${Math.round(stepMs / 60_000)} min`}>
      {width > 0 && (
        <ComposedChart width={width} height={HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#1e293b" vertical={false} />
          {/* a few points (a new node): ticks at the points themselves, so no two say the same minute */}
          <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} ticks={points.length <= 8 ? points.map((p) => p.t) : undefined} tickFormatter={tick} stroke="#64748b" fontSize={10} minTickGap={48} />
          <YAxis stroke="#64748b" fontSize={10} width={44} domain={[0, "auto"]} tickFormatter={(v: number) => (v < 10 && !Number.isInteger(v) ? v.toFixed(1) : `${Math.round(v)}`)} />
          <Tooltip
            contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }}
            labelFormatter={(t) => localDateTime(Number(t))}
            formatter={(v, name) => (name === "p50–p95" ? [Array.isArray(v) ? `${latency(Number(v[0]))} – ${latency(Number(v[1]))}` : "no data", name] : [v == null ? "–" : latency(Number(v)), name])}
          />
          <Area type="monotone" dataKey="band" name="p50–p95" stroke="none" fill={stroke} fillOpacity={0.25} isAnimationActive={false} connectNulls={false} />
          <Line type="monotone" dataKey="p50" name="p50" stroke={stroke} strokeWidth={1.5} dot={dots ? { r: 3, fill: stroke } : false} isAnimationActive={false} connectNulls={false} />
          <Line type="monotone" dataKey="p99" name="p99" stroke="#94a3b8" strokeWidth={1} strokeDasharray="3 3" dot={false} isAnimationActive={false} connectNulls={false} />
        </ComposedChart>
      )}
    </div>
  );
}
