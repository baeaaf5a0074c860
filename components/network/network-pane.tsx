"use client";

import { IdleLink } from "@/components/ui/idle-link";
import { useCan } from "@/components/ui/me-context";

import { useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { networkQueries } from "@/lib/queries/live-queries";
import type { NodeStatus, StatusCounts } from "@/lib/contracts/network";
import { Pane } from "@/components/ui/pane";
import { StatusChips } from "./status-chips";
import { FloodNotice } from "./flood-notice";
import { TileGrid } from "./tile-grid";
import { TopologyView } from "./topology-view";
import { ViewControls } from "./view-controls";
import { NodeDetailPanel } from "./node-detail";
import { emptyCounts, groupNodes, tagKeys } from "./grouping";
import { useNetworkUrl } from "./use-network-url";
import { useShownNodes } from "./use-shown-nodes";
import { count } from "./format";

/**
 * Network health: true counts by status, then the nodes as a virtualised grid of tiles (worst
 * first, optionally grouped by a tag) or as the dependency tree; a node's detail on demand. The
 * view and the grouping are in the URL.
 */
export function NetworkPane() {
  const canManage = useCan("nodes:manage");
  const client = useQueryClient();
  const { data, error } = useQuery(networkQueries.summary());
  const { view, groupBy, set } = useNetworkUrl();
  const [filter, setFilter] = useState<NodeStatus | null>(null);
  const [search, setSearch] = useState("");
  const [openId, setOpenId] = useState<number | null>(null);
  const [collapsed, setCollapsed] = useState<{ by: string | null; ids: ReadonlySet<string> }>({ by: null, ids: new Set() });
  const q = useDeferredValue(search.trim().toLowerCase());

  const nodes = data?.nodes;
  const parentNames = useMemo(() => new Map((nodes ?? []).map((n) => [n.id, n.name])), [nodes]);
  const { shown, match, remote, remoteTotal, asking } = useShownNodes(data, filter, q);
  const keys = useMemo(() => tagKeys(nodes ?? []), [nodes]);

  // a truncated summary holds the most troubled nodes only: the headers' counts then come from the server
  const grouping = view === "tiles" ? groupBy : null;
  const truncated = !!data?.truncated;
  const server = useQuery({ ...networkQueries.groups(grouping ?? ""), enabled: !!grouping && truncated && !match });
  const groups = useMemo(() => {
    if (!grouping) return null;
    const counted = truncated && !match && server.data?.groups ? new Map(server.data.groups.map((g) => [g.value, { ...emptyCounts(), ...g.counts } as StatusCounts])) : undefined;
    return groupNodes(shown, grouping, counted);
  }, [grouping, shown, truncated, match, server.data]);
  const openGroups = collapsed.by === grouping ? collapsed.ids : undefined;
  const onToggleGroup = useCallback(
    (id: string) =>
      setCollapsed((prev) => {
        const ids = new Set(prev.by === grouping ? prev.ids : []);
        if (!ids.delete(id)) ids.add(id);
        return { by: grouping, ids };
      }),
    [grouping],
  );

  const opened = openId === null ? undefined : (nodes?.find((n) => n.id === openId) ?? shown.find((n) => n.id === openId));
  const onOpen = useCallback((id: number) => setOpenId(id), []);
  const onClose = useCallback(() => setOpenId(null), []);
  const onShowDown = useCallback(() => setFilter("down"), []);

  // a live delta named a node this summary does not hold (it is truncated): read it again
  const stale = data?.stale ?? false;
  useEffect(() => {
    if (!stale) return;
    const t = setTimeout(() => void client.invalidateQueries({ queryKey: networkQueries.summary().queryKey }), 2_000);
    return () => clearTimeout(t);
  }, [stale, client]);

  return (
    <Pane
      title="Network health"
      label="Network health"
      aside={
        canManage ? (
          <IdleLink href="/nodes/new" className="rounded bg-slate-800 px-2 py-0.5 text-xs text-sky-300 hover:bg-slate-700">
            New node →
          </IdleLink>
        ) : undefined
      }
    >
      {error && <p className="text-sm text-red-400">Could not load nodes: {error.message}</p>}
      {data && (
        <div className="flex flex-col gap-2.5">
          <StatusChips counts={data.counts} total={data.total} filter={filter} onFilter={setFilter} />
          <FloodNotice nodes={data.nodes} down={data.counts.down} total={data.total} onShowDown={onShowDown} />
          {data.total > 0 && (
            <div className="flex flex-wrap items-center gap-2">
              <input
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Search nodes by name or key"
                aria-label="search nodes"
                className="min-w-0 flex-1 basis-48 rounded border border-slate-700 bg-slate-950 px-2.5 py-1.5 text-sm text-slate-100 placeholder:text-slate-500"
              />
              <ViewControls view={view} groupBy={groupBy} keys={keys} onView={(v) => set({ view: v })} onGroupBy={(k) => set({ groupBy: k })} />
              <span className="text-xs tabular-nums text-slate-400" data-testid="shown-count">
                {count(remote ? remoteTotal : shown.length)} shown
              </span>
            </div>
          )}
          {data.truncated && !data.partial && (
            <p className="text-xs text-slate-400">
              The {count(data.nodes.length)} most troubled of {count(data.total)} nodes are loaded live; a status or search asks the server over every node
              {view === "topology" ? "; the tree shows the loaded nodes" : grouping ? "; group counts are the server's" : ""}.
            </p>
          )}
          {data.total === 0 && <p className="text-sm text-slate-400">No nodes yet. Push heartbeats to POST /api/v1/heartbeats or start the demo fleet.</p>}
          {data.total > 0 && shown.length === 0 && <p className="text-sm text-slate-400">{asking ? "Asking the server over every node…" : "No node matches."}</p>}
          {view === "topology" ? (
            <TopologyView nodes={nodes ?? []} match={match} onOpen={onOpen} />
          ) : (
            <TileGrid nodes={shown} groups={groups} groupBy={grouping ?? ""} collapsed={openGroups} onToggleGroup={onToggleGroup} parentNames={parentNames} onOpen={onOpen} />
          )}
        </div>
      )}
      {opened && <NodeDetailPanel tile={opened} onClose={onClose} />}
    </Pane>
  );
}
