import { queryOptions } from "@tanstack/react-query";
import type { Incident, IncidentsSnapshot, TimelineEntry } from "../contracts/incidents";
import { fetchJson } from "./fetch-json";
import { live } from "./live";

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
