import { queryOptions } from "@tanstack/react-query";
import type { NetworkSummary, NodeDetail, NodeStatus } from "../contracts/network";
import { fetchJson } from "./fetch-json";
import { live } from "./live";

export const networkQueries = {
  all: () => ["network"] as const,
  /** The pane's first load: true counts and the worst tiles first, then kept current by live deltas (applyNetwork). */
  summary: () =>
    queryOptions({
      queryKey: [...networkQueries.all(), "summary"] as const,
      queryFn: () => fetchJson<NetworkSummary>("/api/v1/network/summary"),
      ...live,
      // applyNetwork already shares structure; react-query's own sharing compares arrays by index,
      // so when a node moves to the front it would copy every tile it passed into new objects
      structuralSharing: false,
    }),
  /** The live network query, under the name the live wiring uses for every pane. */
  snapshot: () => networkQueries.summary(),
  /**
   * Nodes matching a status and/or text, read from the server: used when the summary is truncated
   * (more nodes than it sent), so a search still reaches every node.
   */
  search: (params: { status?: NodeStatus; q?: string }) =>
    queryOptions({
      queryKey: [...networkQueries.all(), "search", params] as const,
      queryFn: () => {
        const qs = new URLSearchParams();
        if (params.status) qs.set("status", params.status);
        if (params.q) qs.set("q", params.q);
        return fetchJson<NetworkSummary>(`/api/v1/network/summary?${qs}`);
      },
      staleTime: 5_000,
      refetchOnWindowFocus: false,
    }),
  /**
   * Every node counted by the value of one tag, from the server: the group headers' true counts
   * when the summary is truncated (the loaded tiles are then only the most troubled ones).
   */
  groups: (tag: string) =>
    queryOptions({
      queryKey: [...networkQueries.all(), "groups", tag] as const,
      queryFn: () => fetchJson<NetworkSummary>(`/api/v1/network/summary?${new URLSearchParams({ group: tag, limit: "1" })}`),
      staleTime: 10_000,
      refetchInterval: 15_000,
      refetchOnWindowFocus: false,
    }),
  /** One node's detail (recent checks with messages), loaded when its tile is opened. */
  node: (id: number) =>
    queryOptions({ queryKey: [...networkQueries.all(), "node", id] as const, queryFn: () => fetchJson<NodeDetail>(`/api/v1/nodes/${id}`), staleTime: 0, refetchOnWindowFocus: false }),
};
