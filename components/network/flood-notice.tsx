"use client";

import { useMemo } from "react";
import type { NodeTileView } from "@/lib/contracts/network";
import { count } from "./format";

/** Down nodes at or above this many (or a tenth of the fleet) are a flood: say it, grouped by kind. */
export const FLOOD_DOWN = 10;

/**
 * When many nodes are down at once, one line says how many and where (down nodes by kind, the
 * largest groups first), with a way to show only them: the grid already puts them first.
 */
export function FloodNotice({ nodes, down, total, onShowDown }: { nodes: readonly NodeTileView[]; down: number; total: number; onShowDown: () => void }) {
  const flood = down >= FLOOD_DOWN || (total > 0 && down / total >= 0.1 && down > 1);
  const groups = useMemo(() => {
    if (!flood) return [];
    const byKind = new Map<string, number>();
    for (const n of nodes) {
      if (n.status !== "down") break; // worst first: the down nodes lead
      byKind.set(n.kind, (byKind.get(n.kind) ?? 0) + 1);
    }
    return [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 4);
  }, [flood, nodes]);
  if (!flood) return null;
  return (
    <div role="alert" className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-red-500/50 bg-red-950/40 px-3 py-2 text-sm text-red-200">
      <strong className="font-semibold" data-testid="flood-count">{count(down)} nodes down</strong>
      <span className="text-red-300/90">{groups.map(([kind, n]) => `${count(n)} ${kind.replace("_", " ")}`).join(" · ")}</span>
      <span className="text-red-300/70">shown first</span>
      <button type="button" onClick={onShowDown} className="ml-auto rounded border border-red-400/50 px-2 py-0.5 text-xs hover:bg-red-900/40">
        Show only down
      </button>
    </div>
  );
}
