"use client";

import { memo } from "react";
import type { NodeGroup } from "./grouping";
import { WORST_FIRST } from "./grouping";
import { STATUS_STYLE } from "./status";
import { count } from "./format";

/** Height of a group's header row in the grid, px. */
export const GROUP_HEADER_HEIGHT = 40;

/**
 * A group's header: its tag value, its true node count and counts by status (worst first, the
 * zero ones left out), and a button that collapses or expands the group's tiles.
 */
export const GroupHeader = memo(function GroupHeader({ group, by, collapsed, onToggle }: { group: NodeGroup; by: string; collapsed: boolean; onToggle: (id: string) => void }) {
  const label = group.value ?? `no ${by}`;
  const partial = group.total > group.nodes.length;
  return (
    <div
      data-group-header=""
      data-group={group.id}
      style={{ height: GROUP_HEADER_HEIGHT - 6 }}
      className="flex min-w-0 items-center gap-3 overflow-hidden rounded-md border border-slate-800 bg-slate-900 px-2"
    >
      <h3 className="min-w-0 shrink truncate text-sm font-semibold text-slate-100">
        <button type="button" aria-expanded={!collapsed} onClick={() => onToggle(group.id)} className="flex min-w-0 items-center gap-1.5 text-left hover:text-white">
          <span aria-hidden className={`inline-block w-3 shrink-0 text-slate-400 transition-transform ${collapsed ? "" : "rotate-90"}`}>
            ▸
          </span>
          <span className={`truncate ${group.value === null ? "italic text-slate-400" : ""}`}>{label}</span>
        </button>
      </h3>
      <span className="shrink-0 text-xs tabular-nums text-slate-400" data-count="total" title={partial ? `${count(group.nodes.length)} of them loaded` : undefined}>
        {count(group.total)}
      </span>
      <ul className="ml-auto flex min-w-0 shrink-0 items-center gap-2.5 text-xs tabular-nums" aria-label={`${label} by status`}>
        {WORST_FIRST.filter((s) => group.counts[s] > 0).map((s) => (
          <li key={s} className={`flex items-center gap-1 ${STATUS_STYLE[s].text}`}>
            <span className={`h-2 w-2 rounded-full ${STATUS_STYLE[s].dot.replace(" animate-pulse", "")}`} aria-hidden />
            <span data-count={s}>{count(group.counts[s])}</span>
            <span className="sr-only sm:not-sr-only">{STATUS_STYLE[s].label}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});
