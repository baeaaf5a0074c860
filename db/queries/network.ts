import { asc, count, desc, eq, gt, sql } from "drizzle-orm";
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

/** One page of nodes in id order after `afterId`, with their recent checks, and the true total. */
export function listNodesPage(db: VigilDb, params: { afterId?: number; limit: number; recent?: number }) {
  const recent = params.recent ?? RECENT_CHECKS;
  const recentChecks = db
    .select({ time: heartbeats.time, ok: heartbeats.ok, latency_ms: heartbeats.latencyMs })
    .from(heartbeats)
    .where(eq(heartbeats.nodeId, sql.placeholder("nodeId")))
    .orderBy(desc(heartbeats.time), desc(heartbeats.id))
    .limit(recent)
    .prepare();
  const rows = db
    .select()
    .from(nodes)
    .where(params.afterId ? gt(nodes.id, params.afterId) : undefined)
    .orderBy(asc(nodes.id))
    .limit(params.limit + 1)
    .all();
  const more = rows.length > params.limit;
  const page = more ? rows.slice(0, params.limit) : rows;
  return {
    nodes: page.map((row) => toNodeView(row, recentChecks.all({ nodeId: row.id }).reverse())),
    total: db.select({ n: count() }).from(nodes).get()?.n ?? 0,
    next_after: more ? page[page.length - 1].id : null,
  };
}
