"use client";

import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { networkQueries } from "@/lib/queries/live-queries";
import type { NetworkSummary, NodeStatus, NodeTileView } from "@/lib/contracts/network";

/**
 * The nodes the pane shows for a status and a search: filtered in the browser when the summary
 * holds every node, asked of the server when it is truncated (then `remoteTotal` is the true
 * count). `match` is the same filter as a predicate (undefined when there is none).
 */
export function useShownNodes(data: NetworkSummary | undefined, filter: NodeStatus | null, q: string) {
  const nodes = data?.nodes;
  const remote = !!data?.truncated && (filter !== null || q !== "");
  const matches = useQuery({ ...networkQueries.search({ status: filter ?? undefined, q: q || undefined }), enabled: remote, placeholderData: (prev) => prev });
  const match = useMemo(
    () => (filter === null && q === "" ? undefined : (n: NodeTileView) => (!filter || n.status === filter) && (!q || n.key.includes(q) || n.name.toLowerCase().includes(q))),
    [filter, q],
  );
  const shown = useMemo(() => {
    if (remote) {
      // the server's matches, with the live object where the summary holds the node
      const live = new Map((nodes ?? []).map((n) => [n.id, n]));
      return (matches.data?.nodes ?? []).map((n) => live.get(n.id) ?? n);
    }
    return match ? (nodes ?? []).filter(match) : (nodes ?? []);
  }, [remote, matches.data, nodes, match]);
  // asked of the server and not answered yet (no earlier answer to show meanwhile): not "no match"
  const asking = remote && matches.data === undefined && !matches.isError;
  return { shown, match, remote, remoteTotal: matches.data?.total ?? 0, asking };
}
