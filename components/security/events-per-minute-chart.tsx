"use client";

import { memo, useMemo } from "react";
import { useVisibleWidth } from "@/components/ui/use-visible-width";
import type { RateBucket } from "@/lib/contracts/events";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { SEVERITY_COLORS } from "@/components/ui/severity";
import { compactCount, niceCeiling, rateColumns, stackPaths } from "./rate-bars";
import { count } from "@/components/ui/format";

const HEIGHT = 144;
/** Room for the count labels on the left and the times below. */
const GUTTER = { left: 30, right: 4, top: 6, bottom: 16 };

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/**
 * Events per minute over the last hour, stacked by severity. Plain SVG: one path per severity and
 * fixed-size labels, so a redraw in a flood never measures text or forces a layout (the recharts
 * version did both, 250–350 ms at a time on a busy page), and no chart library loads with the page.
 * Hovering a minute shows its counts.
 */
export const EventsPerMinuteChart = memo(function EventsPerMinuteChart({ rate, now }: { rate: RateBucket[]; now: number }) {
  const { ref, width } = useVisibleWidth();
  const columns = useMemo(() => rateColumns(rate, now), [rate, now]);
  const plotW = Math.max(0, width - GUTTER.left - GUTTER.right);
  const plotH = HEIGHT - GUTTER.top - GUTTER.bottom;
  const max = niceCeiling(columns.reduce((m, c) => Math.max(m, c.total), 0));
  const paths = useMemo(() => (plotW > 0 ? stackPaths(columns, plotW, plotH, max) : []), [columns, plotW, plotH, max]);
  const slot = plotW / columns.length;
  return (
    <div ref={ref} className="w-full" style={{ height: HEIGHT }} role="img" aria-label="events per minute by severity, last hour">
      {width > 0 && (
        <svg width={width} height={HEIGHT} className="block text-[10px]" data-testid="events-per-minute-chart">
          <g fill="#64748b" textAnchor="end">
            {[max, max / 2, 0].map((v) => {
              const y = GUTTER.top + plotH - (v / max) * plotH;
              return (
                <g key={v}>
                  <line x1={GUTTER.left} x2={width - GUTTER.right} y1={y} y2={y} stroke="#1e293b" />
                  <text x={GUTTER.left - 4} y={y + 3}>
                    {compactCount(v)}
                  </text>
                </g>
              );
            })}
          </g>
          <g transform={`translate(${GUTTER.left} ${GUTTER.top})`}>
            {paths.map((p) => (
              <path key={p.severity} d={p.d} fill={SEVERITY_COLORS[p.severity]} />
            ))}
            {columns.map((c, i) => (
              <rect key={c.minute} x={i * slot} y={0} width={slot} height={plotH} fill="transparent" className="hover:fill-slate-400/10">
                <title>{`${hhmm(c.minute)}: ${count(c.total)} events${c.total ? ` (${SEVERITIES.filter((s) => c.counts[s]).map((s) => `${s} ${count(c.counts[s])}`).join(", ")})` : ""}`}</title>
              </rect>
            ))}
          </g>
          <g fill="#64748b" textAnchor="middle">
            {columns.map((c, i) =>
              new Date(c.minute).getMinutes() % 10 === 0 ? (
                <text key={c.minute} x={Math.min(width - 16, Math.max(GUTTER.left + 14, GUTTER.left + (i + 0.5) * slot))} y={HEIGHT - 3}>
                  {hhmm(c.minute)}
                </text>
              ) : null,
            )}
          </g>
        </svg>
      )}
    </div>
  );
});
