import type { SecurityEvent } from "@/lib/contracts/events";
import { localDateTime } from "@/components/ui/time";

/** Every field of the selected event, as text. */
export function EventDetail({ event, onClose }: { event: SecurityEvent; onClose: () => void }) {
  const fields: [string, string | null][] = [
    // shown only after a click, so the viewer's zone is known
    ["time", `${localDateTime(event.time)} (${new Date(event.time).toISOString()})`],
    ["kind", event.kind],
    ["severity", event.severity],
    ["source", event.source],
    ["src_ip", event.src_ip],
    ["dst_ip", event.dst_ip],
    ["user", event.user],
    ["signature", event.signature],
    ["message", event.message],
  ];
  return (
    <div aria-label="event detail" className="mt-2 rounded-md border border-slate-700 bg-slate-950 p-3 text-xs">
      <div className="mb-2 flex items-center justify-between">
        <span className="font-semibold text-slate-200">Event #{event.id}</span>
        <button type="button" onClick={onClose} className="rounded px-2 py-0.5 text-slate-400 hover:bg-slate-800 hover:text-slate-100">
          Close
        </button>
      </div>
      <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-3 gap-y-1">
        {fields
          .filter(([, v]) => v !== null)
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-500">{k}</dt>
              <dd className="break-words font-mono text-slate-200 [overflow-wrap:anywhere]">{v}</dd>
            </div>
          ))}
      </dl>
      {event.attributes && (
        <pre className="mt-2 max-h-40 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-900 p-2 text-slate-300 [overflow-wrap:anywhere]">
          {JSON.stringify(event.attributes, null, 2)}
        </pre>
      )}
    </div>
  );
}
