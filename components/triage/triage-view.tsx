"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { applySecurity } from "@/lib/live/apply";
import { securityQueries } from "@/lib/queries/live-queries";
import { apiParams, DEFAULT_RANGE, RANGES, type TriageView as View } from "@/lib/queries/triage-queries";
import type { GroupBy } from "@/lib/contracts/events";
import { useLiveStream } from "@/components/live/use-live-stream";
import { ConnectionBadge } from "@/components/live/live-sync";
import { UserMenu } from "@/components/ui/user-menu";
import { localDateTime } from "@/components/ui/time";
import { StormSummary } from "@/components/security/storm-summary";
import { useStorm } from "@/components/security/use-storm";
import { useThrottled } from "@/components/security/use-throttled";
import { FilterBar } from "./filter-bar";
import { EventTable } from "./event-table";
import { GroupTable } from "./group-table";
import { TopPanel } from "./top-panel";
import { EventDrawer } from "./event-drawer";
import { useTriageUrl, type UrlPatch } from "./use-triage-url";
import { count } from "@/components/ui/format";

const VIEW_LABELS: Record<View, string> = { events: "Events", signature: "Signatures", src: "Sources", user: "Accounts" };

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const mq = window.matchMedia("(max-width: 767px)");
    const on = () => setNarrow(mq.matches);
    on();
    mq.addEventListener("change", on);
    return () => mq.removeEventListener("change", on);
  }, []);
  return narrow;
}

/**
 * The security triage pane: filters in the URL and run on the server, the matching events in a
 * virtualised table read as of one moment (the anchor), groupings with true counts, the top of the
 * range, and a detail drawer that lives beside the list. New events are counted live behind a
 * marker; a flood shows as its groups instead of rows.
 */
export function TriageView() {
  const { filter, view, event, set, search } = useTriageUrl();
  const narrow = useNarrow();
  // what the server is asked: every key but the open event and the view
  const filterKey = useMemo(() => {
    const p = new URLSearchParams(search);
    p.delete("event");
    p.delete("view");
    return p.toString();
  }, [search]);

  // the moment the list is read as of: set after mount and on every filter change or refresh
  const [anchor, setAnchor] = useState<number | null>(null);
  const live = useQuery(securityQueries.snapshot());
  useLiveStream("security", securityQueries.snapshot().queryKey, applySecurity);
  const liveTotal = live.data?.total ?? 0;
  const [baseline, setBaseline] = useState<number | null>(null);
  const refresh = useCallback(() => {
    setAnchor(Date.now());
    setBaseline(null);
  }, []);
  useEffect(refresh, [filterKey, refresh]);
  useEffect(() => {
    if (baseline === null && live.data) setBaseline(live.data.total);
  }, [baseline, live.data]);
  const fresh = baseline === null ? 0 : Math.max(0, liveTotal - baseline);
  const { storm, rate } = useStorm(liveTotal);
  const groups = useThrottled(live.data?.groups, 1000);
  const [stormHidden, setStormHidden] = useState(false);

  const params = anchor === null ? null : apiParams(filter, anchor).toString();
  const range = RANGES.find((r) => r.id === (filter.range ?? DEFAULT_RANGE));
  const topSince = anchor === null ? null : filter.since && /^\d+$/.test(filter.since) ? Number(filter.since) : range?.ms != null ? anchor - range.ms : null;
  const topUntil = anchor === null ? 0 : filter.until && /^\d+$/.test(filter.until) ? Number(filter.until) : anchor;

  const select = useCallback((id: number) => set({ event: String(id) }), [set]);
  const close = useCallback(() => set({ event: null }), [set]);
  const pivot = useCallback((patch: UrlPatch) => set(patch), [set]);
  const openGroup = useCallback((by: GroupBy, key: string) => set({ [by]: key, view: "events" }), [set]);

  return (
    // with an event open, wide screens keep the list beside the drawer rather than under it
    <div className={`mx-auto flex min-h-dvh max-w-[1920px] flex-col gap-3 p-3 md:h-dvh ${event !== null ? "xl:pr-[33rem]" : ""}`}>
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-bold tracking-tight text-slate-100">
          <Link href="/" className="hover:text-sky-300">
            Vigil
          </Link>{" "}
          <span className="font-normal text-slate-400">· Security triage</span>
        </h1>
        <ConnectionBadge />
        <Link href="/" className="rounded px-2 py-1 text-xs text-slate-300 hover:bg-slate-800">
          ← Console
        </Link>
        <div className="ml-auto hidden sm:block">
          <UserMenu />
        </div>
      </header>
      <FilterBar filter={filter} set={set} />
      <div className="flex flex-wrap items-center gap-2">
        <nav aria-label="view" className="flex gap-1 overflow-x-auto">
          {(Object.keys(VIEW_LABELS) as View[]).map((v) => (
            <button
              key={v}
              type="button"
              aria-current={view === v ? "page" : undefined}
              onClick={() => set({ view: v === "events" ? null : v })}
              className={`whitespace-nowrap rounded px-3 py-1.5 text-sm ${view === v ? "bg-slate-700 text-white" : "bg-slate-900 text-slate-400 hover:bg-slate-800"}`}
            >
              {VIEW_LABELS[v]}
            </button>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2 text-xs text-slate-400">
          {anchor !== null && <span className="hidden sm:inline">as of {localDateTime(anchor)}</span>}
          {fresh > 0 ? (
            <button type="button" onClick={refresh} className="rounded-full bg-sky-600 px-3 py-1 font-semibold text-white shadow hover:bg-sky-500" data-testid="new-events">
              {count(fresh)} new · show
            </button>
          ) : (
            <button type="button" onClick={refresh} className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
              Refresh
            </button>
          )}
        </div>
      </div>
      {storm && !stormHidden && (
        <div className="@container">
          <StormSummary groups={groups ?? []} rate={rate} onShowList={() => setStormHidden(true)} />
        </div>
      )}
      <div className={`grid min-h-[28rem] flex-1 grid-cols-1 gap-3 lg:min-h-0 ${event === null ? "lg:grid-cols-[minmax(0,1fr)_18rem]" : "xl:grid-cols-1"}`}>
        <main className="flex min-h-[28rem] flex-col lg:min-h-0">
          {params === null ? null : view === "events" ? (
            <EventTable params={params} selected={event} onSelect={select} narrow={narrow} />
          ) : (
            <GroupTable params={params} by={view} onOpen={openGroup} />
          )}
        </main>
        {/* with an event open the drawer takes the top lists' place, so the table keeps its columns */}
        {anchor !== null && (event === null ? <TopPanel since={topSince} until={topUntil} pivot={pivot} /> : <div className="xl:hidden"><TopPanel since={topSince} until={topUntil} pivot={pivot} /></div>)}
      </div>
      {event !== null && <EventDrawer id={event} onClose={close} pivot={pivot} />}
    </div>
  );
}
