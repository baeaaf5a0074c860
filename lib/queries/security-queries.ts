import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { EventsPage } from "../contracts/events";
import type { LiveSecurity } from "../live/apply-security";
import { fetchJson } from "./fetch-json";
import { live } from "./live";

/** Events per older page the list loads as the reader scrolls back. */
export const OLDER_PAGE_SIZE = 200;

export const securityQueries = {
  all: () => ["security"] as const,
  /** the live head: newest page, totals and rate, kept current by socket deltas (lib/live/apply-security.ts) */
  snapshot: () =>
    queryOptions({
      queryKey: [...securityQueries.all(), "snapshot"] as const,
      queryFn: () => fetchJson<LiveSecurity>("/api/v1/security/snapshot"),
      ...live,
    }),
  /** Stored history older than `start` (a "time:id" cursor), one page per scroll to the bottom. */
  older: (start: string) =>
    infiniteQueryOptions({
      queryKey: [...securityQueries.all(), "older", start] as const,
      queryFn: ({ pageParam, signal }) => fetchJson<EventsPage>(`/api/v1/events?limit=${OLDER_PAGE_SIZE}&before=${encodeURIComponent(pageParam)}`, { signal }),
      initialPageParam: start,
      getNextPageParam: (last) => last.next_before ?? undefined,
      // history does not change under a cursor; pages of a list no longer shown are dropped soon
      staleTime: Infinity,
      gcTime: 60_000,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
    }),
};
