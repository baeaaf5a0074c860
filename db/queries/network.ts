import { and, asc, count, desc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import type { VigilDb } from "../client";
import { heartbeats, nodes } from "../schema";
import { MAX_GROUPS, NODE_STATUSES, RECENT_CHECKS, SPARK_POINTS, sparkPoint, STATUS_RANK, type NodeDetail, type NodeStatus, type NodeTileView, nodeTile, type NodeView, type StatusCounts, type TagGroupCounts } from "../../lib/contracts/network";

type NodeRow = typeof nodes.$inferSelect;

/** A status as stored; `unknown` (rows from before migration 0008) reads as pending. */
export function storedStatus(status: string): NodeStatus {
  return (NODE_STATUSES as readonly string[]).includes(status) ? (status as NodeStatus) : "pending";
}

export function toNodeView(r: NodeRow, checks: NodeView["checks"] = []): NodeView {
  const status = storedStatus(r.status);
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    kind: r.kind,
    parent_id: r.parentId,
    critical: r.critical,
    status,
    last_latency_ms: r.lastLatencyMs,
    last_check_at: r.lastCheckAt,
    since: r.statusSince ?? null,
    reason: status === "up" ? null : (r.statusReason ?? null),
    tags: r.tags ?? {},
    source: r.source,
    paused: r.paused,
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

// --- the network pane's summary and a node's detail ---

const tileColumns = {
  id: nodes.id,
  key: nodes.key,
  name: nodes.name,
  kind: nodes.kind,
  parent_id: nodes.parentId,
  critical: nodes.critical,
  status: nodes.status,
  last_latency_ms: nodes.lastLatencyMs,
  last_check_at: nodes.lastCheckAt,
  since: nodes.statusSince,
  reason: sql<string | null>`CASE WHEN ${nodes.status} = 'up' THEN NULL ELSE ${nodes.statusReason} END`,
  tags: nodes.tags,
  // the sparkline in the same statement (one indexed read per tile, no round trip per node):
  // the last SPARK_POINTS checks, oldest first, latency to 0.1 ms or x for a failure
  spark: sql<string | null>`(SELECT group_concat(CASE WHEN r.ok THEN coalesce(round(r.latency_ms, 1), 0) ELSE 'x' END, ',' ORDER BY r.time, r.id)
    FROM (SELECT h.ok, h.latency_ms, h.time, h.id FROM heartbeats h WHERE h.node_id = "nodes"."id" ORDER BY h.time DESC, h.id DESC LIMIT ${sql.raw(String(SPARK_POINTS))}) r)`,
};


const selectTiles = (db: VigilDb, where: SQL | undefined, limit: number) => db.select(tileColumns).from(nodes).where(where).orderBy(asc(nodes.name), asc(nodes.id)).limit(limit).all();
type TileRow = ReturnType<typeof selectTiles>[number];

/** Nodes by status over every node. */
export function countNodesByStatus(db: VigilDb): StatusCounts {
  const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const row of db.select({ status: nodes.status, n: count() }).from(nodes).groupBy(nodes.status).all()) counts[storedStatus(row.status)] += row.n;
  return counts;
}

/**
 * Every node counted by the value of tag `tag` (null: without it, or empty) and status: one scan
 * of the nodes. At most MAX_GROUPS values, those with the most nodes not up first, then by value.
 */
export function countNodesByTag(db: VigilDb, tag: string): { groups: TagGroupCounts[]; truncated: boolean } {
  const byValue = new Map<string | null, { value: string | null; counts: Partial<StatusCounts>; troubled: number }>();
  const rows = db
    .select({ value: sql<string | number | null>`json_extract(${nodes.tags}, ${`$."${tag}"`})`, status: nodes.status, n: count() })
    .from(nodes)
    .groupBy(sql`1`, nodes.status)
    .all();
  for (const row of rows) {
    const value = row.value === null || row.value === "" ? null : String(row.value);
    let g = byValue.get(value);
    if (!g) byValue.set(value, (g = { value, counts: {}, troubled: 0 }));
    const status = storedStatus(row.status);
    g.counts[status] = (g.counts[status] ?? 0) + row.n;
    if (status !== "up") g.troubled += row.n;
  }
  const all = [...byValue.values()].sort((a, b) => b.troubled - a.troubled || (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || ((a.value ?? "") < (b.value ?? "") ? -1 : 1));
  return { groups: all.slice(0, MAX_GROUPS).map(({ value, counts }) => ({ value, counts })), truncated: all.length > MAX_GROUPS };
}

/**
 * The pane's first load: true counts by status over every node, and up to `limit` light tiles
 * worst first (STATUS_RANK: down, unreachable, flapping, degraded, pending, maintenance, up; then name, id), each with a sparkline of its last
 * SPARK_POINTS latencies. One query per status in rank order, so the order comes from
 * (status, name) rather than a sort of the whole table, and the LIMIT stops each early.
 */
export function networkSummary(db: VigilDb, params: { limit: number; status?: NodeStatus; q?: string; group?: string }) {
  const counts = countNodesByStatus(db);
  const q = params.q?.toLowerCase();
  const match = q ? or(sql`instr(lower(${nodes.name}), ${q}) > 0`, sql`instr(${nodes.key}, ${q}) > 0`) : undefined;
  const wanted = NODE_STATUSES.filter((s) => !params.status || s === params.status).sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b]);
  const rows: TileRow[] = [];
  let total = 0;
  for (const status of wanted) {
    total += q ? (db.select({ n: count() }).from(nodes).where(and(eq(nodes.status, status), match)).get()?.n ?? 0) : counts[status];
    const room = params.limit - rows.length;
    if (room <= 0) continue;
    rows.push(...selectTiles(db, and(eq(nodes.status, status), match), room));
  }
  const tiles: NodeTileView[] = rows.map(({ spark, ...row }) =>
    nodeTile({ ...row, status: storedStatus(row.status) }, spark ? spark.split(",").map((v) => (v === "x" ? null : Number(v))) : []),
  );
  const grouped = params.group ? countNodesByTag(db, params.group) : null;
  return { counts, total, nodes: tiles, truncated: total > tiles.length, ...(grouped ? { groups: grouped.groups, groups_truncated: grouped.truncated } : {}) };
}

/** One node with its last `checks` checks (oldest first) and its parent's name; null when absent. */
export function getNodeDetail(db: VigilDb, id: number, checks: number): NodeDetail | null {
  const row = db.select().from(nodes).where(eq(nodes.id, id)).get();
  if (!row) return null;
  const { checks: _none, ...node } = toNodeView(row);
  const parent = row.parentId ? (db.select({ id: nodes.id, name: nodes.name }).from(nodes).where(eq(nodes.id, row.parentId)).get() ?? null) : null;
  const recent = db
    .select({
      time: heartbeats.time,
      ok: heartbeats.ok,
      latency_ms: heartbeats.latencyMs,
      message: sql<string | null>`coalesce(${heartbeats.message}, ${heartbeats.error})`,
      error: heartbeats.error,
      check: sql<string | null>`(SELECT c.name FROM checks c WHERE c.id = ${heartbeats.checkId})`,
    })
    .from(heartbeats)
    .where(eq(heartbeats.nodeId, id))
    .orderBy(desc(heartbeats.time), desc(heartbeats.id))
    .limit(checks)
    .all()
    .reverse();
  return { node, parent, checks: recent };
}
