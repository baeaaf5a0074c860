"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { securityQueries } from "@/lib/queries/live-queries";
import type { SeverityCounts } from "@/lib/contracts/events";
import { SEVERITIES } from "@/lib/contracts/common";
import { SEVERITY_COLORS } from "@/components/ui/severity";
import { Pane } from "@/components/ui/pane";
import { useNow } from "@/components/ui/time";
import { EventsPerMinuteChart } from "./events-per-minute-chart";
import { EventList } from "./event-list";
import { StormSummary } from "./storm-summary";
import { useStorm } from "./use-storm";

function SeverityCountsLine({ label, counts }: { label: string; counts: SeverityCounts }) {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-0.5 text-[11px] tabular-nums text-slate-400">
      <span className="w-16 shrink-0 text-slate-500">{label}</span>
      {SEVERITIES.map((s) => (
        <span key={s} className="inline-flex items-center gap-1" title={`${s}, ${label}`}>
          <span className="inline-block h-2 w-2 rounded-sm" style={{ background: SEVERITY_COLORS[s] }} aria-hidden />
          <span className="text-slate-300">{counts[s].toLocaleString("en")}</span>
          <span className="hidden @2xl:inline">{s}</span>
          <span className="sr-only @2xl:hidden">{s}</span>
        </span>
      ))}
    </div>
  );
}

/** Security events: counts by severity, the per-minute chart, and the live list (or, in a storm, its groups). */
export function SecurityPane() {
  const { data, error } = useQuery(securityQueries.snapshot());
  const now = useNow();
  const total = data?.total ?? 0;
  const { storm, rate } = useStorm(total);
  const [listInStorm, setListInStorm] = useState(false);
  // a reader who is scrolled down or has an event open keeps the (frozen) list; otherwise a storm
  // is shown as its groups rather than rows flying past
  const [held, setHeld] = useState(false);
  const showStorm = storm && !listInStorm && !held;
  return (
    <Pane
      title="Security events"
      aside={
        <span className="text-xs tabular-nums text-slate-400" aria-label="stored events">
          <span data-testid="events-total">{total.toLocaleString("en")}</span> stored
        </span>
      }
    >
      {error && <p className="text-sm text-red-400">Could not load events: {error.message}</p>}
      <div className="@container flex h-full flex-col gap-2">
        {data && (
          <div className="flex flex-col gap-0.5">
            <SeverityCountsLine label="last hour" counts={data.counts.hour} />
            <SeverityCountsLine label="last 24 h" counts={data.counts.day} />
          </div>
        )}
        {now !== null && <EventsPerMinuteChart rate={data?.rate ?? []} now={now} />}
        {storm && listInStorm && (
          <button type="button" onClick={() => setListInStorm(false)} className="self-start rounded bg-amber-900/40 px-2 py-0.5 text-xs text-amber-200 hover:bg-amber-900/70">
            Storm: {rate.toLocaleString("en")} events/s · show the summary
          </button>
        )}
        {showStorm ? <StormSummary groups={data?.groups ?? []} rate={rate} onShowList={() => setListInStorm(true)} /> : <EventList head={data?.events ?? []} total={total} onHeldChange={setHeld} />}
      </div>
    </Pane>
  );
}
