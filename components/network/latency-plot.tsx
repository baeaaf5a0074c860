"use client";

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { DetailCheck } from "@/lib/contracts/network";
import { latency } from "@/components/ui/format";
import { localDateTime } from "@/components/ui/time";

/**
 * The recharts drawing of a node's latency (failed checks leave a gap), at a measured size. Loaded
 * on demand by `LatencyChart`, so recharts is not part of the console's first load.
 */
export default function LatencyPlot({ checks, stroke, width, height }: { checks: readonly DetailCheck[]; stroke: string; width: number; height: number }) {
  const data = checks.map((c) => ({ t: c.time, v: c.ok ? c.latency_ms : null }));
  // checks seconds apart need seconds on the axis
  const span = checks.length > 1 ? checks[checks.length - 1].time - checks[0].time : 0;
  const tick = (t: number) => localDateTime(t).slice(11, span < 10 * 60_000 ? 19 : 16);
  return (
    <LineChart width={width} height={height} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid stroke="#1e293b" vertical={false} />
      <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={tick} stroke="#64748b" fontSize={10} minTickGap={48} />
      <YAxis stroke="#64748b" fontSize={10} width={40} domain={[0, "auto"]} />
      <Tooltip
        contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }}
        labelFormatter={(t) => localDateTime(Number(t))}
        formatter={(v) => [v === null || v === undefined ? "failed" : latency(Number(v)), "latency"]}
      />
      <Line type="monotone" dataKey="v" stroke={stroke} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
    </LineChart>
  );
}
