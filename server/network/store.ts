// The network service's rows: nodes it manages, their checks, the results it stores. Low-rate
// definition writes go through drizzle; the per-result writes are prepared statements (the
// ingest's hot path, as in db/statements.ts).
import type Database from "better-sqlite3";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { VigilDb } from "../../db/client";
import { checks, heartbeats, nodeRollupDays, nodeRollupHours, nodeRollupMinutes, nodes, nodeStatusChanges } from "../../db/schema";
import type { NodeSource } from "../../lib/contracts/network";

export type NodeRow = typeof nodes.$inferSelect;
export type CheckRow = typeof checks.$inferSelect;

/** What a node's definition writes into its row. */
export interface NodeValues {
  key: string;
  name: string;
  kind: string;
  critical: boolean;
  parentId: number | null;
  tags: Record<string, string>;
  degradedMs: number | null;
  settings: Record<string, unknown>;
  source: NodeSource;
}

/** A check as stored. */
export interface CheckValues {
  name: string;
  type: string;
  spec: Record<string, unknown>;
  pushTokenHash: string | null;
  enabled: boolean;
}

/** A node's identity and status as stored (for nodes the service does not manage). */
export interface StoredStatus {
  id: number;
  key: string;
  name: string;
  critical: number;
  tags: string;
  status: string;
  status_since: number | null;
  parent_id: number | null;
  paused: number;
  consecutive_failures: number;
}

export interface StatusValues {
  status: NodeRow["status"];
  since: number | null;
  reason: string | null;
  state: unknown;
  consecutiveFailures: number;
}

export class NetworkStore {
  private readonly hot;

