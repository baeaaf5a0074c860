"use client";

import type { Incident } from "@/lib/contracts/incidents";
import { SeverityBadge } from "@/components/ui/severity";
import { Ago } from "@/components/ui/time";
import type { IncidentActionKind } from "./use-incident-action";
import { useState } from "react";
import { IncidentTimeline } from "./incident-timeline";

interface Props {
  incident: Incident;
  busy: boolean;
  /** whether the signed-in person may act on this incident's pane */
  mayAct: boolean;
  error?: string;
  onAction: (action: IncidentActionKind) => void;
}

/** One incident with what it is, how long it has gone on, who holds it, and its actions. */
export function IncidentCard({ incident: i, busy, mayAct, error, onAction }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <li
      aria-label={`incident ${i.title}`}
      data-status={i.status}
      className={`flex flex-col gap-2 rounded-md border p-3 sm:flex-row sm:items-center ${i.status === "open" ? "border-red-500/40 bg-red-950/20" : "border-slate-700 bg-slate-900/60"}`}
    >
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <div className="flex min-w-0 items-center gap-2">
          <SeverityBadge severity={i.severity} />
          <button
            type="button"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            className="min-w-0 break-words text-left text-sm font-medium text-slate-100 hover:underline sm:truncate"
          >
            {i.title}
          </button>
        </div>
        <p className="flex flex-wrap gap-x-3 text-xs text-slate-400">
          <span>{i.pane}</span>
          <span>×{i.count}</span>
          <span>since <Ago ms={i.first_seen} /></span>
          <span>last <Ago ms={i.last_seen} /></span>
          {i.status === "acknowledged" && (
            <span className="text-sky-300">
              acknowledged by <b className="font-semibold">{i.acknowledged_by}</b> {i.acknowledged_at !== null && <Ago ms={i.acknowledged_at} />}
            </span>
          )}
        </p>
        {open && <IncidentTimeline id={i.id} version={i.version} />}
        {error && (
          <p role="alert" className="text-xs text-amber-300">
            {error}
          </p>
        )}
      </div>
      {mayAct && (
      <div className="flex shrink-0 gap-2">
        {i.status === "open" && (
          <button
            type="button"
            disabled={busy}
            onClick={() => onAction("ack")}
            className="min-h-9 rounded bg-sky-700 px-3 text-xs font-semibold text-white hover:bg-sky-600 disabled:opacity-50"
          >
            Acknowledge
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={() => onAction("resolve")}
          className="min-h-9 rounded border border-slate-600 px-3 text-xs font-semibold text-slate-200 hover:bg-slate-800 disabled:opacity-50"
        >
          Resolve
        </button>
      </div>
      )}
    </li>
  );
}
