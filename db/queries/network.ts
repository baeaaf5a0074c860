import { asc, desc, eq } from "drizzle-orm";
import type { VigilDb } from "../client";
import { heartbeats, nodes } from "../schema";
import { RECENT_CHECKS, type NodeView } from "../../lib/contracts/network";

type NodeRow = typeof nodes.$inferSelect;

export function toNodeView(r: NodeRow, checks: NodeView["checks"] = []): NodeView {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    kind: r.kind,
    parent_id: r.parentId,
    critical: r.critical,
    status: r.status,
    last_latency_ms: r.lastLatencyMs,
    last_check_at: r.lastCheckAt,
    checks,
  };
}

export function listNodeRows(db: VigilDb): NodeRow[] {
  return db.select().from(nodes).orderBy(asc(nodes.id)).all();
}

/** Every node with its most recent checks (oldest first). */
export function listNodesWithChecks(db: VigilDb, params: { recent?: number } = {}): NodeView[] {
  const recent = params.recent ?? RECENT_CHECKS;
  return listNodeRows(db).map((row) => {
    const checks = db
      .select({ time: heartbeats.time, ok: heartbeats.ok, latency_ms: heartbeats.latencyMs })
      .from(heartbeats)
      .where(eq(heartbeats.nodeId, row.id))
      .orderBy(desc(heartbeats.time), desc(heartbeats.id))
      .limit(recent)
      .all()
      .reverse();
    return toNodeView(row, checks);
  });
}
