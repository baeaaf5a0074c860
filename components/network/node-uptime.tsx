"use client";

import { useQuery } from "@tanstack/react-query";
import type { UptimeFigure } from "@/lib/contracts/figures";
import { nodePageQueries, slaCsvHref } from "@/lib/queries/node-queries";
import { useNow } from "@/components/ui/time";

const H = "text-xs font-semibold uppercase tracking-wider text-slate-400";
const WINDOWS = ["24h", "7d", "30d"] as const;

/** "12 min", "3 h 5 min", "2 d 4 h". */
export function minutesText(m: number): string {
  if (m < 1) return m === 0 ? "0" : "< 1 min";
  const min = Math.round(m);
  if (min < 60) return `${min} min`;
  if (min < 1440) return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ""}`;
  const h = Math.round(min / 60);
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ""}`;
}

const percent = (p: number | null) => (p === null ? "no data" : p === 100 ? "100 %" : `${p.toFixed(p >= 99 ? 3 : 2)} %`);

/** Uptime over 24 h, 7 d and 30 d, weighted by time; maintenance and no-data time shown apart. And the SLA CSV. */
export function NodeUptime({ id }: { id: number }) {
  const { data, error } = useQuery(nodePageQueries.uptime(id));
  const now = useNow();
  return (
    <section aria-label="uptime" className="flex flex-col gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <div className="flex flex-wrap items-baseline gap-2">
        <h2 className={H}>Uptime</h2>
        {now !== null && (
          <a href={slaCsvHref(id, now)} download className="ml-auto text-xs text-sky-300 hover:underline">
            SLA report, last 30 days (CSV)
          </a>
        )}
      </div>
      {error && <p className="text-xs text-red-300">Could not load uptime: {error.message}</p>}
      {data && (
        <dl className="grid grid-cols-3 gap-2">
          {WINDOWS.map((w) => (
            <Window key={w} name={w} f={data.windows[w]} />
          ))}
        </dl>
      )}
      <p className="text-[11px] text-slate-500">Weighted by time. Maintenance and time without data are left out of the percentage.</p>
    </section>
  );
}

function Window({ name, f }: { name: string; f: UptimeFigure }) {
  const tone = f.uptime_percent === null ? "text-slate-400" : f.uptime_percent >= 99.9 ? "text-emerald-300" : f.uptime_percent >= 99 ? "text-amber-300" : "text-red-300";
  return (
    <div data-testid={`uptime-${name}`} className="flex min-w-0 flex-col gap-0.5 rounded border border-slate-800 p-2 text-xs">
      <dt className="text-slate-400">{name}</dt>
      <dd className={`text-base font-semibold tabular-nums ${tone}`}>{percent(f.uptime_percent)}</dd>
      <dd className="text-slate-300">down {minutesText(f.downtime_minutes)}{f.outages ? ` · ${f.outages} outage${f.outages === 1 ? "" : "s"}` : ""}</dd>
      {f.maintenance_minutes > 0 && <dd className="text-slate-400">maintenance {minutesText(f.maintenance_minutes)}</dd>}
      {f.unknown_minutes > 0 && <dd className="text-slate-500">no data {minutesText(f.unknown_minutes)}</dd>}
    </div>
  );
}
