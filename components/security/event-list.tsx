"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { encodeCursor } from "@/lib/contracts/values/events";
import type { SecurityEvent } from "@/lib/contracts/events";
import { securityQueries } from "@/lib/queries/security-queries";
import { EventRow } from "./event-row";
import { EventDetail } from "./event-detail";
import { count as countText } from "@/components/ui/format";
import { NO_ROWS, useAfterMount } from "@/components/ui/use-after-mount";

const ROW_HEIGHT = 46;
/** Start loading the next older page this many rows before the end. */
const PREFETCH_ROWS = 30;

/** The rows as they were when the reader started reading, and the live total then. */
interface Frozen {
  events: SecurityEvent[];
  total: number;
}

/**
 * The event list, virtualised: the DOM holds the rows in view plus a margin, however long the
 * history. At the top with nothing open it follows the live head. Once the reader scrolls away
 * or opens an event it holds still: the rows are frozen as they were, newer events wait behind an
 * "N new" marker (counted from the live total), and scrolling down pages back through stored
 * history from the oldest frozen row. An open event stays open while the list moves or loads.
 */
export function EventList({ head, total, onHeldChange }: { head: SecurityEvent[]; total: number; onHeldChange?: (held: boolean) => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [frozen, setFrozen] = useState<Frozen | null>(null);
  const [selected, setSelected] = useState<SecurityEvent | null>(null);
  const live = useRef({ head, total });
  live.current = { head, total };

  const top = frozen?.events ?? head;
  const last = top.at(-1);
  const older = useInfiniteQuery({ ...securityQueries.older(last ? encodeCursor(last) : "0:0"), enabled: frozen !== null && last !== undefined });
  const olderRows = frozen ? (older.data?.pages.flatMap((p) => p.events) ?? []) : [];
  const rows = olderRows.length > 0 ? top.concat(olderRows) : top;
  const waiting = frozen ? Math.max(0, total - frozen.total) : 0;
  const held = frozen !== null;
  const heldChange = useRef(onHeldChange);
  heldChange.current = onHeldChange;
  useEffect(() => {
    heldChange.current?.(held);
  }, [held]);
  useEffect(() => () => heldChange.current?.(false), []);

  const freeze = useCallback(() => setFrozen((f) => f ?? { events: live.current.head, total: live.current.total }), []);
  const onScroll = () => {
    const away = (scroller.current?.scrollTop ?? 0) > 4;
    if (away) freeze();
    else if (!selected) setFrozen(null);
  };
  const onSelect = useCallback(
    (e: SecurityEvent) => {
      freeze();
      setSelected((s) => (s?.id === e.id ? null : e));
    },
    [freeze],
  );
  const close = () => {
    setSelected(null);
    if ((scroller.current?.scrollTop ?? 0) <= 4) setFrozen(null);
  };
  /** Shows the newest events: back to the top, the open event (if any) stays open. */
  const showNew = () => {
    scroller.current?.scrollTo({ top: 0 });
    setFrozen(selected ? { events: live.current.head, total: live.current.total } : null);
  };

  // rows from a transition after mount: a click held while hydrating is answered first (the
  // count is the list's from the start, so its height is the same before and after)
  const mounted = useAfterMount();
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i].id,
    overscan: 10,
  });
  const items = mounted ? virtualizer.getVirtualItems() : NO_ROWS;
  const lastShown = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isFetching } = older;
  useEffect(() => {
    if (frozen && hasNextPage && !isFetchingNextPage && lastShown >= rows.length - PREFETCH_ROWS) void fetchNextPage();
  }, [frozen, hasNextPage, isFetchingNextPage, fetchNextPage, lastShown, rows.length]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="relative min-h-0 flex-1">
        {waiting > 0 && (
          <button
            type="button"
            onClick={showNew}
            className="absolute left-1/2 top-1 z-10 -translate-x-1/2 rounded-full bg-sky-600 px-3 py-1 text-xs font-semibold text-white shadow-lg hover:bg-sky-500"
          >
            {countText(waiting)} new
          </button>
        )}
        <div ref={scroller} onScroll={onScroll} className="h-[26rem] overflow-y-auto pr-1 [overflow-anchor:none]" aria-label="security events" role="region">
          {rows.length === 0 ? (
            <p className="break-words p-3 text-sm text-slate-400">No security events yet. Send logs to /api/v1/ingest/suricata, /fast, /syslog or /transactions (or JSON to /api/v1/events).</p>
          ) : (
            <ul className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((v) => {
                const e = rows[v.index];
                return (
                  <li key={v.key} data-index={v.index} ref={virtualizer.measureElement} className="absolute left-0 top-0 w-full" style={{ transform: `translateY(${v.start}px)` }}>
                    <EventRow event={e} selected={e.id === selected?.id} onSelect={onSelect} />
                  </li>
                );
              })}
            </ul>
          )}
          {frozen && (
            <p role="status" aria-label="older events" className="px-2 py-2 text-center text-xs text-slate-500">
              {isFetching ? "Loading older events…" : hasNextPage === false ? "The oldest stored event." : ""}
            </p>
          )}
        </div>
      </div>
      {selected && <EventDetail event={selected} onClose={close} />}
    </div>
  );
}
