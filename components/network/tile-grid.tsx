"use client";

import { useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { NodeTileView } from "@/lib/contracts/network";
import { NodeTile, TILE_HEIGHT } from "./node-tile";
import { useElementWidth } from "./use-element-width";

const MIN_TILE = 160;
const GAP = 8;
const ROW = TILE_HEIGHT + GAP;

/**
 * The node tiles, virtualised by rows: N tiles a row where N follows the grid's width (measured
 * with a ResizeObserver), and only the rows in view plus a margin in the DOM, whatever the count.
 * Tiles are siblings keyed by node id, each in a positioned wrapper: when the order changes (a
 * node goes down and moves to the front) only wrappers move; the memoised tiles neither remount
 * nor render. Nothing renders before the width is known (the server's HTML and the first render agree).
 */
export function TileGrid({ nodes, parentNames, onOpen }: { nodes: readonly NodeTileView[]; parentNames: ReadonlyMap<number, string>; onOpen: (id: number) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scrollRef);
  const columns = width ? Math.max(1, Math.floor((width + GAP) / (MIN_TILE + GAP))) : 1;
  const rows = width ? Math.ceil(nodes.length / columns) : 0;
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 4,
  });
  const tileWidth = `calc((100% - ${(columns - 1) * GAP}px) / ${columns})`;

  return (
    <div ref={scrollRef} className="max-h-[min(70vh,56rem)] overflow-y-auto overscroll-contain" data-testid="node-grid" data-columns={columns}>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().flatMap((row) =>
          nodes.slice(row.index * columns, row.index * columns + columns).map((node, col) => (
            <div
              key={node.id}
              style={{ position: "absolute", top: 0, width: tileWidth, left: `calc((${tileWidth} + ${GAP}px) * ${col})`, transform: `translateY(${row.start}px)` }}
            >
              <NodeTile node={node} parentName={node.parent_id ? parentNames.get(node.parent_id) : undefined} onOpen={onOpen} />
            </div>
          )),
        )}
      </div>
    </div>
  );
}
