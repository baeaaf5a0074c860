import type { NodeStatus } from "../../lib/contracts/network";

export interface NodeHealth {
  status: NodeStatus;
  consecutiveFailures: number;
}

export interface HealthPolicy {
  /** consecutive failed checks that make a node down */
  failuresToDown: number;
  /** latency above which a passing check counts as degraded; null for never */
  degradedMs: number | null;
}

export const DEFAULT_FAILURES_TO_DOWN = 3;

/**
 * The next health of a node after one check. A failing check degrades the node at once and
 * takes it down after `failuresToDown` in a row; one passing check brings it back.
 */
export function nextHealth(prev: NodeHealth, check: { ok: boolean; latencyMs: number | null }, policy: HealthPolicy): NodeHealth {
  if (!check.ok) {
    const failures = prev.consecutiveFailures + 1;
    return { status: failures >= policy.failuresToDown ? "down" : "degraded", consecutiveFailures: failures };
  }
  const slow = policy.degradedMs !== null && check.latencyMs !== null && check.latencyMs > policy.degradedMs;
  return { status: slow ? "degraded" : "up", consecutiveFailures: 0 };
}
