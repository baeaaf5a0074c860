// Zod-free: the browser reads these (see values/common.ts).
import type { NodeBase, NodeTileView } from "../network";

/** Tag names: lower-case words (`site`, `tier`, `owner`, `service`…). */
export const TAG_NAME = /^[a-z][a-z0-9_.-]{0,31}$/;

/**
 * A node's status (server/network/status.ts): pending (no data yet; called `unknown` before
 * migration 0008), up, degraded, down, unreachable (its parent is down), maintenance, flapping.
 */
export const NODE_STATUSES = ["pending", "up", "degraded", "down", "unreachable", "maintenance", "flapping"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const RECENT_CHECKS = 30;

/** Latencies a tile's sparkline carries (the newest last; null for a failed check). */
export const SPARK_POINTS = 20;
/** Checks GET /api/v1/nodes/:id returns by default. */
export const DETAIL_CHECKS = 60;

/** Order of the pane, worst first: down, unreachable, flapping, degraded, pending, maintenance, up; then by name, then id. */
export const STATUS_RANK: Record<NodeStatus, number> = { down: 0, unreachable: 1, flapping: 2, degraded: 3, pending: 4, maintenance: 5, up: 6 };

/** A check as a sparkline point: latency to 0.1 ms (enough for a sparkline, and a small payload), null when it failed. */
export const sparkPoint = (ok: boolean, latency: number | null): number | null => (ok ? (latency === null ? 0 : Math.round(latency * 10) / 10) : null);

/** A node as a tile (NodeTileView: fields at their common value left out). */
export function nodeTile(n: Omit<NodeBase, "source" | "paused">, spark: (number | null)[]): NodeTileView {
  const notUp = n.status !== "up";
  return {
    id: n.id,
    key: n.key,
    name: n.name,
    kind: n.kind,
    status: n.status,
    last_latency_ms: n.last_latency_ms,
    last_check_at: n.last_check_at,
    ...(n.parent_id != null ? { parent_id: n.parent_id } : {}),
    ...(n.critical ? { critical: true } : {}),
    ...(notUp && n.since != null ? { since: n.since } : {}),
    ...(notUp && n.reason ? { reason: n.reason } : {}),
    ...(n.tags && Object.keys(n.tags).length > 0 ? { tags: n.tags } : {}),
    spark,
  };
}
