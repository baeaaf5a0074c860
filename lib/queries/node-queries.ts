import { queryOptions } from "@tanstack/react-query";
import type { NodeDetail, NodeView } from "../contracts/network";
import type { IncidentsSnapshot } from "../contracts/incidents";
import type { LatencyRange, OutagesPage, UptimeAnswer } from "../contracts/figures";
import type { LiveLatency, LiveNodeDetail } from "../live/apply-node";
import { fetchJson } from "./fetch-json";
import { live } from "./live";

/** What POST/PATCH /api/v1/nodes and pause/resume answer. */
export interface NodeChangeAnswer {
  node: Omit<NodeView, "checks">;
  definition: Record<string, unknown>;
  version: number;
  push_tokens: { check: string; token: string; url: string }[];
}

/**
 * The node page's data. The detail and the latency chart carry their position in the network
 * stream and follow it (use-node-live); uptime and outages are read again when the node's status
 * changes; the incidents follow the incidents stream. Nothing polls: the keys sit under the
 * detail's, so a resync order (a gap the server cannot replay) reloads the whole page's data.
 */
export const nodePageQueries = {
  all: (id: number) => ["nodes", "page", id] as const,
  detail: (id: number) =>
    queryOptions({
      queryKey: nodePageQueries.all(id),
      queryFn: ({ signal }) => fetchJson<LiveNodeDetail>(`/api/v1/nodes/${id}`, { signal }),
      ...live,
      retry: false,
    }),
  /** network incidents that name the node; limit NODE_INCIDENTS */
  incidents: (key: string) =>
    queryOptions({
      queryKey: ["nodes", "incidents", key] as const,
      queryFn: ({ signal }) => fetchJson<IncidentsSnapshot>(`/api/v1/incidents?${new URLSearchParams({ status: "all", pane: "network", q: key, limit: String(NODE_INCIDENTS) })}`, { signal }),
      ...live,
    }),
  /** the latency chart over one range, from the roll-ups */
  latency: (id: number, range: LatencyRange) =>
    queryOptions({
      queryKey: [...nodePageQueries.all(id), "latency", range] as const,
      queryFn: ({ signal }) => fetchJson<LiveLatency>(`/api/v1/nodes/${id}/latency?range=${range}`, { signal }),
      ...live,
      // another range's chart, when shown again, is read afresh rather than followed while hidden
      staleTime: 0,
    }),
  uptime: (id: number) =>
    queryOptions({
      queryKey: [...nodePageQueries.all(id), "uptime"] as const,
      queryFn: ({ signal }) => fetchJson<UptimeAnswer>(`/api/v1/nodes/${id}/uptime`, { signal }),
      ...live,
    }),
  /** uptime over a chosen range as well (answered in `range`) */
  uptimeRange: (id: number, from: number, to: number) =>
    queryOptions({
      queryKey: [...nodePageQueries.all(id), "uptime", from, to] as const,
      queryFn: ({ signal }) => fetchJson<UptimeAnswer>(`/api/v1/nodes/${id}/uptime?${new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() })}`, { signal }),
      ...live,
      retry: false,
    }),
  outages: (id: number, offset: number, limit = OUTAGE_PAGE) =>
    queryOptions({
      queryKey: [...nodePageQueries.all(id), "outages", offset, limit] as const,
      queryFn: ({ signal }) => fetchJson<OutagesPage>(`/api/v1/nodes/${id}/outages?limit=${limit}&offset=${offset}`, { signal }),
      ...live,
    }),
};

/** Incidents the node page lists. */
export const NODE_INCIDENTS = 20;

/** Outages per page of the node page's history table. */
export const OUTAGE_PAGE = 10;

/** The SLA report of one node as a CSV download: the last `days` days up to now. */
export function slaCsvHref(id: number, now: number, days = 30): string {
  return slaRangeHref({ node: String(id) }, now - days * 86_400_000, now);
}

/** The SLA report of one node (`node`) or of every node with a tag (`tag`: `site=fra1`) over from–to, as CSV. */
export function slaRangeHref(scope: { node: string } | { tag: string }, from: number, to: number): string {
  const q = new URLSearchParams({ ...scope, from: new Date(from).toISOString(), to: new Date(to).toISOString(), format: "csv" });
  return `/api/v1/reports/sla?${q}`;
}

/** PATCH, DELETE, pause and resume of one node. */
export function changeNode(id: number, action: "patch" | "delete" | "pause" | "resume", body?: Record<string, unknown>): Promise<unknown> {
  if (action === "patch") return fetchJson<NodeChangeAnswer>(`/api/v1/nodes/${id}`, { method: "PATCH", body: JSON.stringify(body) });
  if (action === "delete") return fetchJson<{ id: number; key: string }>(`/api/v1/nodes/${id}`, { method: "DELETE" });
  return fetchJson<NodeChangeAnswer>(`/api/v1/nodes/${id}/${action}`, { method: "POST" });
}

export function createNode(body: Record<string, unknown>) {
  return fetchJson<NodeChangeAnswer>(`/api/v1/nodes`, { method: "POST", body: JSON.stringify(body) });
}

/** `site=fra1, tier=edge` → {site: "fra1", tier: "edge"}; an entry without `=` is an error. */
export function parseTags(text: string): Record<string, string> | string {
  const tags: Record<string, string> = {};
  for (const part of text.split(/[,\n]/)) {
    const entry = part.trim();
    if (!entry) continue;
    const eq = entry.indexOf("=");
    if (eq <= 0) return `tags: "${entry}" is not key=value`;
    tags[entry.slice(0, eq).trim()] = entry.slice(eq + 1).trim();
  }
  return tags;
}

export const formatTags = (tags: Record<string, string> | undefined) =>
  Object.entries(tags ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
