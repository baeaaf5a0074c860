"use client";

import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { networkQueries } from "@/lib/queries/live-queries";
import type { NodeStatus } from "@/lib/contracts/network";
import { Pane } from "@/components/ui/pane";
import { NodeTile } from "./node-tile";

const ORDER: Record<NodeStatus, number> = { down: 0, degraded: 1, unknown: 2, up: 3 };

/** Network health: a summary line and a tile per node, troubled nodes first. */
export function NetworkPane() {
  const { data, error } = useQuery(networkQueries.snapshot());
  const nodes = data?.nodes ?? [];
  const names = useMemo(() => new Map(nodes.map((n) => [n.id, n.name])), [nodes]);
  const counts = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const n of nodes) counts[n.status] += 1;
  const sorted = nodes.slice().sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.id - b.id);

  const summary = (
    <p className="flex gap-3 text-xs font-medium tabular-nums" aria-label="network summary">
      <span className="text-emerald-400">{counts.up} up</span>
      <span className="text-amber-400">{counts.degraded} degraded</span>
      <span className="text-red-400">{counts.down} down</span>
      {counts.unknown > 0 && <span className="text-slate-400">{counts.unknown} no data</span>}
    </p>
  );

  return (
    <Pane title="Network health" label="Network health" aside={summary}>
      {error && <p className="text-sm text-red-400">Could not load nodes: {error.message}</p>}
      {!error && nodes.length === 0 && <p className="text-sm text-slate-400">No nodes yet. Push heartbeats to POST /api/v1/heartbeats or start the demo fleet.</p>}
      <div className="grid grid-cols-[repeat(auto-fill,minmax(11.5rem,1fr))] gap-2">
        {sorted.map((node) => (
          <NodeTile key={node.id} node={node} parentName={node.parent_id ? names.get(node.parent_id) : undefined} />
        ))}
      </div>
    </Pane>
  );
}
