"use client";

import { memo, useMemo } from "react";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { RateBucket } from "@/lib/contracts/events";
import { SEVERITIES } from "@/lib/contracts/common";
import { SEVERITY_COLORS } from "@/components/ui/severity";
import { useVisibleWidth } from "@/components/ui/use-visible-width";

const MINUTE = 60_000;
const HEIGHT = 144;

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** Events per minute over the last hour, stacked by severity. */
export const EventsPerMinuteChart = memo(function EventsPerMinuteChart({ rate, now }: { rate: RateBucket[]; now: number }) {
  const { ref, width } = useVisibleWidth();
  const data = useMemo(() => {
    const last = Math.floor(now / MINUTE) * MINUTE;
    const rows = new Map<number, Record<string, number>>();
    for (let m = last - 59 * MINUTE; m <= last; m += MINUTE) rows.set(m, { minute: m });
    for (const b of rate) {
      const row = rows.get(b.minute);
      if (row) row[b.severity] = (row[b.severity] ?? 0) + b.count;
    }
    return [...rows.values()];
  }, [rate, now]);

  return (
    <div ref={ref} className="w-full" style={{ height: HEIGHT }} role="img" aria-label="events per minute by severity, last hour">
      {width > 0 && (
        <BarChart width={width} height={HEIGHT} data={data} margin={{ top: 4, right: 4, bottom: 0, left: -20 }} barCategoryGap={1}>
          <CartesianGrid vertical={false} stroke="#1e293b" />
          <XAxis dataKey="minute" tickFormatter={hhmm} stroke="#64748b" fontSize={10} minTickGap={40} />
          <YAxis stroke="#64748b" fontSize={10} allowDecimals={false} />
          <Tooltip
            labelFormatter={(v) => hhmm(Number(v))}
            contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }}
            cursor={{ fill: "#1e293b" }}
          />
          {[...SEVERITIES].reverse().map((s) => (
            <Bar key={s} dataKey={s} stackId="s" fill={SEVERITY_COLORS[s]} isAnimationActive={false} />
          ))}
        </BarChart>
      )}
    </div>
  );
});
