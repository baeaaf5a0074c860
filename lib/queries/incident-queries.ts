import { queryOptions } from "@tanstack/react-query";
import type { Incident, IncidentGroup, IncidentsSnapshot, TimelineEntry } from "../contracts/incidents";
import { mergeIncidentPage, type GroupRef, type LiveIncidents } from "../live/apply-incidents";
import { fetchJson } from "./fetch-json";
import { live } from "./live";

/** How many rows one request asks for: each further page of a group. */
export const INCIDENT_PAGE = 200;
/**
 * Rows of the first load (the page and a refetch of the active set): more than the list shows
 * one by one before it groups a flood (FLOOD_THRESHOLD, 50), so a short list is held whole; a
 * flood shows groups, whose rows page in when opened. 200 rows were 150 KB of the first load.
 */
export const ACTIVE_FIRST_PAGE = 60;

export const incidentQueries = {
  all: () => ["incidents"] as const,
  /**
   * The active set: its newest page, its true counts and groups, kept current by the live fold. A
   * refetch (count repair, resync) keeps the groups open in the list open, with their first page.
   */
  active: () =>
    queryOptions({
      queryKey: [...incidentQueries.all(), "list", { status: "active" }] as const,
      queryFn: async ({ client, queryKey }): Promise<LiveIncidents> => {
        const opened = client.getQueryData<LiveIncidents>(queryKey)?.pinned ?? [];
        const [fresh, ...pages] = await Promise.all([
          fetchJson<IncidentsSnapshot>(`/api/v1/incidents?status=active&limit=${ACTIVE_FIRST_PAGE}`),
          ...opened.map((group) => fetchGroupPage(group)),
        ]);
        return withOpenGroups(fresh, client.getQueryData<LiveIncidents>(queryKey)?.pinned ?? [], opened, pages);
      },
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

/**
 * A fresh snapshot with the groups open in the list (`pinned`, as they are when the answer comes)
 * and the first page fetched for each that was open when the request went (`fetched`, `pages`).
 */
export function withOpenGroups(fresh: IncidentsSnapshot, pinned: readonly GroupRef[], fetched: readonly GroupRef[], pages: readonly IncidentsSnapshot[]): LiveIncidents {
  if (!pinned.length) return fresh;
  const key = (g: GroupRef) => `${g.pane}\u0000${g.rule}`;
  const open = new Set(pinned.map(key));
  let data: LiveIncidents = { ...fresh, pinned: [...pinned] };
  fetched.forEach((group, n) => {
    if (open.has(key(group))) data = mergeIncidentPage(data, pages[n].incidents);
  });
  return data;
}

/** The next page of one group's active incidents, older than `before` (`<last_seen>-<id>`). */
export function fetchGroupPage(group: Pick<IncidentGroup, "rule" | "pane">, before?: string): Promise<IncidentsSnapshot> {
  const q = new URLSearchParams({ status: "active", pane: group.pane, rule: group.rule, limit: String(INCIDENT_PAGE) });
  if (before) q.set("before", before);
  return fetchJson<IncidentsSnapshot>(`/api/v1/incidents?${q}`);
}