  constructor(
    private readonly db: VigilDb,
    sqlite: Database.Database,
  ) {
    this.hot = {
      setLastPush: sqlite.prepare<[number, number]>(`UPDATE checks SET last_push_at = max(coalesce(last_push_at, 0), ?) WHERE id = ?`),
      insertResult: sqlite.prepare<[number, number, number, number | null, string | null, number | null, string | null]>(
        `INSERT INTO heartbeats (node_id, time, ok, latency_ms, message, check_id, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      saveWithCheck: sqlite.prepare<[string, number | null, string | null, string, number, number | null, number, number]>(
        `UPDATE nodes SET status = ?, status_since = ?, status_reason = ?, state = ?, consecutive_failures = ?, last_latency_ms = ?,
           last_check_at = max(coalesce(last_check_at, 0), ?) WHERE id = ?`,
      ),
      saveStatus: sqlite.prepare<[string, number | null, string | null, string, number, number]>(
        `UPDATE nodes SET status = ?, status_since = ?, status_reason = ?, state = ?, consecutive_failures = ? WHERE id = ?`,
      ),
      statusOf: sqlite.prepare<[number], StoredStatus>(
        `SELECT id, key, name, critical, tags, status, status_since, parent_id, paused, consecutive_failures FROM nodes WHERE id = ?`,
      ),
    };
  }

  /** Nodes defined by the config file or the API, with their checks (id order). */
  loadManaged(): { row: NodeRow; checks: CheckRow[] }[] {
    const rows = this.db.select().from(nodes).where(inArray(nodes.source, ["config", "api"])).orderBy(asc(nodes.id)).all();
    const all = rows.length ? this.db.select().from(checks).where(inArray(checks.nodeId, rows.map((r) => r.id))).orderBy(asc(checks.id)).all() : [];
    const byNode = new Map<number, CheckRow[]>();
    for (const c of all) (byNode.get(c.nodeId) ?? byNode.set(c.nodeId, []).get(c.nodeId)!).push(c);
    return rows.map((row) => ({ row, checks: byNode.get(row.id) ?? [] }));
  }

  byKey(key: string): NodeRow | undefined {
    return this.db.select().from(nodes).where(eq(nodes.key, key)).get();
  }

  byId(id: number): NodeRow | undefined {
    return this.db.select().from(nodes).where(eq(nodes.id, id)).get();
  }

  checksOf(nodeId: number): CheckRow[] {
    return this.db.select().from(checks).where(eq(checks.nodeId, nodeId)).orderBy(asc(checks.id)).all();
  }

  /** The push checks that have a token (node, name). */
  pushChecks(): { nodeId: number; name: string }[] {
    return this.db.select({ nodeId: checks.nodeId, name: checks.name }).from(checks).where(sql`${checks.pushTokenHash} IS NOT NULL`).all();
  }

  /** Every node's key, source and paused flag (the export, the parents a definition may name). */
  allNodes(): NodeRow[] {
    return this.db.select().from(nodes).orderBy(asc(nodes.id)).all();
  }

  /** A node's status as stored (for a parent the service does not manage: a heartbeat node). */
  statusOf(id: number) {
    return this.hot.statusOf.get(id);
  }

  childIds(id: number): number[] {
    return this.db.select({ id: nodes.id }).from(nodes).where(eq(nodes.parentId, id)).orderBy(asc(nodes.id)).all().map((r) => r.id);
  }

  /** Creates the node or rewrites the definition of the one with this key (its id, status and history stay). */
  /** Writes a node's definition: a new one at version 1, a changed one a version up, saying who and when. */
  saveDefinition(values: NodeValues, by: string, at: number): NodeRow {
    const { key, ...rest } = values;
    return this.db
      .insert(nodes)
      .values({ key, status: "pending", ...rest, definedBy: by, definedAt: at })
      .onConflictDoUpdate({ target: nodes.key, set: { ...rest, definitionVersion: sql`${nodes.definitionVersion} + 1`, definedBy: by, definedAt: at } })
      .returning()
      .get();
  }

  /** Makes a node's checks these: same-named checks keep their id (and so their history), others are added or removed. */
  replaceChecks(nodeId: number, wanted: readonly CheckValues[]): CheckRow[] {
    const current = new Map(this.checksOf(nodeId).map((c) => [c.name, c]));
    const names = new Set(wanted.map((c) => c.name));
    for (const [name, c] of current) if (!names.has(name)) this.db.delete(checks).where(eq(checks.id, c.id)).run();
    for (const c of wanted) {
      const had = current.get(c.name);
      if (had) this.db.update(checks).set({ type: c.type, spec: c.spec, pushTokenHash: c.pushTokenHash, enabled: c.enabled }).where(eq(checks.id, had.id)).run();
      else this.db.insert(checks).values({ nodeId, ...c }).run();
    }
    return this.checksOf(nodeId);
  }

  /** Removes a node, its checks and its stored results (roll-ups and status history too); its children lose their parent. */
  deleteNode(id: number): void {
    this.db.update(nodes).set({ parentId: null }).where(eq(nodes.parentId, id)).run();
    this.db.delete(heartbeats).where(eq(heartbeats.nodeId, id)).run();
    for (const t of [nodeRollupMinutes, nodeRollupHours, nodeRollupDays]) this.db.delete(t).where(eq(t.nodeId, id)).run();
    this.db.delete(nodeStatusChanges).where(eq(nodeStatusChanges.nodeId, id)).run();
    this.db.delete(checks).where(eq(checks.nodeId, id)).run();
    this.db.delete(nodes).where(eq(nodes.id, id)).run();
  }

  setPaused(id: number, paused: boolean): NodeRow | undefined {
    return this.db.update(nodes).set({ paused }).where(eq(nodes.id, id)).returning().get();
  }

  /** A node no longer managed by the file or the API goes back to being a heartbeat node. */
  setSource(id: number, source: NodeSource): void {
    this.db.update(nodes).set({ source }).where(and(eq(nodes.id, id), sql`${nodes.source} <> ${source}`)).run();
  }

  insertResult(nodeId: number, checkId: number | null, time: number, ok: boolean, latency: number | null, message: string | null, error: string | null): void {
    this.hot.insertResult.run(nodeId, time, ok ? 1 : 0, latency, message, checkId, error);
  }

  /** A push check's push arrived at `at` (a later one is kept). */
  setLastPush(checkId: number, at: number): void {
    this.hot.setLastPush.run(at, checkId);
  }

  /** The node's status and state, with the newest result's latency and time when a result moved it. */
  saveStatus(id: number, s: StatusValues, result?: { latency: number | null; time: number }): void {
    const state = JSON.stringify(s.state);
    if (result) this.hot.saveWithCheck.run(s.status, s.since, s.reason, state, s.consecutiveFailures, result.latency, result.time, id);
    else this.hot.saveStatus.run(s.status, s.since, s.reason, state, s.consecutiveFailures, id);
  }
}
