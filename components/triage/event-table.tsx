"use client";

import { memo, useEffect, useMemo, useRef, type KeyboardEvent } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { createColumnHelper, tableFeatures, useTable, type Row } from "@tanstack/react-table";
import type { SecurityEvent } from "@/lib/contracts/events";
import { triageQueries } from "@/lib/queries/triage-queries";
import { SeverityBadge } from "@/components/ui/severity";
import { LocalTime } from "@/components/ui/time";
import { count as countText } from "@/components/ui/format";

const features = tableFeatures({ columnMeta: {} as { cell: string } });
const col = createColumnHelper<typeof features, SecurityEvent>();

const sourceOf = (e: SecurityEvent) => e.src_ip ?? e.src_host ?? null;
const withPort = (host: string | null, port: number | null) => (host === null ? null : port === null ? host : host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);
const summaryOf = (e: SecurityEvent) => e.signature ?? e.message ?? e.kind;

// Every column's width is fixed by the grid template, so a row never reflows as it scrolls in.
const GRID = "md:grid-cols-[10.5rem_5.5rem_6.5rem_minmax(7rem,12rem)_minmax(5rem,10rem)_minmax(12rem,1fr)_5.5rem]";

const columns = col.columns([
  col.accessor("time", { header: "Time", cell: (c) => <LocalTime ms={c.getValue()} className="tabular-nums" />, meta: { cell: "text-slate-300" } }),
  col.accessor("severity", { header: "Severity", cell: (c) => <SeverityBadge severity={c.getValue()} />, meta: { cell: "" } }),
  col.accessor("kind", { header: "Kind", cell: (c) => c.getValue().replace("_", " "), meta: { cell: "text-slate-400" } }),
  col.accessor((e) => withPort(sourceOf(e), e.src_port), { id: "source", header: "Source", cell: (c) => c.getValue() ?? "—", meta: { cell: "font-mono text-slate-200" } }),
  col.accessor("user", { header: "Account", cell: (c) => c.getValue() ?? "—", meta: { cell: "font-mono text-slate-300" } }),
  col.accessor(summaryOf, {
    id: "summary",
    header: "Signature / message",
    cell: (c) => (
      <>
        {c.getValue()}
        {c.row.original.occurrences > 1 && <span className="ml-1.5 rounded bg-slate-800 px-1 text-[11px] text-slate-300">×{c.row.original.occurrences}</span>}
      </>
    ),
    meta: { cell: "text-slate-100" },
  }),
  col.accessor("service", { header: "Service", cell: (c) => c.getValue() ?? "—", meta: { cell: "text-slate-400" } }),
]);

const ROW_HEIGHT = 36;
const PHONE_ROW_HEIGHT = 58;
/** Start loading the next older page this many rows before the end. */
const PREFETCH_ROWS = 40;

/**
 * The filtered events, newest first: a TanStack table rendered through TanStack Virtual, so the
 * DOM holds the rows in view plus a margin however many are loaded. Older pages load by cursor
 * as the reader nears the end; the list is read as of the page's anchor time and never moves
 * under the reader (newer events wait behind the marker above it).
 */
