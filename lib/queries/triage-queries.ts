import { infiniteQueryOptions, keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { EventDetailAnswer, EventGroupsPage, EventsPage, GroupBy, SecurityTop } from "../contracts/events";
import { fetchJson } from "./fetch-json";

/**
 * The triage pane's state, as it travels in the page's URL. Everything here is sent to the server
 * as the API's own filter parameters, except `range` (turned into `since` against an anchor time
 * the page holds, so the list does not move while it is read), `view` and `event` (the open drawer).
 */
export interface TriageFilter {
  range?: string;
  since?: string;
  until?: string;
  kind?: string;
  severity?: string;
  src?: string;
  dst?: string;
  user?: string;
  signature?: string;
  service?: string;
  q?: string;
  incident?: string;
}

export const FILTER_KEYS = ["range", "since", "until", "kind", "severity", "src", "dst", "user", "signature", "service", "q", "incident"] as const satisfies readonly (keyof TriageFilter)[];
export type FilterKey = (typeof FILTER_KEYS)[number];

export const RANGES: { id: string; label: string; ms: number | null }[] = [
  { id: "15m", label: "15 min", ms: 15 * 60_000 },
  { id: "1h", label: "1 hour", ms: 3_600_000 },
  { id: "24h", label: "24 hours", ms: 86_400_000 },
  { id: "7d", label: "7 days", ms: 7 * 86_400_000 },
  { id: "all", label: "All stored", ms: null },
];
export const DEFAULT_RANGE = "24h";

export const VIEWS = ["events", "signature", "src", "user"] as const;
export type TriageView = (typeof VIEWS)[number];

/** Reads the filter from the page's query string (unknown keys are ignored here; the API answers 400 to its own unknown ones). */
export function readFilter(params: URLSearchParams): TriageFilter {
  const f: TriageFilter = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v !== null && v !== "") f[k] = v;
  }
  return f;
}

/** The API's query string for a filter: `range` becomes `since` counted back from `anchor` (unless an explicit since is set). */
export function apiParams(f: TriageFilter, anchor: number): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (k === "range" || v === undefined) continue;
    p.set(k, v);
  }
  if (f.since === undefined) {
    const range = RANGES.find((r) => r.id === (f.range ?? DEFAULT_RANGE));
    if (range?.ms != null) p.set("since", String(anchor - range.ms));
  }
  // the list is read as of the anchor: newer events wait behind the "new events" marker
  if (f.until === undefined) p.set("until", String(anchor + 1));
  return p;
}

/** Events per page the table loads as the reader scrolls. */
export const TRIAGE_PAGE_SIZE = 200;

const frozen = { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false } as const;

export const triageQueries = {
  all: () => ["triage"] as const,
  /** The filtered events, newest first, one cursor page per scroll to the end. */
  events: (params: string) =>
    infiniteQueryOptions({
      queryKey: [...triageQueries.all(), "events", params] as const,
      queryFn: ({ pageParam, signal }) => {
        const p = new URLSearchParams(params);
        p.set("limit", String(TRIAGE_PAGE_SIZE));
        if (pageParam) p.set("before", pageParam);
        return fetchJson<EventsPage>(`/api/v1/events?${p}`, { signal });
      },
      initialPageParam: "",
      getNextPageParam: (last) => last.next_before ?? undefined,
      // a filter change keeps the old rows on screen until the new ones arrive
      placeholderData: keepPreviousData,
      gcTime: 60_000,
      // pages of a history do not change under a cursor; the reader asks for newer rows
      ...frozen,
    }),
  groups: (params: string, by: GroupBy) =>
    queryOptions({
      queryKey: [...triageQueries.all(), "groups", by, params] as const,
      queryFn: ({ signal }) => {
        const p = new URLSearchParams(params);
        p.set("by", by);
        p.set("limit", "200");
        return fetchJson<EventGroupsPage>(`/api/v1/events/groups?${p}`, { signal });
      },
      placeholderData: keepPreviousData,
      gcTime: 60_000,
      ...frozen,
    }),
  top: (since: number | null, until: number) =>
    queryOptions({
      queryKey: [...triageQueries.all(), "top", since, until] as const,
      queryFn: ({ signal }) => {
        const p = new URLSearchParams({ until: String(until), limit: "8" });
        if (since !== null) p.set("since", String(since));
        return fetchJson<SecurityTop>(`/api/v1/security/top?${p}`, { signal });
      },
      placeholderData: keepPreviousData,
      gcTime: 60_000,
      ...frozen,
    }),
  /** One event with its raw line and the incidents it is evidence of: loaded on its own, so the drawer never depends on the list. */
  event: (id: number) =>
    queryOptions({
      queryKey: [...triageQueries.all(), "event", id] as const,
      queryFn: ({ signal }) => fetchJson<EventDetailAnswer>(`/api/v1/events/${id}`, { signal }),
      ...frozen,
      retry: false,
    }),
};
