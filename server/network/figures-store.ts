// The rows behind the network figures: per-node roll-ups per minute, hour and day, and each
// node's status history. Writes happen inside the caller's transaction (the one that stores the
// raw heartbeats), so a result is counted exactly once whatever happens to the process. Reads are
// range reads of the tables' primary keys, never of the raw heartbeats.
import type Database from "better-sqlite3";
import { RollupBuffer, type RollupDelta } from "./rollup-buffer";
import { fromRow, mergeRecord, RESOLUTION_MS, RESOLUTIONS, type CheckSample, type Resolution, type RollupRecord } from "./rollup";
import { DEFAULT_COUNTING } from "./uptime";
import type { NodeStatus } from "./status";

export const ROLLUP_TABLE: Readonly<Record<Resolution, string>> = { minute: "node_rollup_minutes", hour: "node_rollup_hours", day: "node_rollup_days" };
/** The statuses an outage is made of (the ones uptime counts as down). */
export const OUTAGE_STATUSES = (Object.keys(DEFAULT_COUNTING) as (keyof typeof DEFAULT_COUNTING)[]).filter((s) => DEFAULT_COUNTING[s] === "down");

/** A check result on its way into the roll-ups. */
export interface RolledResult extends CheckSample {
  nodeId: number;
}

export interface StatusChangeRow {
  at: number;
  status: NodeStatus;
  reason: string | null;
}

export interface OutageRow {
  start: number;
  end: number | null;
  status: NodeStatus;
  reason: string | null;
}

export interface HourFigure {
  bucket: number;
  count: number;
  failures: number;
  p95: number | null;
}

interface OutageParams {
  node: number;
  /** JSON array of the statuses outages are made of */
  statuses: string;
  from: number;
  to: number;
}

interface RollupRowRaw {
  bucket: number;
  count: number;
  failures: number;
  sketch: Buffer;
}

const OUTAGE_RUNS = `
  WITH c AS (
    SELECT at, status, reason, status IN (SELECT value FROM json_each(@statuses)) AS d,
           coalesce(lag(status) OVER (ORDER BY at) IN (SELECT value FROM json_each(@statuses)), 0) AS pd
      FROM node_status_changes WHERE node_id = @node
  ),
  runs AS (SELECT at AS start, status, reason, d, lead(at) OVER (ORDER BY at) AS end FROM c WHERE d <> pd)
`;

function prepareRollup(sqlite: Database.Database, table: string) {
  return {
    get: sqlite.prepare<[number, number], RollupRowRaw>(`SELECT bucket, count, failures, sketch FROM ${table} WHERE node_id = ? AND bucket = ?`),
    put: sqlite.prepare<[number, number, number, number, Buffer, number | null]>(
      `INSERT INTO ${table} (node_id, bucket, count, failures, sketch, p95) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (node_id, bucket) DO UPDATE SET count = excluded.count, failures = excluded.failures, sketch = excluded.sketch, p95 = excluded.p95`,
    ),
    range: sqlite.prepare<[number, number, number], RollupRowRaw>(`SELECT bucket, count, failures, sketch FROM ${table} WHERE node_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`),
    drop: sqlite.prepare<[number]>(`DELETE FROM ${table} WHERE node_id = ?`),
    prune: sqlite.prepare<[number, number]>(`DELETE FROM ${table} WHERE node_id = ? AND bucket < ?`),
  };
}

export class FiguresStore {
  private readonly rollups: Record<Resolution, ReturnType<typeof prepareRollup>>;
  private readonly st;

