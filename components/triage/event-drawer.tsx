"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import type { EventDetailAnswer } from "@/lib/contracts/events";
import { triageQueries } from "@/lib/queries/triage-queries";
import { SeverityBadge } from "@/components/ui/severity";
import { localDateTime, useMounted } from "@/components/ui/time";
import { MitreLink } from "@/components/incidents/incident-card";
import type { UrlPatch } from "./use-triage-url";

/**
 * One event, loaded on its own by id: every field, the raw line as received (text, never markup),
 * the incidents it is evidence of with their explanation, and one-click pivots. It stays open
 * while the list behind it moves, pages or changes filter; Escape or Close shuts it.
 */
export function EventDrawer({ id, onClose, pivot }: { id: number; onClose: () => void; pivot: (patch: UrlPatch) => void }) {
  const { data, error, isPending } = useQuery(triageQueries.event(id));
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  useEffect(() => {
    closeRef.current?.focus({ preventScroll: true });
  }, [id]);
  return (
    <aside
      role="dialog"
      aria-label="event detail"
      aria-modal="false"
      className="fixed inset-0 z-30 flex flex-col overflow-hidden border-slate-700 bg-slate-950 shadow-2xl md:inset-y-0 md:left-auto md:right-0 md:w-[32rem] md:border-l"
    >
      <header className="flex items-center gap-2 border-b border-slate-800 px-4 py-3">
        {data && <SeverityBadge severity={data.event.severity} />}
        <h2 className="min-w-0 flex-1 truncate font-semibold text-slate-100">Event #{id}</h2>
        <button ref={closeRef} type="button" onClick={onClose} className="rounded px-2 py-1 text-sm text-slate-300 hover:bg-slate-800 hover:text-white">
          Close
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3 text-sm">
        {isPending && <p className="text-slate-400">Loading…</p>}
        {error && <p role="alert" className="text-red-300">{"status" in error && error.status === 404 ? "This event is no longer stored (past retention)." : `Could not load the event: ${error.message}`}</p>}
        {data && <Detail data={data} pivot={pivot} />}
      </div>
    </aside>
  );
}

function Detail({ data, pivot }: { data: EventDetailAnswer; pivot: (patch: UrlPatch) => void }) {
  const e = data.event;
  const mounted = useMounted();
  const source = e.src_ip ?? e.src_host;
  // a pivot replaces the narrowing filters (it keeps the time range) and shows the list
  const only = (patch: UrlPatch): UrlPatch => ({ kind: null, severity: null, src: null, dst: null, user: null, signature: null, service: null, q: null, incident: null, view: "events", ...patch });
  const fields: [string, ReactNode][] = [
    ["time", mounted ? `${localDateTime(e.time)} (your time) · ${new Date(e.time).toISOString()}` : new Date(e.time).toISOString()],
    ["received", mounted ? localDateTime(e.received_at) : new Date(e.received_at).toISOString()],
    ["kind", e.kind],
    ["service", e.service],
    ["source address", e.src_ip],
    ["source host", e.src_host],
    ["source port", e.src_port],
    ["destination", e.dst_ip],
    ["destination port", e.dst_port],
    ["protocol", e.proto],
    ["account", e.user],
    ["signature", e.signature],
    ["message", e.message],
    ["occurrences", e.occurrences > 1 ? e.occurrences : null],
    ["ingested via", e.source],
    ["fingerprint", e.fingerprint],
  ];
  return (
    <div className="flex flex-col gap-4">
      <section aria-label="pivots" className="flex flex-wrap gap-1.5">
        {source && <Pivot onClick={() => pivot(only({ src: source }))}>Everything from {source}</Pivot>}
        {e.user && <Pivot onClick={() => pivot(only({ user: e.user }))}>Everything for account {e.user}</Pivot>}
        {e.signature && <Pivot onClick={() => pivot(only({ signature: e.signature }))}>This signature</Pivot>}
        {e.service && <Pivot onClick={() => pivot(only({ service: e.service }))}>All {e.service}</Pivot>}
        <Pivot onClick={() => pivot({ range: null, since: String(e.time - 5 * 60_000), until: String(e.time + 5 * 60_000), view: "events" })}>± 5 minutes around it</Pivot>
      </section>
      {data.incidents.length > 0 && (
        <section aria-label="incidents">
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wider text-slate-500">Evidence of</h3>
          <ul className="flex flex-col gap-2">
            {data.incidents.map((i) => (
              <li key={i.id} className="rounded border border-slate-800 bg-slate-900 p-2">
                <div className="flex flex-wrap items-center gap-2">
                  <SeverityBadge severity={i.severity} />
                  <span className="font-medium text-slate-100">
                    #{i.id} {i.title}
                  </span>
                  <span className="text-xs text-slate-400">{i.status}</span>
                </div>
                {i.explanation && <p className="mt-1 text-slate-300">{i.explanation}</p>}
                <div className="mt-1 flex flex-wrap gap-3 text-xs">
                  <span className="text-slate-500">{i.rule}</span>
                  {i.mitre && <MitreLink technique={i.mitre} />}
                  <button type="button" onClick={() => pivot(only({ incident: String(i.id), range: "all" }))} className="text-sky-300 hover:underline">
                    All its evidence →
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <dl className="grid grid-cols-[7.5rem_minmax(0,1fr)] gap-x-3 gap-y-1.5 text-xs">
        {fields
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-500">{k}</dt>
              <dd className="whitespace-pre-wrap break-words font-mono text-slate-200 [overflow-wrap:anywhere]">{v}</dd>
            </div>
          ))}
      </dl>
      {e.attributes && Object.keys(e.attributes).length > 0 && (
        <section aria-label="attributes">
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wider text-slate-500">Attributes</h3>
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-900 p-2 text-xs text-slate-300 [overflow-wrap:anywhere]">{JSON.stringify(e.attributes, null, 2)}</pre>
        </section>
      )}
      <section aria-label="raw payload">
        <h3 className="mb-1 text-xs font-semibold uppercase tracking-wider text-slate-500">Raw line as received</h3>
        {e.raw === null ? (
          <p className="text-xs text-slate-500">Sent as JSON to /api/v1/events: the fields above are the whole event.</p>
        ) : (
          <pre data-testid="raw-payload" className="max-h-80 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-900 p-2 font-mono text-xs text-slate-200 [overflow-wrap:anywhere]">
            {e.raw}
          </pre>
        )}
      </section>
    </div>
  );
}

function Pivot({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" onClick={onClick} className="max-w-full truncate rounded-full bg-sky-900/50 px-2.5 py-1 text-xs text-sky-100 hover:bg-sky-800">
      {children}
    </button>
  );
}
