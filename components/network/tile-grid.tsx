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
 * Nothing renders before the width is known (so the server's HTML and the first render agree).
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

  return (
    <div ref={scrollRef} className="max-h-[min(70vh,56rem)] overflow-y-auto overscroll-contain" data-testid="node-grid" data-columns={columns}>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            style={{ position: "absolute", top: 0, left: 0, right: 0, height: TILE_HEIGHT, transform: `translateY(${row.start}px)`, display: "grid", gap: GAP, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
          >
            {nodes.slice(row.index * columns, row.index * columns + columns).map((node) => (
              <NodeTile key={node.id} node={node} parentName={node.parent_id ? parentNames.get(node.parent_id) : undefined} onOpen={onOpen} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
