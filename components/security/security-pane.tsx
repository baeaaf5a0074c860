"use client";

import { useCallback, useState } from "react";
import { IdleLink } from "@/components/ui/idle-link";
import { useQuery } from "@tanstack/react-query";
import { securityQueries } from "@/lib/queries/live-queries";
import type { GroupSlice } from "@/lib/live/apply-security";
import type { RateBucket, SeverityCounts } from "@/lib/contracts/events";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { SEVERITY_COLORS } from "@/components/ui/severity";
import { Pane } from "@/components/ui/pane";
import { useNow } from "@/components/ui/time";
import { EventsPerMinuteChart } from "./events-per-minute-chart";
import { EventList } from "./event-list";
import { StormSummary } from "./storm-summary";
import { useStorm } from "./use-storm";
import { useThrottled } from "./use-throttled";
import { count } from "@/components/ui/format";

function SeverityCountsLine({ label, counts }: { label: string; counts: SeverityCounts }) {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-0.5 text-[11px] tabular-nums text-slate-400">
      <span className="w-16 shrink-0 text-slate-500">{label}</span>
      {SEVERITIES.map((s) => (
        <span key={s} className="inline-flex items-center gap-1" title={`${s}, ${label}`}>
          <span className="inline-block h-2 w-2 rounded-sm" style={{ background: SEVERITY_COLORS[s] }} aria-hidden />
          <span className="text-slate-300">{count(counts[s])}</span>
          <span className="hidden @2xl:inline">{s}</span>
          <span className="sr-only @2xl:hidden">{s}</span>
        </span>
      ))}
    </div>
  );
}

const EMPTY: RateBucket[] = [];
const NO_GROUPS: GroupSlice[] = [];

/** Security events: counts by severity, the per-minute chart, and the live list (or, in a storm, its groups). */
export function SecurityPane() {
  const { data, error } = useQuery(securityQueries.snapshot());
  const now = useNow();
  const total = data?.total ?? 0;
  const { storm, rate: perSecond } = useStorm(total);
  const [listInStorm, setListInStorm] = useState(false);
  // a reader who is scrolled down or has an event open keeps the (frozen) list; otherwise a storm
  // is shown as its groups rather than rows flying past
  const [held, setHeld] = useState(false);
  const showList = useCallback(() => setListInStorm(true), []);
  const showStorm = storm && !listInStorm && !held;
  // what is read rather than followed redraws at most once a second, however fast events fold in
  const rate = useThrottled(data?.rate, 1000);
  const groups = useThrottled(data?.groups, 1000);
  const counts = useThrottled(data?.counts, 1000);
  return (
    <Pane
      title="Security events"
      aside={
        <span className="flex items-center gap-3 text-xs tabular-nums text-slate-400">
          <span aria-label="stored events">
            <span data-testid="events-total">{count(total)}</span> stored
          </span>
          <IdleLink href="/security" className="rounded bg-slate-800 px-2 py-0.5 text-sky-300 hover:bg-slate-700">
            Search &amp; triage →
          </IdleLink>
        </span>
      }
    >
      {error && <p className="text-sm text-red-400">Could not load events: {error.message}</p>}
      <div className="@container flex h-full flex-col gap-2">
        {counts && (
          <div className="flex flex-col gap-0.5">
            <SeverityCountsLine label="last hour" counts={counts.hour} />
            <SeverityCountsLine label="last 24 h" counts={counts.day} />
          </div>
        )}
        {now !== null && <EventsPerMinuteChart rate={rate ?? EMPTY} now={now} />}
        {storm && listInStorm && (
          <button type="button" onClick={() => setListInStorm(false)} className="self-start rounded bg-amber-900/40 px-2 py-0.5 text-xs text-amber-200 hover:bg-amber-900/70">
            Storm: {count(perSecond)} events/s · show the summary
          </button>
        )}
        {showStorm ? <StormSummary groups={groups ?? NO_GROUPS} rate={perSecond} onShowList={showList} /> : <EventList head={data?.events ?? []} total={total} onHeldChange={setHeld} />}
      </div>
    </Pane>
  );
}
