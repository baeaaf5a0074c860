import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";
import type { UserView } from "@/server/auth/users";
import type { ApiKeyView } from "@/server/auth/api-keys";
import type { AuditEntry, VerifyResult } from "@/server/audit/audit-log";

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
  audit: (filters: AuditFilters) =>
    queryOptions({
      queryKey: [...adminQueries.all(), "audit", filters] as const,
      queryFn: () => fetchJson<{ entries: AuditEntry[]; chain: VerifyResult }>(`/api/v1/audit?${auditSearch(filters)}`),
    }),
};
