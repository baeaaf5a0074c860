// Zod-free: the browser reads these (see values/common.ts).
import type { IncidentCounts, IncidentGroup } from "../incidents";

export const RESOLUTION_REASONS = ["fixed", "false_positive", "duplicate", "expected"] as const;
export type ResolutionReason = (typeof RESOLUTION_REASONS)[number];

/**
 * How the incident list may be ordered (`sort=`): `newest` (the default: most recently active
 * first, by last_seen) and `oldest` (its reverse); `last_seen` (the same key, direction by
 * `order`, default desc); `severity` (worst first, then most recently active); `age-open`
 * (longest open first: by first_seen, oldest first); `updated` (the newest timeline entry: last
 * acknowledged, assigned, noted …, most recent first). `order=asc|desc` reverses the whole key of
 * `last_seen`, `severity`, `age-open` and `updated`; `newest` and `oldest` name their direction.
 * Ties are decided by id in the same direction, so every order is total and a cursor exact.
 */
export const INCIDENT_SORTS = ["newest", "oldest", "last_seen", "severity", "age-open", "updated"] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];
export const SORT_ORDERS = ["asc", "desc"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** The columns an order reads (then id): severity is (severity_rank, last_seen). */
export type IncidentOrderKey = "last_seen" | "first_seen" | "severity" | "updated";
export interface IncidentOrder {
  key: IncidentOrderKey;
  dir: SortOrder;
}

/** The order a `sort` and `order` name (the direction of every column of the key, id included). */
export function incidentOrder(sort: IncidentSort = "newest", order?: SortOrder): IncidentOrder {
  switch (sort) {
    case "newest":
      return { key: "last_seen", dir: "desc" };
    case "oldest":
      return { key: "last_seen", dir: "asc" };
    case "last_seen":
      return { key: "last_seen", dir: order ?? "desc" };
    case "severity":
      return { key: "severity", dir: order ?? "desc" };
    case "age-open":
      // the greatest age is the earliest first_seen: age desc reads first_seen ascending
      return { key: "first_seen", dir: order === "asc" ? "desc" : "asc" };
    case "updated":
      return { key: "updated", dir: order ?? "desc" };
  }
}

/** The counts of the header, summed from the groups (so the two always agree). */
export function countsOfGroups(groups: readonly IncidentGroup[]): IncidentCounts {
  const counts: IncidentCounts = { open: 0, acknowledged: 0, severity: {}, open_severity: {}, pane: { network: 0, security: 0 } };
  for (const g of groups) {
    counts.open += g.open;
    counts.acknowledged += g.acknowledged;
    counts.pane[g.pane] += g.open + g.acknowledged;
    for (const [severity, n] of Object.entries(g.open_severity)) {
      counts.open_severity[severity] = (counts.open_severity[severity] ?? 0) + n;
      counts.severity[severity] = (counts.severity[severity] ?? 0) + n;
    }
    for (const [severity, n] of Object.entries(g.acknowledged_severity)) counts.severity[severity] = (counts.severity[severity] ?? 0) + n;
  }
  return counts;
}

export const PLAN_PHASES = ["containment", "investigation", "communication", "recovery"] as const;
export const LINK_KINDS = ["related", "caused_by", "duplicate_of"] as const;
