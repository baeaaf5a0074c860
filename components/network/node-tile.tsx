"use client";

import type { NodeView } from "@/lib/contracts/network";
import { latency } from "@/components/ui/format";
import { STATUS_STYLE } from "./status";
import { CheckStrip } from "./check-strip";
import { LatencySparkline } from "./latency-sparkline";

/** One node: status, last latency, sparkline and recent checks. */
export function NodeTile({ node, parentName }: { node: NodeView; parentName?: string }) {
  const style = STATUS_STYLE[node.status];
  return (
    <article
      aria-label={`node ${node.name}`}
      data-status={node.status}
      className={`flex min-w-0 flex-col gap-1.5 rounded-md border bg-slate-950/60 p-2.5 ${style.ring}`}
    >
      <div className="flex items-center gap-2">
        <span className={`h-2.5 w-2.5 shrink-0 rounded-full ${style.dot}`} aria-hidden />
        <h3 className="truncate text-sm font-medium text-slate-100" title={node.key}>
          {node.name}
        </h3>
        {node.critical && <span className="ml-auto shrink-0 text-[10px] font-semibold uppercase text-slate-400">critical</span>}
      </div>
      <div className="flex items-baseline justify-between gap-2 text-xs text-slate-400">
        <span className="truncate">
          {node.kind.replace("_", " ")}
          {parentName ? ` · via ${parentName}` : ""}
        </span>
        <span className={`shrink-0 font-mono tabular-nums ${node.status === "down" ? "text-red-400" : "text-slate-200"}`}>
          {node.status === "down" ? "DOWN" : latency(node.last_latency_ms)}
        </span>
      </div>
      <LatencySparkline checks={node.checks} stroke={style.stroke} />
      <CheckStrip checks={node.checks} />
    </article>
  );
}
