import { queryOptions } from "@tanstack/react-query";
import type { NetworkSnapshot } from "../contracts/network";
import { fetchJson } from "./fetch-json";
import { live } from "./live";

export const networkQueries = {
  all: () => ["network"] as const,
  snapshot: () =>
    queryOptions({ queryKey: [...networkQueries.all(), "snapshot"] as const, queryFn: () => fetchJson<NetworkSnapshot>("/api/v1/nodes?limit=1000"), ...live }),
};