  constructor(private readonly sqlite: Database.Database) {
    this.rollups = { minute: prepareRollup(sqlite, ROLLUP_TABLE.minute), hour: prepareRollup(sqlite, ROLLUP_TABLE.hour), day: prepareRollup(sqlite, ROLLUP_TABLE.day) };
    this.st = {
      dropAfter: sqlite.prepare<[number, number]>(`DELETE FROM node_status_changes WHERE node_id = ? AND at > ?`),
      lastAtOrBefore: sqlite.prepare<[number, number], StatusChangeRow>(
        `SELECT at, status, reason FROM node_status_changes WHERE node_id = ? AND at <= ? ORDER BY at DESC LIMIT 1`,
      ),
      last: sqlite.prepare<[number], StatusChangeRow>(`SELECT at, status, reason FROM node_status_changes WHERE node_id = ? ORDER BY at DESC LIMIT 1`),
      putStatus: sqlite.prepare<[number, number, string, string | null]>(
        `INSERT INTO node_status_changes (node_id, at, status, reason) VALUES (?, ?, ?, ?)
         ON CONFLICT (node_id, at) DO UPDATE SET status = excluded.status, reason = excluded.reason`,
      ),
      // the change in force at `from` and every one after it, up to `to`
      changes: sqlite.prepare<[{ node: number; from: number; to: number }], StatusChangeRow>(
        `SELECT at, status, reason FROM node_status_changes
          WHERE node_id = @node AND at >= coalesce((SELECT max(at) FROM node_status_changes WHERE node_id = @node AND at <= @from), @from) AND at < @to
          ORDER BY at`,
      ),
      dropStatus: sqlite.prepare<[number]>(`DELETE FROM node_status_changes WHERE node_id = ?`),
      // keeps the last change before the cutoff: it says what held from the cutoff on
      pruneStatus: sqlite.prepare<[{ node: number; cutoff: number }]>(
        `DELETE FROM node_status_changes WHERE node_id = @node AND at < (SELECT max(at) FROM node_status_changes WHERE node_id = @node AND at < @cutoff)`,
      ),
      outages: sqlite.prepare<[OutageParams & { limit: number; offset: number }], OutageRow>(
        `${OUTAGE_RUNS} SELECT start, end, status, reason FROM runs WHERE d = 1 AND start < @to AND coalesce(end, @to) > @from ORDER BY start DESC LIMIT @limit OFFSET @offset`,
      ),
      outageCount: sqlite.prepare<[OutageParams], { n: number }>(
        `${OUTAGE_RUNS} SELECT count(*) AS n FROM runs WHERE d = 1 AND start < @to AND coalesce(end, @to) > @from`,
      ),
      worstHour: sqlite.prepare<[number, number, number], HourFigure>(
        `SELECT bucket, count, failures, p95 FROM node_rollup_hours WHERE node_id = ? AND bucket >= ? AND bucket < ? AND count > 0
          ORDER BY failures DESC, coalesce(p95, -1) DESC, bucket LIMIT 1`,
      ),
      // a set's hours summed in SQL (one primary-key range per node)
      setHours: sqlite.prepare<[string, number, number], HourFigure>(
        `SELECT bucket, sum(count) AS count, sum(failures) AS failures, max(p95) AS p95 FROM node_rollup_hours
          WHERE node_id IN (SELECT value FROM json_each(?)) AND bucket >= ? AND bucket < ? AND count > 0 GROUP BY bucket`,
      ),
      backfillState: sqlite.prepare<[], { below_id: number; done_id: number }>(`SELECT below_id, done_id FROM node_rollup_backfill WHERE id = 1`),
      backfillRows: sqlite.prepare<[number, number, number], { id: number; node_id: number; time: number; ok: number; latency_ms: number | null }>(
        `SELECT id, node_id, time, ok, latency_ms FROM heartbeats WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`,
      ),
      backfillDone: sqlite.prepare<[number]>(`UPDATE node_rollup_backfill SET done_id = ? WHERE id = 1`),
    };
  }

  // --- writes (inside the caller's transaction) ---

  /** Counts results into their nodes' minute, hour and day rows (late and out-of-order ones land in their own buckets). */
  addResults(results: Iterable<RolledResult>): void {
    const buffer = new RollupBuffer();
    for (const r of results) buffer.add(String(r.nodeId), r);
    if (buffer.count > 0) this.applyDeltas(buffer.drain());
  }

