"use client";

import { memo, useState } from "react";
import type { Incident } from "@/lib/contracts/incidents";
import { SeverityBadge } from "@/components/ui/severity";
import { Ago } from "@/components/ui/time";
import type { IncidentActionKind } from "./use-incident-action";
import { IncidentTimeline } from "./incident-timeline";
import { formatCount } from "./format";

interface Props {
  incident: Incident;
  busy: boolean;
  /** whether the signed-in person may act on this incident's pane */
  mayAct: boolean;
  /** why the last action did not go through; a conflict (someone else was first) is news, not a failure */
  error?: { message: string; conflict: boolean };
  /** stable across renders, so a row re-renders only when its own incident, state or error changes */
  onAction: (incident: Incident, action: IncidentActionKind) => void;
}

/**
 * One incident with what it is, how long it has gone on, who holds it, and its actions. The
 * `<li>` around it belongs to the list (it carries the virtual row's index and measuring ref);
 * this body is memoised.
 */
export const IncidentCard = memo(function IncidentCard({ incident: i, busy, mayAct, error, onAction }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <div
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
        {i.explanation && <p className="break-words text-xs text-slate-300">{i.explanation}</p>}
        <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-400">
          <span>{i.pane}</span>
          {i.mitre && <MitreLink technique={i.mitre} />}
          <span className="tabular-nums">×{formatCount(i.count)}</span>
          <span className="whitespace-nowrap">
            since <Ago ms={i.first_seen} />
          </span>
          <span className="whitespace-nowrap">
            last <Ago ms={i.last_seen} />
          </span>
          {i.status === "acknowledged" && (
            <span className="min-w-0 break-words text-sky-300">
              {i.snoozed_until !== null ? "snoozed" : "acknowledged"} by <b className="font-semibold">{i.acknowledged_by}</b> {i.acknowledged_at !== null && <Ago ms={i.acknowledged_at} />}
            </span>
          )}
          {i.assignee && (
            <span className="min-w-0 break-words text-violet-300">
              assigned to <b className="font-semibold">{i.assignee}</b>
            </span>
          )}
        </p>
        {open && <IncidentTimeline id={i.id} version={i.version} />}
        {open && (
          <span className="flex flex-wrap gap-3 text-xs">
            <a href={`/incidents/${i.id}`} className="text-sky-300 hover:underline">
              Work on it: assign, note, snooze →
            </a>
            {i.pane === "security" && (
              <a href={`/security?incident=${i.id}&range=all`} className="text-sky-300 hover:underline">
                Evidence events →
              </a>
            )}
          </span>
        )}
        {error && (
          <p role="alert" className={`break-words text-xs ${error.conflict ? "text-sky-300" : "text-amber-300"}`}>
            {error.message}
          </p>
        )}
      </div>
      {mayAct && (
        <div className="flex shrink-0 gap-2">
          {i.status === "open" && (
            <button
              type="button"
              disabled={busy}
              onClick={() => onAction(i, "ack")}
              className="min-h-11 flex-1 rounded bg-sky-700 px-4 text-sm font-semibold text-white hover:bg-sky-600 disabled:opacity-50 sm:flex-none lg:min-h-9 lg:px-3 lg:text-xs"
            >
              Acknowledge
            </button>
          )}
          <button
            type="button"
            disabled={busy}
            onClick={() => onAction(i, "resolve")}
            className="min-h-11 rounded border border-slate-600 px-4 text-sm font-semibold text-slate-200 hover:bg-slate-800 disabled:opacity-50 lg:min-h-9 lg:px-3 lg:text-xs"
          >
            Resolve
          </button>
        </div>
      )}
    </div>
  );
});

/** A MITRE ATT&CK technique id (T1110 or T1110.001) as a link to its page; anything else as plain text. */
export function MitreLink({ technique }: { technique: string }) {
  const m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(technique);
  if (!m) return <span>{technique}</span>;
  return (
    <a
      href={`https://attack.mitre.org/techniques/T${m[1]}/${m[2] ? `${m[2]}/` : ""}`}
      target="_blank"
      rel="noopener noreferrer"
      className="font-mono text-amber-300 hover:underline"
      title="MITRE ATT&CK technique"
    >
      {technique}
    </a>
  );
}
