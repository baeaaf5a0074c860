import type { NetworkSummary, NodeTileView, NodeView, StatusCounts } from "../contracts/network";
import { SPARK_POINTS, STATUS_RANK, nodeTile, sparkPoint } from "../contracts/values/network";
import type { NetworkDelta } from "../contracts/live";

/** The pane's order (STATUS_RANK: down first, up last); then name, then id (as the server sends it). */
export function compareTiles(a: NodeTileView, b: NodeTileView): number {
  return STATUS_RANK[a.status] - STATUS_RANK[b.status] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.id - b.id;
}

const tileOf = (node: NodeView | Omit<NodeView, "checks">, spark: (number | null)[]): NodeTileView => nodeTile(node, spark);

/**
 * Folds network deltas (heartbeats, node registrations) into the pane's summary with structural
 * sharing: a heartbeat replaces that node's object only (every other tile keeps its identity, so
 * memoised tiles skip rendering), status counts move by the transition, and the list is re-sorted
 * (worst first) only when a status or name changed. A delta naming a node the summary does not
 * hold (a truncated summary) cannot be counted exactly, so it marks the summary `stale` for a
 * refetch instead of guessing; except an up node staying up behind an all-up tail, the common
 * case at 10,000 nodes, which changes nothing.
 */
export function applyNetwork(summary: NetworkSummary, items: readonly NetworkDelta[]): NetworkSummary {
  if (items.length === 0) return summary;
  let nodes: NodeTileView[] | null = null;
  let index: Map<number, number> | null = null;
  let counts: StatusCounts | null = null;
  let total = summary.total;
  let stale = summary.stale ?? false;
  let reorder = false;
  const list = () => (nodes ??= summary.nodes.slice());
  const find = (id: number) => (index ??= new Map(summary.nodes.map((n, i) => [n.id, i]))).get(id);
  const move = (from: NodeTileView["status"] | null, to: NodeTileView["status"] | null) => {
    if (from === to) return;
    counts ??= { ...summary.counts };
    if (from) counts[from] -= 1;
    if (to) counts[to] += 1;
  };
  const removed = new Set<number>();

  for (const item of items) {
    if (item.type === "node_removed") {
      const at = find(item.node_id);
      if (at === undefined || removed.has(item.node_id)) {
        if (summary.truncated && !removed.has(item.node_id)) stale = true;
        continue;
      }
      removed.add(item.node_id);
      move(list()[at].status, null);
      total -= 1;
      continue;
    }
    if (removed.has(item.type === "node" ? item.node.id : item.node_id)) continue;
    if (item.type === "node") {
      const at = find(item.node.id);
      if (at === undefined) {
        // in a truncated summary the node may exist among those not sent: recount on the server
        if (summary.truncated) {
          stale = true;
          continue;
        }
        index!.set(item.node.id, list().length);
        list().push(tileOf(item.node, []));
        move(null, item.node.status);
        total += 1;
        reorder = true;
        continue;
      }
      const prev = list()[at];
      const next = tileOf(item.node, prev.spark);
      move(prev.status, next.status);
      if (prev.status !== next.status || prev.name !== next.name) reorder = true;
      list()[at] = next;
      continue;
    }
    const at = find(item.node_id);
    if (at === undefined) {
      // the nodes a truncated summary left out rank at or after its last tile: when that one is
      // up, they are all up, and a heartbeat that keeps one up changes nothing the pane shows
      if (!(summary.truncated && summary.nodes.at(-1)?.status === "up" && item.status === "up")) stale = true;
      continue;
    }
    const prev = list()[at];
    const spark = prev.spark.length >= SPARK_POINTS ? prev.spark.slice(1 - SPARK_POINTS) : prev.spark.slice();
    spark.push(sparkPoint(item.check.ok, item.check.latency_ms));
    move(prev.status, item.status);
    if (prev.status !== item.status) reorder = true;
    const moved = prev.status !== item.status;
    const tile = {
      ...prev,
      status: item.status,
      // a change of status dates from this check (as the server stores it for pushed heartbeats; a
      // probed node's own `node` delta follows in the same batch with the engine's evidence time)
      ...(moved ? { since: item.since ?? item.check.time } : {}),
      spark,
      last_latency_ms: item.check.latency_ms,
      last_check_at: Math.max(prev.last_check_at ?? 0, item.check.time),
    };
    // a move says why (not up) or clears the old reason (the tile carries one only when not up)
    if (moved) {
      if (item.reason && item.status !== "up") tile.reason = item.reason;
      else delete tile.reason;
    }
    list()[at] = tile;
  }
  // index positions are not used after this point, so one sort at the end is enough
  if (removed.size && nodes) nodes = (nodes as NodeTileView[]).filter((n) => !removed.has(n.id));
  if (reorder && nodes) (nodes as NodeTileView[]).sort(compareTiles);
  return {
    ...summary,
    nodes: nodes ?? summary.nodes,
    counts: counts ?? summary.counts,
    total,
    ...(stale ? { stale: true } : {}),
  };
}
