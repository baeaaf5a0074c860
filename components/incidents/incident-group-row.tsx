"use client";

import { memo, useEffect } from "react";
import type { IncidentGroup } from "@/lib/contracts/incidents";
import { Ago } from "@/components/ui/time";
import { bySeverity, formatCount } from "./format";

/** One line for a flood: the rule, how many of its incidents are active, the worst of them, and a control to see them. */
export const IncidentGroupRow = memo(function IncidentGroupRow({
  group: g,
  expanded,
  onToggle,
}: {
  group: IncidentGroup;
  expanded: boolean;
  onToggle: (group: IncidentGroup) => void;
}) {
  const total = g.open + g.acknowledged;
  const severities = bySeverity(g.open_severity);
  return (
    <button
      type="button"
      aria-expanded={expanded}
      onClick={() => onToggle(g)}
      className={`flex min-h-11 w-full flex-wrap items-center gap-x-3 gap-y-1 rounded-md border px-3 py-2 text-left ${g.open ? "border-red-500/40 bg-red-950/30" : "border-slate-700 bg-slate-900/60"} hover:bg-slate-800/80`}
    >
      <span aria-hidden className="w-3 text-slate-400">
        {expanded ? "▾" : "▸"}
      </span>
      <span className="min-w-0 break-all font-mono text-sm font-semibold text-slate-100">{g.rule}</span>
      <span className="text-sm font-semibold tabular-nums text-slate-100">× {formatCount(total)}</span>
      <span className="text-xs text-slate-400">{g.pane}</span>
      <span className="flex flex-wrap gap-x-2 text-xs tabular-nums text-slate-300">
        {g.open > 0 && <span className="text-red-300">— {formatCount(g.open)} open</span>}
        {severities.map(([severity, n]) => (
          <span key={severity}>
            {formatCount(n)} {severity}
          </span>
        ))}
        {g.acknowledged > 0 && <span className="text-sky-300">{formatCount(g.acknowledged)} acknowledged</span>}
      </span>
      <span className="ml-auto whitespace-nowrap text-xs text-slate-500">
        last <Ago ms={g.last_seen} />
      </span>
    </button>
  );
});

/** The end of an expanded group while some of its incidents are not loaded: loads the next page when it scrolls into view. */
export function IncidentGroupMore({
  total,
  shown,
  loading,
  error,
  onReach,
  onClick,
}: {
  total: number;
  shown: number;
  loading: boolean;
  error?: string;
  /** called when the line is mounted, i.e. the virtual list scrolled to it */
  onReach: () => void;
  onClick: () => void;
}) {
  // mounted only when the virtual list shows it: reaching the end of what is loaded asks for more
  useEffect(() => {
    if (!error) onReach();
  }, [onReach, error]);
  return (
    <div className="flex items-center gap-3 px-3 py-2 text-xs text-slate-400">
      <span className="tabular-nums">
        {formatCount(shown)} of {formatCount(total)} shown
      </span>
      {error && <span className="text-amber-300">{error}</span>}
      <button type="button" disabled={loading} onClick={onClick} className="min-h-9 rounded border border-slate-600 px-3 text-slate-200 disabled:opacity-50">
        {loading ? "Loading…" : "Show more"}
      </button>
    </div>
  );
}
