import { queryOptions } from "@tanstack/react-query";
import type { NetworkSummary, NodeDetail } from "../contracts/network";
import { fetchJson } from "./fetch-json";
import { live } from "./live";

export const networkQueries = {
  all: () => ["network"] as const,
  /** The pane's first load: true counts and the worst tiles first, then kept current by live deltas (applyNetwork). */
  summary: () =>
    queryOptions({ queryKey: [...networkQueries.all(), "summary"] as const, queryFn: () => fetchJson<NetworkSummary>("/api/v1/network/summary"), ...live }),
  /** The live network query, under the name the live wiring uses for every pane. */
  snapshot: () => networkQueries.summary(),
  /** One node's detail (recent checks with messages), loaded when its tile is opened. */
  node: (id: number) =>
    queryOptions({ queryKey: [...networkQueries.all(), "node", id] as const, queryFn: () => fetchJson<NodeDetail>(`/api/v1/nodes/${id}`), staleTime: 0, refetchOnWindowFocus: false }),
};
