import type { NetworkSnapshot } from "../contracts/network";
import { RECENT_CHECKS } from "../contracts/network";
import type { NetworkDelta } from "../contracts/live";

/** Folds network deltas (heartbeats, node registrations) into the snapshot. */
export function applyNetwork(snapshot: NetworkSnapshot, items: readonly NetworkDelta[]): NetworkSnapshot {
  const nodes = snapshot.nodes.slice();
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  for (const item of items) {
    if (item.type === "node") {
      const at = index.get(item.node.id);
      if (at === undefined) {
        index.set(item.node.id, nodes.length);
        nodes.push(item.node);
      } else nodes[at] = { ...item.node, checks: nodes[at].checks };
      continue;
    }
    const at = index.get(item.node_id);
    if (at === undefined) continue;
    const node = nodes[at];
    const checks = node.checks.length >= RECENT_CHECKS ? node.checks.slice(1 - RECENT_CHECKS) : node.checks.slice();
    checks.push(item.check);
    nodes[at] = {
      ...node,
      status: item.status,
      checks,
      last_latency_ms: item.check.latency_ms,
      last_check_at: Math.max(node.last_check_at ?? 0, item.check.time),
    };
  }
  return { ...snapshot, nodes };
}