  /** Adds each delta to the row it belongs to (read, merge, write). */
  applyDeltas(deltas: readonly RollupDelta[]): void {
    for (const d of deltas) {
      const s = this.rollups[d.resolution];
      const nodeId = Number(d.node);
      const row = s.get.get(nodeId, d.record.bucket);
      const record = row ? mergeRecord(fromRow(row), d.record) : d.record;
      const bytes = record.sketch.toBytes();
      s.put.run(nodeId, record.bucket, record.count, record.failures, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), record.sketch.quantile(0.95));
    }
  }

  /**
   * A node's status changed at `at`. With `reachBack` (the status machine's evidence times), a
   * change dated before recorded ones replaces them; without it (the heartbeat ingest, which
   * judges in arrival order) a late change is recorded at the newest recorded time instead.
   * A change to the status already in force is not recorded.
   */
  recordStatus(nodeId: number, at: number, status: NodeStatus, reason: string | null, reachBack = true): void {
    if (!Number.isFinite(at)) return;
    if (reachBack) this.st.dropAfter.run(nodeId, at);
    else at = Math.max(at, this.st.last.get(nodeId)?.at ?? -Infinity);
    const prev = this.st.lastAtOrBefore.get(nodeId, at);
    if (prev && prev.at !== at && prev.status === status) return;
    this.st.putStatus.run(nodeId, at, status, reason);
  }

  /** A node's figures go with the node. */
  deleteNode(nodeId: number): void {
    for (const r of RESOLUTIONS) this.rollups[r].drop.run(nodeId);
    this.st.dropStatus.run(nodeId);
  }

  // --- reads ---

  /** A node's records of one resolution with buckets in [from, to), in bucket order. */
  records(nodeId: number, resolution: Resolution, from: number, to: number): RollupRecord[] {
    return this.rollups[resolution].range.all(nodeId, from, to).map(fromRow);
  }

  /** The changes that say a node's status over [from, to): the one in force at `from`, then the rest. */
  changes(nodeId: number, from: number, to: number): StatusChangeRow[] {
    return this.st.changes.all({ node: nodeId, from, to });
  }

  /** Outages (runs of down or unreachable) that overlap [from, to), newest first, and how many there are. */
  outages(nodeId: number, from: number, to: number, limit: number, offset: number): { total: number; rows: OutageRow[] } {
    const p = { node: nodeId, statuses: JSON.stringify(OUTAGE_STATUSES), from, to };
    return { total: this.st.outageCount.get(p)!.n, rows: this.st.outages.all({ ...p, limit, offset }) };
  }

  /** The hour overlapping [from, to) with the most failed checks, then the worst p95, then the earliest. */
  worstHour(nodeId: number, from: number, to: number): HourFigure | null {
    return this.st.worstHour.get(nodeId, from - RESOLUTION_MS.hour + 1, to) ?? null;
  }

  /** A set of nodes' hours overlapping [from, to): checks and failures summed, the worst node p95 of each hour. */
  setHours(nodeIds: readonly number[], from: number, to: number): HourFigure[] {
    return this.st.setHours.all(JSON.stringify(nodeIds), from - RESOLUTION_MS.hour + 1, to);
  }

  // --- retention ---

  /** Removes one node's roll-ups older than each resolution's cutoff and status changes no longer needed; answers rows removed. */
  pruneNode(nodeId: number, cutoffs: Readonly<Record<Resolution, number>> & { status: number }): number {
    let n = 0;
    for (const r of RESOLUTIONS) n += this.rollups[r].prune.run(nodeId, cutoffs[r]).changes;
    return n + this.st.pruneStatus.run({ node: nodeId, cutoff: cutoffs.status }).changes;
  }

  // --- the heartbeats stored before the roll-ups existed ---

  /** Rolls up the next slice of old heartbeats; answers how many it read (0: nothing left). Run it in a transaction. */
  backfillSlice(size: number): number {
    const state = this.st.backfillState.get();
    if (!state || state.done_id >= state.below_id) return 0;
    const rows = this.st.backfillRows.all(state.done_id, state.below_id, size);
    this.addResults(rows.map((r) => ({ nodeId: r.node_id, time: r.time, ok: r.ok === 1, latency_ms: r.latency_ms })));
    this.st.backfillDone.run(rows.length ? rows[rows.length - 1].id : state.below_id);
    return rows.length;
  }
}
