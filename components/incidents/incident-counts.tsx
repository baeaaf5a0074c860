"use client";

import type { IncidentCounts as Counts } from "@/lib/contracts/incidents";
import { bySeverity, formatCount } from "./format";

const TEXT: Record<string, string> = { critical: "text-red-300", high: "text-orange-300", medium: "text-yellow-200", low: "text-sky-300", info: "text-slate-300" };

/** The true counts of the active set, from the server and kept current by the live fold: "2,133 open · 12 acknowledged". */
export function IncidentCounts({ counts }: { counts: Counts | undefined }) {
  if (!counts) return null;
  const severities = bySeverity(counts.open_severity);
  return (
    <p aria-label="incident counts" className="flex flex-wrap items-center justify-end gap-x-3 gap-y-0.5 text-xs tabular-nums text-slate-400">
      <span>
        <span className={counts.open ? "font-semibold text-red-400" : ""}>{formatCount(counts.open)} open</span> · {formatCount(counts.acknowledged)} acknowledged
      </span>
      {severities.length > 0 && (
        <span aria-label="open by severity" className="flex gap-x-2">
          {severities.map(([severity, n]) => (
            <span key={severity} className={TEXT[severity] ?? TEXT.info}>
              {formatCount(n)} {severity}
            </span>
          ))}
        </span>
      )}
    </p>
  );
}
