// Live snapshots are kept fresh by socket deltas, never by polling or focus refetches.
export const live = { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false } as const;
