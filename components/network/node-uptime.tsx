"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import type { UptimeFigure } from "@/lib/contracts/figures";
import { nodePageQueries, slaRangeHref } from "@/lib/queries/node-queries";
import { LocalTime, useNow } from "@/components/ui/time";
import { INPUT, SMALL_BUTTON } from "./node-edit";

const H = "text-xs font-semibold uppercase tracking-wider text-slate-400";
const WINDOWS = ["24h", "7d", "30d"] as const;
const DAY = 86_400_000;

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

/** A date input's value (YYYY-MM-DD) for an instant, in this browser's time zone. */
const dateValue = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};
/** The local midnight that starts a date input's day, or NaN. */
const dayStart = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00`).getTime() : NaN);

/**
 * Uptime over 24 h, 7 d and 30 d and over a chosen range of days (from the start of the first to
 * the end of the last, in this browser's time zone; the API's from/to), weighted by time;
 * maintenance and no-data time shown apart. The SLA CSV for the last 30 days or the chosen range,
 * of this node or of every node sharing one of its tags.
 */
export function NodeUptime({ id, tags = {} }: { id: number; tags?: Record<string, string> }) {
  const { data, error } = useQuery(nodePageQueries.uptime(id));
  const now = useNow();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [range, setRange] = useState<{ from: number; to: number } | null>(null);
  const chosen = useQuery({ ...nodePageQueries.uptimeRange(id, range?.from ?? 0, range?.to ?? 0), enabled: range !== null && Number.isFinite(range.from) && Number.isFinite(range.to) });
  const tagList = Object.entries(tags);
  // the report covers the chosen range once shown, else the last 30 days
  const report = range ?? (now === null ? null : { from: now - 30 * DAY, to: now });

  const show = (e: FormEvent) => {
    e.preventDefault();
    const f = dayStart(from || (now ? dateValue(now - 7 * DAY) : ""));
    const lastDay = dayStart(to || (now ? dateValue(now) : ""));
    // the range ends with its last day, or now when that day is today; a bad pair is for the server to name
    const t = now !== null ? Math.min(lastDay + DAY, now) : lastDay + DAY;
    setRange({ from: f, to: t });
  };

  return (
    <section aria-label="uptime" className="flex flex-col gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 className={H}>Uptime</h2>
        {report && (
          <span className="ml-auto flex flex-wrap items-baseline gap-x-3 gap-y-1 text-xs">
            <a href={slaRangeHref({ node: String(id) }, report.from, report.to)} download className="text-sky-300 hover:underline">
              SLA report, {range ? "chosen range" : "last 30 days"} (CSV)
            </a>
            {tagList.map(([k, v]) => (
              <a key={k} data-testid="sla-tag" href={slaRangeHref({ tag: `${k}=${v}` }, report.from, report.to)} download className="break-all text-sky-300 hover:underline">
                every {k}={v} (CSV)
              </a>
            ))}
          </span>
        )}
      </div>
      {error && <p className="text-xs text-red-300">Could not load uptime: {error.message}</p>}
      {data && (
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          {WINDOWS.map((w) => (
            <Window key={w} name={w} f={data.windows[w]} />
          ))}
          {range && chosen.data?.range && <Window name="range" f={chosen.data.range} label={<RangeLabel f={chosen.data.range} />} />}
        </dl>
      )}
      <form onSubmit={show} aria-label="uptime range" className="flex flex-wrap items-end gap-2 text-xs">
        <label className="flex flex-col gap-1 text-slate-400">
          From
          <input type="date" className={`${INPUT} w-40`} value={from || (now ? dateValue(now - 7 * DAY) : "")} max={now ? dateValue(now) : undefined} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-slate-400">
          To (inclusive)
          <input type="date" className={`${INPUT} w-40`} value={to || (now ? dateValue(now) : "")} max={now ? dateValue(now) : undefined} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit" className={SMALL_BUTTON}>
          Show range
        </button>
        {range && (
          <button type="button" className={SMALL_BUTTON} onClick={() => (setRange(null), setFrom(""), setTo(""))}>
            Clear
          </button>
        )}
      </form>
      {range && (!Number.isFinite(range.from) || !Number.isFinite(range.to)) && (
        <p role="alert" className="text-xs text-red-300">
          Pick both dates.
        </p>
      )}
      {range && chosen.error && (
        <p role="alert" className="break-words text-xs text-red-300">
          {chosen.error.message}
        </p>
      )}
      <p className="text-[11px] text-slate-500">Weighted by time. Maintenance and time without data are left out of the percentage.</p>
    </section>
  );
}

function RangeLabel({ f }: { f: UptimeFigure }) {
  return (
    <>
      <LocalTime ms={f.from} /> → <LocalTime ms={f.to} />
    </>
  );
}

function Window({ name, f, label }: { name: string; f: UptimeFigure; label?: ReactNode }) {
  const tone = f.uptime_percent === null ? "text-slate-400" : f.uptime_percent >= 99.9 ? "text-emerald-300" : f.uptime_percent >= 99 ? "text-amber-300" : "text-red-300";
  return (
    <div data-testid={`uptime-${name}`} className="flex min-w-0 flex-col gap-0.5 rounded border border-slate-800 p-2 text-xs">
      <dt className="break-words text-slate-400">{label ?? name}</dt>
      <dd className={`text-base font-semibold tabular-nums ${tone}`}>{percent(f.uptime_percent)}</dd>
      <dd className="text-slate-300">down {minutesText(f.downtime_minutes)}{f.outages ? ` · ${f.outages} outage${f.outages === 1 ? "" : "s"}` : ""}</dd>
      {f.maintenance_minutes > 0 && <dd className="text-slate-400">maintenance {minutesText(f.maintenance_minutes)}</dd>}
      {f.unknown_minutes > 0 && <dd className="text-slate-500">no data {minutesText(f.unknown_minutes)}</dd>}
    </div>
  );
}
