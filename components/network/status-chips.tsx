"use client";

import type { NodeStatus, StatusCounts } from "@/lib/contracts/network";
import { STATUS_STYLE } from "./status";
import { count } from "./format";

const CHIPS: NodeStatus[] = ["down", "unreachable", "flapping", "degraded", "pending", "maintenance", "up"];

/** True counts by status, one chip each; a chip filters the grid to that status (again: all). */
export function StatusChips({ counts, total, filter, onFilter }: { counts: StatusCounts; total: number; filter: NodeStatus | null; onFilter: (s: NodeStatus | null) => void }) {
  const chip = "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium tabular-nums";
  return (
    <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="network summary">
      <button
        type="button"
        aria-pressed={filter === null}
        onClick={() => onFilter(null)}
        className={`${chip} ${filter === null ? "border-slate-500 bg-slate-700 text-white" : "border-slate-700 text-slate-300 hover:bg-slate-800"}`}
      >
        <span data-testid="count-all">{count(total)}</span> all
      </button>
      {CHIPS.map((s) => (
        <button
          key={s}
          type="button"
          aria-pressed={filter === s}
          onClick={() => onFilter(filter === s ? null : s)}
          className={`${chip} ${STATUS_STYLE[s].text} ${filter === s ? "border-slate-400 bg-slate-700" : "border-slate-700 hover:bg-slate-800"} ${counts[s] === 0 && filter !== s ? "opacity-60" : ""}`}
        >
          <span className={`h-2 w-2 rounded-full ${STATUS_STYLE[s].dot.replace(" animate-pulse", "")}`} aria-hidden />
          <span data-testid={`count-${s}`}>{count(counts[s])}</span> {STATUS_STYLE[s].label}
        </button>
      ))}
    </div>
  );
}
