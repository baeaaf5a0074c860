import { queryOptions } from "@tanstack/react-query";
import type { NetworkSnapshot } from "../contracts/network";
import type { SecuritySnapshot } from "../contracts/events";
import type { Incident, IncidentsSnapshot, TimelineEntry } from "../contracts/incidents";
import { fetchJson } from "./fetch-json";

// Live snapshots are kept fresh by socket deltas, never by polling or focus refetches.
const live = { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false } as const;

export const networkQueries = {
  all: () => ["network"] as const,
  snapshot: () =>
    queryOptions({ queryKey: [...networkQueries.all(), "snapshot"] as const, queryFn: () => fetchJson<NetworkSnapshot>("/api/v1/nodes?limit=1000"), ...live }),
};

export const securityQueries = {
  all: () => ["security"] as const,
  snapshot: () =>
    queryOptions({
      queryKey: [...securityQueries.all(), "snapshot"] as const,
      queryFn: () => fetchJson<SecuritySnapshot>("/api/v1/security/snapshot"),
      ...live,
    }),
};

export const incidentQueries = {
  all: () => ["incidents"] as const,
  active: () =>
    queryOptions({
      queryKey: [...incidentQueries.all(), "list", { status: "active" }] as const,
      queryFn: () => fetchJson<IncidentsSnapshot>("/api/v1/incidents?status=active"),
      ...live,
    }),
  /** one incident's timeline; keyed by version, so a state change fetches it anew */
  timeline: (id: number, version: number) =>
    queryOptions({
      queryKey: [...incidentQueries.all(), "detail", id, version] as const,
      queryFn: () => fetchJson<{ incident: Incident; timeline: TimelineEntry[] }>(`/api/v1/incidents/${id}`),
      staleTime: Infinity,
    }),
};
