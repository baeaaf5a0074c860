import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";
import type { Severity } from "@/lib/contracts/common";
import type { ResponsePlan } from "@/lib/contracts/incidents";
import type { DeliveriesPage, DryRun, EndpointListItem, EscalationPolicies } from "@/lib/contracts/notify";

/** Deliveries per page in an endpoint's history. */
export const DELIVERY_PAGE = 20;

/** Notification endpoints, their delivery history, the escalation policy and its dry run (admin). */
export const notifyQueries = {
  all: () => ["notify"] as const,
  endpoints: () =>
    queryOptions({
      queryKey: [...notifyQueries.all(), "endpoints"] as const,
      queryFn: ({ signal }) => fetchJson<{ endpoints: EndpointListItem[] }>("/api/v1/notifications/endpoints", { signal }),
    }),
  /** One endpoint's deliveries newest first, a page per "Load older". */
  deliveries: (endpointId: number) =>
    infiniteQueryOptions({
      queryKey: [...notifyQueries.all(), "deliveries", endpointId] as const,
      queryFn: ({ pageParam, signal }) =>
        fetchJson<DeliveriesPage>(`/api/v1/notifications/endpoints/${endpointId}/deliveries?limit=${DELIVERY_PAGE}${pageParam ? `&before=${pageParam}` : ""}`, { signal }),
      initialPageParam: null as number | null,
      getNextPageParam: (last) => last.next_before,
    }),
  escalation: () =>
    queryOptions({
      queryKey: [...notifyQueries.all(), "escalation"] as const,
      queryFn: ({ signal }) => fetchJson<{ policies: EscalationPolicies }>("/api/v1/notifications/escalation", { signal }),
    }),
  dryRun: (severity: Severity) =>
    queryOptions({
      queryKey: [...notifyQueries.all(), "dry-run", severity] as const,
      queryFn: ({ signal }) => fetchJson<DryRun>(`/api/v1/notifications/escalation/dry-run?severity=${severity}`, { signal }),
    }),
};

/** Response plans (readable by every role; changed by admins). */
export const planQueries = {
  all: () => ["response-plans"] as const,
  list: () =>
    queryOptions({
      queryKey: [...planQueries.all(), "list"] as const,
      queryFn: ({ signal }) => fetchJson<{ plans: ResponsePlan[] }>("/api/v1/response-plans", { signal }),
    }),
};
