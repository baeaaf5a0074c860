import { NODE_STATUSES, STATUS_RANK, TAG_NAME, type NodeStatus } from "@/lib/contracts/values/network";
import type { NodeTileView, StatusCounts } from "@/lib/contracts/network";

/** The tag keys offered first in "Group by", whether or not a loaded node has them. */
export const GROUP_PRESETS = ["site", "tier", "owner", "service"] as const;

/** Statuses from worst to best (STATUS_RANK): the order of counts in a group's header and of the comparison of groups. */
export const WORST_FIRST: readonly NodeStatus[] = [...NODE_STATUSES].sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b]);

/** Statuses that make a group, a subtree or a parent "failing" (pending and maintenance do not). */
export const FAILING: ReadonlySet<NodeStatus> = new Set<NodeStatus>(["down", "unreachable", "flapping", "degraded"]);

/** A group key from the URL: a tag name, or null (no grouping) for anything else. */
export function parseGroupBy(value: string | null | undefined): string | null {
  return value && TAG_NAME.test(value) ? value : null;
}

/** Zero of every status (a literal: made once per node when a tree is built). */
export const emptyCounts = (): StatusCounts => ({ pending: 0, up: 0, degraded: 0, down: 0, unreachable: 0, maintenance: 0, flapping: 0 });

/** Every tag key the nodes carry, presets first, then the others in name order. */
export function tagKeys(nodes: readonly NodeTileView[]): string[] {
  const seen = new Set<string>();
  for (const n of nodes) for (const k in n.tags ?? {}) seen.add(k);
  const rest = [...seen].filter((k) => !(GROUP_PRESETS as readonly string[]).includes(k)).sort();
  return [...GROUP_PRESETS, ...rest];
}

/** Nodes that share one value of the grouping tag (`value` null: nodes without the tag). */
export interface NodeGroup {
  /** stable id of the group in this grouping (the value, or "" for the untagged) */
  id: string;
  value: string | null;
  /** counts by status over the group's nodes (or the server's, when it counted more than were loaded) */
  counts: StatusCounts;
  /** nodes in the group (the true count: may exceed `nodes.length` when the server counted) */
  total: number;
  /** the group's loaded nodes, in the order given (worst first) */
  nodes: NodeTileView[];
}

/**
 * Worst groups first: more down nodes first, then more unreachable, flapping, degraded, pending,
 * maintenance (lexicographically over WORST_FIRST, up excluded); then the untagged group after
 * the tagged ones, then by value.
 */
export function compareGroups(a: Pick<NodeGroup, "counts" | "value">, b: Pick<NodeGroup, "counts" | "value">): number {
  for (const s of WORST_FIRST) {
    if (s === "up") break;
    const d = b.counts[s] - a.counts[s];
    if (d !== 0) return d;
  }
  if ((a.value === null) !== (b.value === null)) return a.value === null ? 1 : -1;
  const x = a.value ?? "";
  const y = b.value ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The nodes grouped by the value of tag `by`, each group with its counts by status, worst group
 * first; within a group the nodes keep the given order. `serverCounts` (from the server, over
 * every node, when the loaded nodes are only a part) replace the counted ones per value, and add
 * groups none of whose nodes were loaded.
 */
export function groupNodes(nodes: readonly NodeTileView[], by: string, serverCounts?: ReadonlyMap<string | null, StatusCounts>): NodeGroup[] {
  const groups = new Map<string, NodeGroup>();
  const groupOf = (value: string | null) => {
    const id = value ?? "";
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { id, value, counts: emptyCounts(), total: 0, nodes: [] }));
    return g;
  };
  for (const n of nodes) {
    const raw = n.tags?.[by];
    const g = groupOf(raw === undefined || raw === "" ? null : raw);
    g.nodes.push(n);
    g.counts[n.status] += 1;
    g.total += 1;
  }
  if (serverCounts) {
    for (const [value, counts] of serverCounts) {
      const g = groupOf(value);
      g.counts = { ...counts };
      g.total = Math.max(g.nodes.length, NODE_STATUSES.reduce((sum, s) => sum + counts[s], 0));
    }
  }
  return [...groups.values()].sort(compareGroups);
}

/** One row of the virtualised grid: a group's header, or up to `columns` tiles. */
export type GridRow = { kind: "header"; key: string; group: NodeGroup; collapsed: boolean } | { kind: "tiles"; key: string; nodes: readonly NodeTileView[] };

/**
 * The grid's rows: with groups, each group's header then its tiles `columns` a row (none when the
 * group is collapsed); without, the tiles alone. Row keys are stable for a group's header and
 * for the n-th row of a group.
 */
export function gridRows(nodes: readonly NodeTileView[], groups: readonly NodeGroup[] | null, columns: number, collapsed: ReadonlySet<string>): GridRow[] {
  const rows: GridRow[] = [];
  const tiles = (list: readonly NodeTileView[], prefix: string) => {
    for (let i = 0; i * columns < list.length; i++) rows.push({ kind: "tiles", key: `${prefix}${i}`, nodes: list.slice(i * columns, i * columns + columns) });
  };
  if (!groups) {
    tiles(nodes, "t:");
    return rows;
  }
  for (const group of groups) {
    const closed = collapsed.has(group.id);
    rows.push({ kind: "header", key: `h:${group.id}`, group, collapsed: closed });
    if (!closed) tiles(group.nodes, `t:${group.id}:`);
  }
  return rows;
}
