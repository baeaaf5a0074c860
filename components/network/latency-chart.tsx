"use client";

import { useRef } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { DetailCheck } from "@/lib/contracts/network";
import { latency } from "@/components/ui/format";
import { localDateTime } from "@/components/ui/time";
import { useElementWidth } from "./use-element-width";

const HEIGHT = 160;

/**
 * A node's latency over its recent checks (failed checks leave a gap). The chart gets a definite
 * width and height and mounts only once its box is measured, so recharts never sees width 0.
 * Only the detail panel renders it, and only after mount (times are in the viewer's zone).
 */
export function LatencyChart({ checks, stroke }: { checks: readonly DetailCheck[]; stroke: string }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(boxRef);
  const data = checks.map((c) => ({ t: c.time, v: c.ok ? c.latency_ms : null }));
  // checks seconds apart need seconds on the axis
  const span = checks.length > 1 ? checks[checks.length - 1].time - checks[0].time : 0;
  const tick = (t: number) => localDateTime(t).slice(11, span < 10 * 60_000 ? 19 : 16);
  return (
    <div ref={boxRef} style={{ height: HEIGHT }} className="w-full" aria-label="latency chart">
      {width !== null && width > 0 && (
        <LineChart width={width} height={HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
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
      )}
    </div>
  );
}
