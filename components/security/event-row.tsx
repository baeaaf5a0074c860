import type { SecurityEvent } from "@/lib/contracts/events";
import { SeverityBadge } from "@/components/ui/severity";
import { LocalTime } from "@/components/ui/time";

/** The one-line summary of an event: signature for IDS alerts, the message otherwise. */
export function eventSummary(e: SecurityEvent): string {
  return e.signature ?? e.message ?? (e.user ? `user ${e.user}` : e.kind);
}

export function EventRow({ event, selected, onSelect }: { event: SecurityEvent; selected: boolean; onSelect: () => void }) {
  return (
    <li>
      <button
        type="button"
        onClick={onSelect}
        aria-pressed={selected}
        className={`grid w-full grid-cols-[4.5rem_5.5rem_7rem_minmax(0,1fr)_4.5rem] items-center gap-2 rounded px-2 py-1 text-left text-xs hover:bg-slate-800/70 ${selected ? "bg-slate-800 ring-1 ring-sky-600" : ""}`}
      >
        <SeverityBadge severity={event.severity} />
        <span className="truncate text-slate-400">{event.kind.replace("_", " ")}</span>
        <span className="truncate font-mono text-slate-300">{event.src_ip ?? "–"}</span>
        <span className="truncate text-slate-100" title={eventSummary(event).slice(0, 500)}>
          {eventSummary(event)}
        </span>
        <LocalTime ms={event.time} date={false} className="text-right font-mono text-slate-400 tabular-nums" />
      </button>
    </li>
  );
}
