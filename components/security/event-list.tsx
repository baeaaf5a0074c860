"use client";

import { useEffect, useRef, useState } from "react";
import type { SecurityEvent } from "@/lib/contracts/events";
import { EventRow } from "./event-row";
import { EventDetail } from "./event-detail";

/**
 * The live event list. While the reader is scrolled down or has an event open, the list holds
 * still: newer events wait behind an "N new" marker instead of pushing rows around.
 */
export function EventList({ events }: { events: SecurityEvent[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrolled, setScrolled] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [anchor, setAnchor] = useState<number | null>(null);
  const held = scrolled || selectedId !== null;
  const newest = events[0]?.id ?? 0;

  useEffect(() => {
    if (held) setAnchor((a) => a ?? newest);
    else setAnchor(null);
  }, [held, newest]);

  const shown = anchor === null ? events : events.filter((e) => e.id <= anchor);
  const waiting = anchor === null ? 0 : events.length - shown.length;
  const selected = selectedId === null ? null : (events.find((e) => e.id === selectedId) ?? null);

  const showNew = () => {
    setSelectedId(null);
    setScrolled(false);
    scroller.current?.scrollTo({ top: 0 });
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="relative min-h-0 flex-1">
        {waiting > 0 && (
          <button
            type="button"
            onClick={showNew}
            className="absolute left-1/2 top-1 z-10 -translate-x-1/2 rounded-full bg-sky-600 px-3 py-1 text-xs font-semibold text-white shadow-lg hover:bg-sky-500"
          >
            {waiting} new
          </button>
        )}
        <div
          ref={scroller}
          onScroll={(e) => setScrolled(e.currentTarget.scrollTop > 4)}
          className="h-[26rem] overflow-y-auto pr-1"
          aria-label="security events"
          role="region"
        >
          {shown.length === 0 ? (
            <p className="p-3 text-sm text-slate-400">No security events yet. POST them to /api/v1/events.</p>
          ) : (
            <ul className="flex flex-col">
              {shown.map((e) => (
                <EventRow key={e.id} event={e} selected={e.id === selectedId} onSelect={() => setSelectedId(e.id === selectedId ? null : e.id)} />
              ))}
            </ul>
          )}
        </div>
      </div>
      {selected && <EventDetail event={selected} onClose={() => setSelectedId(null)} />}
    </div>
  );
}
