"use client";

import { useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { EventGroup, GroupBy } from "@/lib/contracts/events";
import { triageQueries } from "@/lib/queries/triage-queries";
import { SEVERITY_COLORS, SeverityBadge } from "@/components/ui/severity";
import { LocalTime } from "@/components/ui/time";
import { count as countText } from "@/components/ui/format";

const NOUN: Record<string, string> = { signature: "signature", src: "source", user: "account", service: "service", kind: "kind" };
const GRID = "md:grid-cols-[minmax(0,1fr)_6rem_5.5rem_6rem_10.5rem_10.5rem]";
const ROW = 40;

/**
 * The filter's events grouped by signature, source or account, worst severity first and then
 * largest, with true counts: a flood of thousands of rows reads as a handful of lines, below the
 * severe ones. A click narrows the list to the group.
 */
export function GroupTable({ params, by, onOpen }: { params: string; by: GroupBy; onOpen: (by: GroupBy, key: string) => void }) {
  const { data, error, isPending } = useQuery(triageQueries.groups(params, by));
  const scroller = useRef<HTMLDivElement>(null);
  const groups = data?.groups ?? [];
  const virtualizer = useVirtualizer({ count: groups.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 8 });
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <p role="status" aria-label="groups" className="px-1 pb-2 text-xs text-slate-400">
        {data ? (
          <>
            <b data-testid="groups-total" className="text-base font-semibold tabular-nums text-slate-100">
              {countText(data.total_groups)}
            </b>{" "}
            {data.total_groups === 1 ? NOUN[by] : `${NOUN[by]}s`} over {countText(data.rows)} stored events
            {data.groups.length < data.total_groups && `, the first ${data.groups.length} shown`}
            {data.groups.length > 1 && " (worst severity first, then count)"}
            {!data.exact && " (counted over the newest events only: narrow the range for exact counts)"}
            {data.exact && data.sources_exact === false && by !== "src" && "; sources counted over the newest events"}
          </>
        ) : isPending ? (
          "Loading…"
        ) : null}
      </p>
      {error && (
        <p role="alert" className="text-sm text-red-300">
          Could not group events: {error.message}
        </p>
      )}
      <div role="table" aria-label={`events by ${NOUN[by]}`} className="flex min-h-0 flex-1 flex-col overflow-hidden rounded-lg border border-slate-800 bg-slate-950/60">
        <div role="row" className={`hidden ${GRID} gap-x-3 border-b border-slate-800 bg-slate-900 px-3 py-1.5 text-[11px] font-semibold uppercase tracking-wider text-slate-500 md:grid`}>
          <div role="columnheader">{NOUN[by]}</div>
          <div role="columnheader" className="text-right">
            events
          </div>
          <div role="columnheader">worst</div>
          <div role="columnheader" className="text-right">
            {by === "src" ? "" : "sources"}
          </div>
          <div role="columnheader">first</div>
          <div role="columnheader">last</div>
        </div>
        <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto">
          {data && groups.length === 0 && <p className="p-4 text-sm text-slate-400">No stored event matches these filters.</p>}
          <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => (groups[v.index] ? <GroupRow key={v.key} g={groups[v.index]} by={by} start={v.start} onOpen={onOpen} /> : null))}
          </div>
        </div>
      </div>
    </div>
  );
}

function GroupRow({ g, by, start, onOpen }: { g: EventGroup; by: GroupBy; start: number; onOpen: (by: GroupBy, key: string) => void }) {
  const label = g.key ?? `(no ${NOUN[by]})`;
  return (
    <div
      role="row"
      className={`absolute left-0 top-0 grid w-full grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 border-b border-slate-800/70 px-3 text-sm ${GRID}`}
      style={{ height: ROW, transform: `translateY(${start}px)` }}
    >
      <div role="cell" className="flex min-w-0 items-center gap-2 truncate">
        {/* on a phone the worst column is hidden: a dot keeps the order (worst first) readable */}
        <span className="h-2 w-2 shrink-0 rounded-sm md:hidden" style={{ background: SEVERITY_COLORS[g.worst] }} role="img" aria-label={`worst ${g.worst}`} />
        {g.key === null ? (
          <span className="text-slate-500">{label}</span>
        ) : (
          <button type="button" onClick={() => onOpen(by, g.key!)} title={g.key} className="min-w-0 max-w-full truncate text-left text-slate-100 hover:text-sky-300 hover:underline">
            {label}
          </button>
        )}
      </div>
      <div role="cell" className="text-right font-semibold tabular-nums text-slate-100">
        {countText(g.count)}
      </div>
      <div role="cell" className="hidden md:block">
        <SeverityBadge severity={g.worst} />
      </div>
      <div role="cell" className="hidden text-right tabular-nums text-slate-300 md:block">
        {by === "src" ? "" : countText(g.sources)}
      </div>
      <div role="cell" className="hidden text-slate-400 md:block">
        <LocalTime ms={g.first} className="tabular-nums" />
      </div>
      <div role="cell" className="hidden text-slate-400 md:block">
        <LocalTime ms={g.last} className="tabular-nums" />
      </div>
    </div>
  );
}
