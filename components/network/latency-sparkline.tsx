"use client";

import { Line, LineChart, ResponsiveContainer, YAxis } from "recharts";
import type { Check } from "@/lib/contracts/network";

/** Latency of the recent checks; failed checks leave a gap. */
export function LatencySparkline({ checks, stroke }: { checks: Check[]; stroke: string }) {
  const data = checks.map((c, i) => ({ i, v: c.ok ? c.latency_ms : null }));
  return (
    <div className="h-8 w-full" aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 2, bottom: 2, left: 0, right: 0 }}>
          <YAxis hide domain={[0, "auto"]} />
          <Line type="monotone" dataKey="v" stroke={stroke} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
