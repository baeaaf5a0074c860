import { infiniteQueryOptions, keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { BulkResult, Incident, IncidentDetailAnswer, IncidentsSnapshot, ResponseStats } from "../contracts/incidents";
import { fetchJson } from "./fetch-json";

export type IncidentDetail = IncidentDetailAnswer;

/** The lifecycle routes: POST /api/v1/incidents/:id/<path> with a JSON body. */
export type IncidentVerb = "ack" | "resolve" | "reopen" | "assign" | "snooze" | "notes" | "severity";

export function postIncident(id: number, verb: IncidentVerb, body: Record<string, unknown>) {
  return fetchJson<{ incident: Incident; changed: boolean }>(`/api/v1/incidents/${id}/${verb}`, { method: "POST", body: JSON.stringify(body) });
}

export function postBulk(body: Record<string, unknown>) {
  return fetchJson<BulkResult>(`/api/v1/incidents/bulk`, { method: "POST", body: JSON.stringify(body) });
}

/** Incidents per page of the incident list. */
export const LIST_PAGE = 100;

export const incidentWorkQueries = {
  /** one incident with its timeline; refetched when a live delta names it (use-incident-watch), and every 30 s as a fallback */
  detail: (id: number) =>
    queryOptions({
      queryKey: ["incidents", "page", id] as const,
      queryFn: ({ signal }) => fetchJson<IncidentDetail>(`/api/v1/incidents/${id}`, { signal }),
      refetchInterval: 30_000,
      retry: false,
    }),
  /** the incident list's pages for a filter (the query string of GET /api/v1/incidents without limit/before) */
  list: (filter: string) =>
    infiniteQueryOptions({
      queryKey: ["incidents", "table", filter] as const,
      queryFn: ({ pageParam, signal }) => {
        const p = new URLSearchParams(filter);
        p.set("limit", String(LIST_PAGE));
        if (pageParam) p.set("before", pageParam);
        return fetchJson<IncidentsSnapshot>(`/api/v1/incidents?${p}`, { signal });
      },
      initialPageParam: "",
      getNextPageParam: (last) => last.next_before ?? undefined,
      placeholderData: keepPreviousData,
      refetchInterval: 10_000,
    }),
  stats: (since: number, until: number) =>
    queryOptions({
      queryKey: ["incidents", "stats", since, until] as const,
      queryFn: ({ signal }) => fetchJson<ResponseStats>(`/api/v1/incidents/stats?since=${since}&until=${until}`, { signal }),
      refetchInterval: 60_000,
    }),
};
