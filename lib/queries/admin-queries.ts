import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";
import type { UserView } from "@/server/auth/users";
import type { ApiKeyView } from "@/server/auth/api-keys";
import type { AuditEntry } from "@/server/audit/audit-log";
import type { AuditChainState } from "@/lib/contracts/access";

/** One page of GET /api/v1/audit. */
export interface AuditPage {
  entries: AuditEntry[];
  /** the cursor for older entries; null at the oldest */
  next_before: number | null;
  chain: AuditChainState;
}

export interface AuditFilters {
  action?: string;
  actor?: string;
  q?: string;
}

export function auditSearch(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  return params.toString();
}

export const adminQueries = {
  all: () => ["admin"] as const,
  users: () => queryOptions({ queryKey: [...adminQueries.all(), "users"] as const, queryFn: () => fetchJson<{ users: UserView[] }>("/api/v1/users") }),
  keys: () => queryOptions({ queryKey: [...adminQueries.all(), "keys"] as const, queryFn: () => fetchJson<{ keys: ApiKeyView[] }>("/api/v1/keys") }),
  settings: () =>
    queryOptions({ queryKey: [...adminQueries.all(), "settings"] as const, queryFn: () => fetchJson<{ settings: { require_mfa_all: boolean } }>("/api/v1/settings") }),
  /** The log newest first, one page per "Load older". */
  audit: (filters: AuditFilters) =>
    infiniteQueryOptions({
      queryKey: [...adminQueries.all(), "audit", filters] as const,
      queryFn: ({ pageParam }) => fetchJson<AuditPage>(`/api/v1/audit?${auditSearch(filters, pageParam ? { before: String(pageParam) } : {})}`),
      initialPageParam: null as number | null,
      getNextPageParam: (last) => last.next_before,
    }),
  /** The chain's state; polled every second while a full verification runs or newer entries are being checked. */
  auditChain: () =>
    queryOptions({
      queryKey: [...adminQueries.all(), "audit-chain"] as const,
      queryFn: () => fetchJson<{ chain: AuditChainState }>("/api/v1/audit/verify"),
      refetchInterval: (query) => {
        const chain = query.state.data?.chain;
        return chain && (chain.full.running || (chain.verified_through < chain.head && !chain.broken)) ? 1_000 : false;
      },
    }),
};
