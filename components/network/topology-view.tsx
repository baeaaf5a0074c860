"use client";

import { useCallback, useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { NodeTileView } from "@/lib/contracts/network";
import { buildForest, flattenForest } from "./topology";
import { FAILING } from "./grouping";
import { TopologyRowView, TOPOLOGY_ROW } from "./topology-row";

/**
 * The dependency tree (parent → children) as a virtualised list of indented rows: the DOM holds
 * the rows in view plus a margin, whatever the fleet. Failing subtrees start expanded and all-up
 * ones collapsed; the reader's own toggles are kept by node id. With `match` (a status or a
 * search), the matching nodes show with the path down to them.
 */
export function TopologyView({ nodes, match, onOpen }: { nodes: readonly NodeTileView[]; match?: (n: NodeTileView) => boolean; onOpen: (id: number) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [toggled, setToggled] = useState<ReadonlyMap<number, boolean>>(new Map());
  const forest = useMemo(() => buildForest(nodes), [nodes]);
  const rows = useMemo(() => flattenForest(forest, toggled, match), [forest, toggled, match]);
  const onToggle = useCallback((id: number, expanded: boolean) => setToggled((prev) => new Map(prev).set(id, !expanded)), []);
  const getItemKey = useCallback((i: number) => rows[i]?.item.node.id ?? i, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TOPOLOGY_ROW,
    getItemKey,
    overscan: 8,
  });

  return (
    <div ref={scrollRef} className="max-h-[min(70vh,56rem)] overflow-y-auto overscroll-contain" data-testid="topology" data-rows={rows.length}>
      <ul aria-label="topology" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index];
          if (!row) return null;
          const { item } = row;
          let failing = 0;
          for (const s of FAILING) failing += item.below[s];
          return (
            <TopologyRowView
              key={item.node.id}
              node={item.node}
              depth={row.depth}
              top={v.start}
              expanded={row.expanded}
              childCount={item.children.length}
              size={item.size}
              unreachableBelow={item.below.unreachable}
              failingBelow={failing}
              mark={item.mark}
              onToggle={onToggle}
              onOpen={onOpen}
            />
          );
        })}
      </ul>
    </div>
  );
}
