"use client";

import { useCallback, useMemo, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { NodeTileView } from "@/lib/contracts/network";
import { NodeTile, TILE_HEIGHT } from "./node-tile";
import { GroupHeader, GROUP_HEADER_HEIGHT } from "./group-header";
import { gridRows, type NodeGroup } from "./grouping";
import { useElementWidth } from "./use-element-width";

const MIN_TILE = 160;
const GAP = 8;
const ROW = TILE_HEIGHT + GAP;
const NO_GROUPS = new Set<string>();

/**
 * The node tiles, virtualised by rows: N tiles a row where N follows the grid's width (measured
 * with a ResizeObserver), and only the rows in view plus a margin in the DOM, whatever the count.
 * With `groups`, each group's header is a row of its own before the group's tiles (none while
 * collapsed). Tiles are siblings keyed by node id, each in a positioned wrapper: when the order
 * changes (a node goes down and moves to the front) only wrappers move; the memoised tiles
 * neither remount nor render. Nothing renders before the width is known (the server's HTML and
 * the first render agree).
 */
export function TileGrid({
  nodes,
  groups = null,
  groupBy = "",
  collapsed = NO_GROUPS,
  onToggleGroup,
  parentNames,
  onOpen,
}: {
  nodes: readonly NodeTileView[];
  groups?: readonly NodeGroup[] | null;
  groupBy?: string;
  collapsed?: ReadonlySet<string>;
  onToggleGroup?: (id: string) => void;
  parentNames: ReadonlyMap<number, string>;
  onOpen: (id: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scrollRef);
  const columns = width ? Math.max(1, Math.floor((width + GAP) / (MIN_TILE + GAP))) : 1;
  const rows = useMemo(() => (width ? gridRows(nodes, groups, columns, collapsed) : []), [width, nodes, groups, columns, collapsed]);
  // a new key function when the rows change makes the virtualiser re-measure (a header and a tile row differ in height)
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === "header" ? GROUP_HEADER_HEIGHT : ROW),
    getItemKey,
    overscan: 4,
  });
  const tileWidth = `calc((100% - ${(columns - 1) * GAP}px) / ${columns})`;
  const toggle = onToggleGroup ?? (() => {});

  return (
    <div ref={scrollRef} className="max-h-[min(70vh,56rem)] overflow-y-auto overscroll-contain" data-testid="node-grid" data-columns={columns}>
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().flatMap((v) => {
          const row = rows[v.index];
          if (!row) return [];
          if (row.kind === "header") {
            return [
              <div key={row.key} style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}>
                <GroupHeader group={row.group} by={groupBy} collapsed={row.collapsed} onToggle={toggle} />
              </div>,
            ];
          }
          return row.nodes.map((node, col) => (
            <div
              key={node.id}
              style={{ position: "absolute", top: 0, width: tileWidth, left: `calc((${tileWidth} + ${GAP}px) * ${col})`, transform: `translateY(${v.start}px)` }}
            >
              <NodeTile node={node} parentName={node.parent_id ? parentNames.get(node.parent_id) : undefined} onOpen={onOpen} />
            </div>
          ));
        })}
      </div>
    </div>
  );
}
