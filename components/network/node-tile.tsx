"use client";

import { memo } from "react";
import type { NodeTileView } from "@/lib/contracts/network";
import { latency } from "@/components/ui/format";
import { STATUS_STYLE } from "./status";
import { SparkPath, SparkStrip } from "./spark-path";
import { Since } from "./since";

/** Height of a tile in the grid, px (the virtualiser lays rows out from it). */
export const TILE_HEIGHT = 96;

/**
 * One node: status (and since when, when not up), last latency, a sparkline and the strip of
 * its recent checks. Memoised: a heartbeat for another node leaves
 * this tile's props (its node object, a stable onOpen) unchanged, so it does not render.
 */
export const NodeTile = memo(function NodeTile({ node, parentName, onOpen }: { node: NodeTileView; parentName?: string; onOpen: (id: number) => void }) {
  const style = STATUS_STYLE[node.status];
  return (
    <article
      aria-label={`node ${node.name}`}
      data-node-tile=""
      data-status={node.status}
      style={{ height: TILE_HEIGHT }}
      className={`relative flex min-w-0 flex-col gap-1 overflow-hidden rounded-md border bg-slate-950/60 px-2.5 py-2 hover:bg-slate-900 ${style.ring}`}
    >
      <div className="flex min-w-0 items-center gap-2">
        <span className={`h-2.5 w-2.5 shrink-0 rounded-full ${style.dot}`} aria-hidden />
        <h3 className="min-w-0 truncate text-sm font-medium text-slate-100" title={node.key}>
          {/* the whole tile is the button's hit area (after:inset-0) */}
          <button type="button" onClick={() => onOpen(node.id)} className="text-left after:absolute after:inset-0 after:rounded-md after:content-[''] focus-visible:outline-none focus-visible:after:ring-2 focus-visible:after:ring-sky-400">
            {node.name}
          </button>
        </h3>
        {node.critical && <span className="ml-auto shrink-0 text-[10px] font-semibold uppercase text-slate-400">critical</span>}
      </div>
      <div className="flex min-w-0 items-baseline justify-between gap-2 text-xs text-slate-400">
        <span className="truncate" title={node.reason ?? undefined}>
          {node.status === "up" ? (
            node.kind.replace("_", " ")
          ) : (
            // a down tile says DOWN on the right already: the left says for how long
            <span className={style.text}>
              {node.status === "down" ? (node.since ? "for" : "") : style.label}
              {node.since ? <Since ms={node.since} className="ml-1" /> : null}
            </span>
          )}
          {parentName ? ` · via ${parentName}` : ""}
        </span>
        <span className={`shrink-0 font-mono tabular-nums ${node.status === "down" ? "font-semibold text-red-400" : "text-slate-200"}`}>
          {node.status === "down" ? "DOWN" : latency(node.last_latency_ms)}
        </span>
      </div>
      <SparkPath spark={node.spark} stroke={style.stroke} />
      <SparkStrip spark={node.spark} />
    </article>
  );
});
