import { queryOptions } from "@tanstack/react-query";
import type { NodeDetail, NodeView } from "../contracts/network";
import type { IncidentsSnapshot } from "../contracts/incidents";
import type { LatencyAnswer, LatencyRange, OutagesPage, UptimeAnswer } from "../contracts/figures";
import { fetchJson } from "./fetch-json";

/** What POST/PATCH /api/v1/nodes and pause/resume answer. */
export interface NodeChangeAnswer {
  node: Omit<NodeView, "checks">;
  definition: Record<string, unknown>;
  push_tokens: { check: string; token: string; url: string }[];
}

/** The node page's data: the node with its checks, and the network incidents that name it. */
export const nodePageQueries = {
  detail: (id: number) =>
    queryOptions({
      queryKey: ["nodes", "page", id] as const,
      queryFn: ({ signal }) => fetchJson<NodeDetail>(`/api/v1/nodes/${id}`, { signal }),
      refetchInterval: 15_000,
      retry: false,
    }),
  incidents: (key: string) =>
    queryOptions({
      queryKey: ["nodes", "incidents", key] as const,
      queryFn: ({ signal }) => fetchJson<IncidentsSnapshot>(`/api/v1/incidents?${new URLSearchParams({ status: "all", pane: "network", q: key, limit: "20" })}`, { signal }),
      refetchInterval: 30_000,
    }),
  /** the latency chart over one range, from the roll-ups */
  latency: (id: number, range: LatencyRange) =>
    queryOptions({
      queryKey: ["nodes", "latency", id, range] as const,
      queryFn: ({ signal }) => fetchJson<LatencyAnswer>(`/api/v1/nodes/${id}/latency?range=${range}`, { signal }),
      refetchInterval: range === "1h" ? 30_000 : 120_000,
    }),
  uptime: (id: number) =>
    queryOptions({
      queryKey: ["nodes", "uptime", id] as const,
      queryFn: ({ signal }) => fetchJson<UptimeAnswer>(`/api/v1/nodes/${id}/uptime`, { signal }),
      refetchInterval: 60_000,
    }),
  outages: (id: number, offset: number, limit = OUTAGE_PAGE) =>
    queryOptions({
      queryKey: ["nodes", "outages", id, offset, limit] as const,
      queryFn: ({ signal }) => fetchJson<OutagesPage>(`/api/v1/nodes/${id}/outages?limit=${limit}&offset=${offset}`, { signal }),
      refetchInterval: 60_000,
    }),
};

/** Outages per page of the node page's history table. */
export const OUTAGE_PAGE = 10;

/** The SLA report of one node as a CSV download: the last `days` days up to now. */
export function slaCsvHref(id: number, now: number, days = 30): string {
  const q = new URLSearchParams({ node: String(id), from: new Date(now - days * 86_400_000).toISOString(), to: new Date(now).toISOString(), format: "csv" });
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