export function EventTable({ params, selected, onSelect, narrow }: { params: string; selected: number | null; onSelect: (id: number) => void; narrow: boolean }) {
  const query = useInfiniteQuery(triageQueries.events(params));
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage, isFetching, error, isPlaceholderData } = query;
  const events = useMemo(() => data?.pages.flatMap((p) => p.events) ?? [], [data]);
  const first = data?.pages[0];
  const table = useTable({ features, columns, data: events, getRowId: (e) => String(e.id) });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const rowHeight = narrow ? PHONE_ROW_HEIGHT : ROW_HEIGHT;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    getItemKey: (i) => rows[i]?.id ?? `i${i}`,
    overscan: 12,
  });
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);
  // a new filter starts at the top
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [params]);
  const items = virtualizer.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastShown >= rows.length - PREFETCH_ROWS) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastShown, rows.length]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-1 pb-2 text-xs text-slate-400">
        <span role="status" aria-label="matching events">
          {first ? (
            <>
              <b data-testid="triage-total" className="text-base font-semibold tabular-nums text-slate-100">
                {first.total_exact ? "" : "≥ "}
                {countText(first.total)}
              </b>{" "}
              {first.total === 1 ? "event matches" : "events match"}
            </>
          ) : error ? null : (
            "Loading…"
          )}
        </span>
        {events.length > 0 && (
          <span className="tabular-nums">
            {countText(events.length)} loaded{hasNextPage ? ", more as you scroll" : ""}
          </span>
        )}
        {isFetching && isPlaceholderData && <span className="text-sky-300">updating…</span>}
      </div>
      {error && (
        <p role="alert" className="rounded border border-red-900 bg-red-950/50 p-2 text-sm text-red-300">
          Could not load events: {error.message}
        </p>
      )}
      <div role="table" aria-label="security events" aria-rowcount={first?.total} className="flex min-h-0 flex-1 flex-col overflow-hidden rounded-lg border border-slate-800 bg-slate-950/60">
        <div role="rowgroup" className="hidden border-b border-slate-800 bg-slate-900 md:block">
          {table.getHeaderGroups().map((hg) => (
            <div role="row" key={hg.id} className={`grid ${GRID} gap-x-3 px-3 py-1.5 text-[11px] font-semibold uppercase tracking-wider text-slate-500`}>
              {hg.headers.map((h) => (
                <div role="columnheader" key={h.id} className="truncate">
                  <table.FlexRender header={h} />
                </div>
              ))}
            </div>
          ))}
        </div>
        <div ref={scroller} role="rowgroup" className="min-h-0 flex-1 overflow-y-auto [overflow-anchor:none]" data-testid="triage-scroller">
          {rows.length === 0 && first && !hasNextPage ? (
            <p className="p-4 text-sm text-slate-400">No stored event matches these filters.</p>
          ) : (
            <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((v) => {
                const row = rows[v.index];
                if (!row) return null;
                return (
                  <EventRowView
                    key={v.key}
                    row={row}
                    start={v.start}
                    height={rowHeight}
                    selected={row.original.id === selected}
                    onSelect={onSelect}
                    narrow={narrow}
                    table={table}
                  />
                );
              })}
            </div>
          )}
          {data && (
            <p role="status" aria-label="older events" className="px-3 py-2 text-center text-xs text-slate-500">
              {isFetchingNextPage ? "Loading older events…" : hasNextPage === false && events.length > 0 ? "The oldest event matching these filters." : ""}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

type EventTableInstance = ReturnType<typeof useTable<typeof features, SecurityEvent>>;

/** One row: the wide grid of columns, or on a phone two lines (time and severity, then source and what happened). */
const EventRowView = memo(function EventRowView({
  row,
  start,
  height,
  selected,
  onSelect,
  narrow,
  table,
}: {
  row: Row<typeof features, SecurityEvent>;
  start: number;
  height: number;
  selected: boolean;
  onSelect: (id: number) => void;
  narrow: boolean;
  table: EventTableInstance;
}) {
  const e = row.original;
  const open = () => onSelect(e.id);
  const onKey = (k: KeyboardEvent) => {
    if (k.key === "Enter" || k.key === " ") {
      k.preventDefault();
      open();
    }
  };
  const base = `absolute left-0 top-0 w-full cursor-pointer border-b border-slate-800/70 px-3 text-sm outline-none focus-visible:bg-slate-800 ${selected ? "bg-sky-950/70" : "hover:bg-slate-900"}`;
  if (narrow) {
    const source = sourceOf(e);
    return (
      <div role="row" tabIndex={0} aria-selected={selected} data-event-id={e.id} onClick={open} onKeyDown={onKey} className={`${base} flex flex-col justify-center gap-0.5`} style={{ height, transform: `translateY(${start}px)` }}>
        <div className="flex items-center gap-2 text-xs">
          <SeverityBadge severity={e.severity} />
          <LocalTime ms={e.time} className="tabular-nums text-slate-400" />
          <span className="ml-auto truncate font-mono text-slate-300">{source ?? e.user ?? ""}</span>
        </div>
        <div role="cell" className="truncate text-slate-100">
          {summaryOf(e)}
        </div>
      </div>
    );
  }
  return (
    <div
      role="row"
      tabIndex={0}
      aria-selected={selected}
      data-event-id={e.id}
      onClick={open}
      onKeyDown={onKey}
      className={`${base} grid ${GRID} items-center gap-x-3`}
      style={{ height, transform: `translateY(${start}px)` }}
    >
      {row.getAllCells().map((cell) => (
        <div role="cell" key={cell.id} className={`min-w-0 truncate ${cell.column.columnDef.meta?.cell ?? ""}`}>
          <table.FlexRender cell={cell} />
        </div>
      ))}
    </div>
  );
});
