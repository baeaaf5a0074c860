import { queryOptions } from "@tanstack/react-query";
import type { SecuritySnapshot } from "../contracts/events";
import { fetchJson } from "./fetch-json";
import { live } from "./live";

export const securityQueries = {
  all: () => ["security"] as const,
  snapshot: () =>
    queryOptions({
      queryKey: [...securityQueries.all(), "snapshot"] as const,
      queryFn: () => fetchJson<SecuritySnapshot>("/api/v1/security/snapshot"),
      ...live,
    }),
};
