import { memo } from "react";
import type { SecurityEvent } from "@/lib/contracts/events";
import { SeverityBadge } from "@/components/ui/severity";
import { LocalTime } from "@/components/ui/time";

/** The one-line summary of an event: signature for IDS alerts, the message otherwise. */
export function eventSummary(e: SecurityEvent): string {
  return e.signature ?? e.message ?? (e.user ? `user ${e.user}` : e.kind);
}

/**
 * An event in two lines, legible from a 390 px phone to a wall screen: severity, kind and
 * the full date and time in the viewer's zone, then the source and the summary.
 */
export const EventRow = memo(function EventRow({ event, selected, onSelect }: { event: SecurityEvent; selected: boolean; onSelect: (e: SecurityEvent) => void }) {
  const summary = eventSummary(event);
  return (
    <button
      type="button"
      onClick={() => onSelect(event)}
      aria-pressed={selected}
      className={`flex w-full flex-col gap-0.5 rounded px-2 py-1 text-left text-xs hover:bg-slate-800/70 ${selected ? "bg-slate-800 ring-1 ring-sky-600" : ""}`}
    >
      <span className="flex w-full min-w-0 items-center gap-2">
        <SeverityBadge severity={event.severity} />
        <span className="shrink-0 text-slate-400">{event.kind.replace("_", " ")}</span>
        <LocalTime ms={event.time} className="ml-auto shrink-0 font-mono text-[11px] text-slate-400 tabular-nums" />
      </span>
      <span className="flex w-full min-w-0 items-center gap-2">
        <span className="max-w-[45%] shrink-0 truncate font-mono text-slate-300">{event.src_ip ?? "–"}</span>
        <span className="min-w-0 flex-1 truncate text-slate-100" title={summary.slice(0, 500)}>
          {summary}
        </span>
      </span>
    </button>
  );
});
