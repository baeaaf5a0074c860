import { SEVERITIES, severityRank, type Severity } from "@/lib/contracts/values/common";
import type { NodeStatus } from "@/lib/contracts/network";
import { compareGroups, emptyCounts } from "@/components/network/grouping";
import { compareText } from "@/lib/text-order";

// What the wall reads from the panes' live caches, typed by the few fields it needs: the panes'
// snapshots may carry true server counts (`counts`) or only their lists; both are read here.

export const NODE_STATES = ["down", "unreachable", "degraded", "pending", "up"] as const;
export type NodeState = (typeof NODE_STATES)[number];

export interface WallNode {
  id: number;
  name: string;
  status: string;
  critical?: boolean;
  last_check_at?: number | null;
  parent_id?: number | null;
  tags?: Record<string, string>;
}
export interface NetworkLike {
  nodes: readonly WallNode[];
  counts?: Partial<Record<NodeStatus, number>>;
}

export interface WallIncident {
  id: number;
  title: string;
  severity: string;
  status: string;
  pane: string;
  last_seen: number;
}
export interface IncidentsLike {
  incidents: readonly WallIncident[];
  counts?: { open?: number; acknowledged?: number; open_severity?: Record<string, number> };
}

export interface RateLike {
  rate: readonly { minute: number; count: number }[];
}

/** Nodes by status: the server's true counts when the snapshot has them, else counted from its list. */
export function nodeCounts(data: NetworkLike | undefined): Record<NodeState, number> {
  const counts: Record<NodeState, number> = { down: 0, unreachable: 0, degraded: 0, pending: 0, up: 0 };
  if (!data) return counts;
  if (data.counts) {
    for (const s of NODE_STATES) counts[s] = data.counts[s] ?? 0;
    return counts;
  }
  for (const n of data.nodes) if (n.status in counts) counts[n.status as NodeState] += 1;
  return counts;
}

const TROUBLED_RANK: Record<string, number> = { down: 0, flapping: 1, degraded: 2 };

/**
 * The down nodes, then the flapping, then the degraded ones (critical first, then by name), at
 * most `max`; `more` is the true remainder. Unreachable nodes are not listed: each down node
 * says how many it made unreachable (`behind`).
 */
export function troubledNodes(data: NetworkLike | undefined, max: number): { shown: (WallNode & { behind: number })[]; more: number } {
  if (!data) return { shown: [], more: 0 };
  const rank = (n: WallNode) => TROUBLED_RANK[n.status] * 2 + (n.critical ? 0 : 1);
  const troubled = data.nodes.filter((n) => n.status in TROUBLED_RANK);
  troubled.sort((a, b) => rank(a) - rank(b) || compareText(a.name, b.name) || a.id - b.id);
  const behind = unreachableBehind(data.nodes);
  const shown = troubled.slice(0, max).map((n) => ({ ...n, behind: behind.get(n.id) ?? 0 }));
  const total = data.counts ? (data.counts.down ?? 0) + (data.counts.flapping ?? 0) + (data.counts.degraded ?? 0) : troubled.length;
  return { shown, more: Math.max(0, total - shown.length) };
}

/** Unreachable nodes by the down ancestor they sit behind (the nearest one up their parent chain; a loop ends the walk). */
export function unreachableBehind(nodes: readonly WallNode[]): Map<number, number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const behind = new Map<number, number>();
  for (const n of nodes) {
    if (n.status !== "unreachable") continue;
    const seen = new Set<number>([n.id]);
    let at = n.parent_id == null ? undefined : byId.get(n.parent_id);
    while (at && at.status !== "down" && !seen.has(at.id)) {
      seen.add(at.id);
      at = at.parent_id == null ? undefined : byId.get(at.parent_id);
    }
    if (at && at.status === "down") behind.set(at.id, (behind.get(at.id) ?? 0) + 1);
  }
  return behind;
}

/** One site on the wall: its nodes by status. */
export interface WallSite {
  site: string;
  counts: Record<NodeStatus, number>;
  total: number;
}

/**
 * Nodes by their `site` tag, worst site first (most down, then unreachable…), at most `max` with
 * the rest counted; empty when no node has a site. Counted over the loaded nodes: a truncated
 * summary holds the most troubled nodes first, so the counts of nodes not up stay whole.
 */
export function sites(data: NetworkLike | undefined, max: number): { shown: WallSite[]; more: number } {
  const bySite = new Map<string, WallSite>();
  for (const n of data?.nodes ?? []) {
    const site = n.tags?.site;
    if (!site) continue;
    let s = bySite.get(site);
    if (!s) bySite.set(site, (s = { site, counts: emptyCounts(), total: 0 }));
    if (n.status in s.counts) s.counts[n.status as NodeStatus] += 1;
    s.total += 1;
  }
  const all = [...bySite.values()].sort((a, b) => compareGroups({ counts: a.counts, value: a.site }, { counts: b.counts, value: b.site }));
  return { shown: all.slice(0, max), more: Math.max(0, all.length - max) };
}

/** Open incidents by severity, and open / acknowledged totals: the server's counts when present. */
export function incidentCounts(data: IncidentsLike | undefined): { open: number; acknowledged: number; severity: Record<Severity, number> } {
  const severity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  if (!data) return { open: 0, acknowledged: 0, severity };
  const c = data.counts;
  if (c?.open_severity && c.open !== undefined) {
    for (const s of SEVERITIES) severity[s] = c.open_severity[s] ?? 0;
    return { open: c.open, acknowledged: c.acknowledged ?? 0, severity };
  }
  let open = 0;
  let acknowledged = 0;
  for (const i of data.incidents) {
    if (i.status === "open") {
      open += 1;
      if (i.severity in severity) severity[i.severity as Severity] += 1;
    } else if (i.status === "acknowledged") acknowledged += 1;
  }
  return { open, acknowledged, severity };
}

/** The open incidents most severe first, then most recent, at most `max`; `more` is the true remainder. */
export function worstIncidents(data: IncidentsLike | undefined, max: number): { shown: WallIncident[]; more: number } {
  if (!data) return { shown: [], more: 0 };
  const rank = (s: string) => severityRank[s as Severity] ?? SEVERITIES.length;
  const open = data.incidents.filter((i) => i.status === "open");
  open.sort((a, b) => rank(a.severity) - rank(b.severity) || b.last_seen - a.last_seen || b.id - a.id);
  const shown = open.slice(0, max);
  return { shown, more: Math.max(0, incidentCounts(data).open - shown.length) };
}

const MINUTE = 60_000;

/**
 * Events per minute: the last whole minute before `now` and the `minutes` before it (oldest
 * first, the current, still filling minute excluded), summed over severities.
 */
export function eventsPerMinute(data: RateLike | undefined, now: number, minutes: number): { last: number; series: number[] } {
  const current = Math.floor(now / MINUTE) * MINUTE;
  const series = new Array<number>(minutes).fill(0);
  for (const b of data?.rate ?? []) {
    const back = (current - b.minute) / MINUTE; // 1 = the last whole minute
    if (back >= 1 && back <= minutes) series[minutes - back] += b.count;
  }
  return { last: series[minutes - 1] ?? 0, series };
}

/** "4 s", "3 min 20 s", "2 h 5 min", "3 d 4 h": how long, readable from across a room. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
