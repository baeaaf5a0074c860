"use client";

import { memo } from "react";
import type { NodeTileView } from "@/lib/contracts/network";
import { latency } from "@/components/ui/format";
import type { RootMark } from "./topology";
import { STATUS_STYLE } from "./status";
import { Since } from "./since";
import { count } from "./format";

/** Height of a row of the topology, px. */
export const TOPOLOGY_ROW = 36;
/** Indent per level, px; deeper levels than MAX_INDENT are drawn at its depth (a phone stays readable). */
const INDENT = 16;
const MAX_INDENT = 10;

const MARK_TEXT: Record<RootMark, string> = { orphan: "parent not listed", cycle: "parent loop" };

/**
 * One node of the tree: indented by depth, a toggle for its children, status (and since when),
 * and what is below it. A down node is red with the count of dependants it made unreachable; an
 * unreachable node is grey. Memoised on primitive props and the node object, so a heartbeat for
 * one node renders one row.
 */
export const TopologyRowView = memo(function TopologyRowView({
  node,
  depth,
  top,
  expanded,
  childCount,
  size,
  unreachableBelow,
  failingBelow,
  mark,
  onToggle,
  onOpen,
}: {
  node: NodeTileView;
  depth: number;
  /** offset in the virtual list, px */
  top: number;
  expanded: boolean;
  childCount: number;
  size: number;
  unreachableBelow: number;
  failingBelow: number;
  mark?: RootMark;
  onToggle: (id: number, expanded: boolean) => void;
  onOpen: (id: number) => void;
}) {
  const style = STATUS_STYLE[node.status];
  const down = node.status === "down";
  const grey = node.status === "unreachable";
  return (
    <li
      aria-label={`node ${node.name}`}
      aria-level={depth + 1}
      data-topology-row=""
      data-status={node.status}
      data-depth={depth}
      style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${top}px)`, height: TOPOLOGY_ROW - 4, paddingLeft: Math.min(depth, MAX_INDENT) * INDENT + 4 }}
      className={`flex min-w-0 items-center gap-2 rounded pr-2 text-sm ${down ? "border border-red-500/60 bg-red-950/50" : "border border-transparent hover:bg-slate-800/60"} ${grey ? "opacity-60" : ""}`}
    >
      {childCount > 0 ? (
        <button
          type="button"
          aria-expanded={expanded}
          aria-label={`${expanded ? "collapse" : "expand"} ${node.name}`}
          onClick={() => onToggle(node.id, expanded)}
          className="w-5 shrink-0 rounded text-slate-400 hover:bg-slate-700 hover:text-slate-100"
        >
          <span aria-hidden className={`inline-block transition-transform ${expanded ? "rotate-90" : ""}`}>
            ▸
          </span>
        </button>
      ) : (
        <span className="w-5 shrink-0" aria-hidden>
          {depth > 0 ? <span className="block h-px w-3 bg-slate-700" /> : null}
        </span>
      )}
      <span className={`h-2.5 w-2.5 shrink-0 rounded-full ${style.dot}`} aria-hidden />
      <button type="button" onClick={() => onOpen(node.id)} className={`min-w-0 truncate text-left hover:underline ${down ? "font-semibold text-red-100" : grey ? "text-slate-400" : "text-slate-100"}`} title={node.key}>
        {node.name}
      </button>
      {node.status !== "up" && (
        <span className={`shrink-0 text-xs ${style.text}`} title={node.reason ?? undefined}>
          {style.label}
          {node.since ? <Since ms={node.since} className="ml-1" /> : null}
        </span>
      )}
      {mark && <span className="hidden shrink-0 text-[10px] uppercase text-amber-300/80 sm:inline">{MARK_TEXT[mark]}</span>}
      <span className="ml-auto flex shrink-0 items-center gap-2 text-xs tabular-nums">
        {down && unreachableBelow > 0 && (
          <span className="rounded bg-red-500/20 px-1.5 py-0.5 font-semibold text-red-200" data-testid="unreachable-below">
            {count(unreachableBelow)} unreachable
          </span>
        )}
        {!expanded && size > 0 && (
          <span className={failingBelow > 0 ? "text-amber-300" : "text-slate-500"} title={`${count(size)} below, ${count(failingBelow)} not healthy`}>
            +{count(size)}
          </span>
        )}
        <span className="hidden w-14 text-right font-mono text-slate-300 sm:inline">{down ? "" : latency(node.last_latency_ms)}</span>
      </span>
    </li>
  );
});
