import type Database from "better-sqlite3";
import type { Clock } from "../clock";
import { OffThreadCheckpointer } from "./checkpointer";
import { TALLY_DIMS, type TallyDim } from "../security/tallies";
import { FiguresStore } from "../network/figures-store";
import { DEFAULT_ROLLUP_RETENTION, type RollupRetention } from "../network/figures";


/** What one prune removed and kept. */
export interface PruneReport {
  heartbeats: number;
  events: number;
  eventMinutes: number;
  /** per-key tally rows (server/security/tallies.ts) past their span's retention */
  tallies: number;
  /** node roll-up rows (minute, hour, day) and status changes past their retention */
  networkRollups: number;
  /** rows past retention kept because they are the evidence of an open or acknowledged incident */
  kept_for_incidents: number;
  /** wall time of the whole prune, yields included */
  ms: number;
  /** short write transactions it took */
  batches: number;
  /** the longest single batch (the longest the event loop was held), ms */
  slowest_batch_ms: number;
}

export interface RetentionOptions {
  /** raw heartbeats and security events older than this are removed */
  retentionMs: number;
  /** per-minute rollups older than this are removed (default 90 days) */
  rollupRetentionMs?: number;
  /** how long node roll-ups are kept per resolution (default 7 d minutes, 400 d hours, 1,830 d days); status history as long as days */
  networkRollups?: RollupRetention;
  /** rows per batch; when absent the size adapts so that each batch takes about `sliceMs` */
  batchSize?: number;
  /** target duration of one batch when adaptive (default 10 ms, well under the 50 ms budget) */
  sliceMs?: number;
  /** gives the event loop back between batches (default setImmediate) */
  yieldToLoop?: () => Promise<void>;
  /** monotonic milliseconds for timing batches (default performance.now) */
  timer?: () => number;
  /** called after a batch removed hour tallies before `cutoff` (what cached sums of them counted is gone) */
  onTalliesPruned?: (cutoff: number) => void;
}

export const DEFAULT_ROLLUP_RETENTION_MS = 90 * 86_400_000;
const FIRST_BATCH = 500;
/** nodes whose roll-ups one prune batch trims (a few range deletes each) */
const NODE_BATCH = 50;
const MIN_BATCH = 50;
const MAX_BATCH = 2_000;
/** active incidents are read in pages of this many, with a yield between pages */
const INCIDENT_PAGE = 2_000;

/**
 * The rows of one table that are the evidence of active incidents, which no prune removes.
 *
 * The rule implemented (an incident is active while `open` or `acknowledged`):
 * - security incidents with linked evidence (`incident_events`, written by the detections): every
 *   linked event is kept (the first EVIDENCE_CAP of each incident; its count stays the true count).
 * - `node_down` (entity = the node's key): every heartbeat of that node from its last passing
 *   check before first_seen on (the failing run that took it down, with the last good check as
 *   context; all of them when the node never passed) is kept.
 * - `latency_anomaly` (entity = the node's key): every heartbeat of that node from first_seen on
 *   (the slow checks; the rest of the fleet's heartbeats are pruned as usual).
 * - any other active incident (one with no linked evidence, or a rule this module does not know)
 *   keeps every row of its pane's table from its first_seen on: unknown evidence is kept whole
 *   rather than guessed.
 * Once an incident is resolved its evidence is pruned like any other row by the next run.
 */
interface Evidence {
  /** protected rows by key (src_ip for events, node_id for heartbeats): kept when time >= from */
  byKey: Map<string | number, number>;
  /** heartbeats: node_id -> first_seen, whose failing-run start is looked up when first needed */
  pendingRuns: Map<number, number>;
  /** every row of the table at or after this time is kept (unknown rules); Infinity for none */
  floor: number;
  /** whether some active incident links its evidence explicitly (then each row is looked up) */
  linked: boolean;
}

interface ActiveIncident {
  id: number;
  dedup_key: string;
  rule: string;
  entity: string;
  pane: string;
  first_seen: number;
  node_id: number | null;
}

/**
 * The retention prune: removes raw rows past retention in short batches, each its own
 * transaction, yielding to the event loop between them, and never removes the evidence of an
 * active incident (see `Evidence`). One run at a time: a call while one runs joins it.
 */
export class RetentionPruner {
  private running: Promise<PruneReport> | null = null;
  private stopped = false;
  private readonly opts: Required<Omit<RetentionOptions, "batchSize">> & { batchSize?: number };
  private readonly stmts;
  private readonly figures: FiguresStore;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    options: RetentionOptions,
  ) {
    this.opts = {
      retentionMs: options.retentionMs,
      batchSize: options.batchSize,
      rollupRetentionMs: options.rollupRetentionMs ?? DEFAULT_ROLLUP_RETENTION_MS,
      networkRollups: options.networkRollups ?? DEFAULT_ROLLUP_RETENTION,
      sliceMs: options.sliceMs ?? 10,
      yieldToLoop: options.yieldToLoop ?? (() => new Promise<void>((resolve) => setImmediate(resolve))),
      timer: options.timer ?? (() => performance.now()),
      onTalliesPruned: options.onTalliesPruned ?? (() => {}),
    };
    if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
      throw new Error(`retention batch size must be a positive whole number, got ${options.batchSize}`);
    }
    this.figures = new FiguresStore(sqlite);
    this.stmts = {
      nodeIds: sqlite.prepare<[number, number], { id: number }>(`SELECT id FROM nodes WHERE id > ? ORDER BY id LIMIT ?`),
      // paged along the partial index that holds only active incidents (status <> 'resolved')
      activeIncidents: sqlite.prepare<[string, number], ActiveIncident>(
        `SELECT i.id, i.dedup_key, i.rule, i.entity, i.pane, i.first_seen, n.id AS node_id
           FROM incidents i LEFT JOIN nodes n ON i.rule IN ('node_down', 'latency_anomaly') AND n.key = i.entity
          WHERE i.status <> 'resolved' AND i.dedup_key > ? ORDER BY i.dedup_key LIMIT ?`,
      ),
      lastPassBefore: sqlite.prepare<[number, number], { t: number | null }>(
        `SELECT max(time) AS t FROM heartbeats WHERE node_id = ? AND time < ? AND ok = 1`,
      ),
      hasLinks: sqlite.prepare<[number], { one: number }>(`SELECT 1 AS one FROM incident_events WHERE incident_id = ? LIMIT 1`),
      linkedToActive: sqlite.prepare<[number], { one: number }>(
        `SELECT 1 AS one FROM incident_events e JOIN incidents i ON i.id = e.incident_id WHERE e.event_id = ? AND i.status <> 'resolved' LIMIT 1`,
      ),
      unlink: sqlite.prepare<[number]>(`DELETE FROM incident_events WHERE event_id = ?`),
      events: candidates(sqlite, "security_events", "src_ip"),
      heartbeats: candidates(sqlite, "heartbeats", "node_id"),
      // one row by its key at a time: `id IN (SELECT value FROM json_each(?))` is planned as a full
      // scan once ANALYZE has run (db/queries/query-plans.test.ts caught it)
      deleteEvent: sqlite.prepare<[number]>(`DELETE FROM security_events WHERE id = ?`),
      // event_tallies is WITHOUT ROWID: a batch is picked by its primary key, one dim at a time so
      // the pick is a range of that key (dim, span, bucket < cutoff)
      deleteTallies: sqlite.prepare<[string, number, number, number]>(
        `DELETE FROM event_tallies WHERE (dim, span, bucket, value) IN
           (SELECT dim, span, bucket, value FROM event_tallies WHERE dim = ? AND span = ? AND bucket < ? ORDER BY bucket LIMIT ?)`,
      ),
      deleteHeartbeat: sqlite.prepare<[number]>(`DELETE FROM heartbeats WHERE id = ?`),
      // event_minutes is WITHOUT ROWID (migration 0012): a batch is picked by its primary key
      deleteMinutes: sqlite.prepare<[number, number]>(
        `DELETE FROM event_minutes WHERE (minute, severity) IN (SELECT minute, severity FROM event_minutes WHERE minute < ? ORDER BY minute LIMIT ?)`,
      ),
    };
  }

  /** Runs a prune, or joins the one already running. */
  run(): Promise<PruneReport> {
    this.running ??= this.prune().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Ends a running prune after its current batch and refuses new ones (shutdown). */
  stop(): void {
    this.stopped = true;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  private async prune(): Promise<PruneReport> {
    const { timer } = this.opts;
    const started = timer();
    const report: PruneReport = { heartbeats: 0, events: 0, eventMinutes: 0, tallies: 0, networkRollups: 0, kept_for_incidents: 0, ms: 0, batches: 0, slowest_batch_ms: 0 };
    const evidence = await this.evidence();
    // deleting rows writes many pages; their checkpoints run on a worker, not inside these commits
    let checkpointer: OffThreadCheckpointer | null | undefined;
    try {
      await this.removeOldRows(report, evidence, () => {
        checkpointer ??= OffThreadCheckpointer.start(this.sqlite);
      });
    } finally {
      await checkpointer?.stop();
    }
    if (!this.stopped) {
      // fresh statistics for the planner after a large change (bounded by analysis_limit)
      this.sqlite.pragma("analysis_limit = 400");
      this.sqlite.pragma("optimize");
    }
    report.ms = Math.round((timer() - started) * 10) / 10;
    report.slowest_batch_ms = Math.round(report.slowest_batch_ms * 10) / 10;
    return report;
  }

  private async removeOldRows(report: PruneReport, evidence: { events: Evidence; heartbeats: Evidence }, onFirstWrite: () => void): Promise<void> {
    const { timer } = this.opts;
    const now = this.clock.now();
    const cutoff = now - this.opts.retentionMs;
    let size = this.opts.batchSize ?? FIRST_BATCH;
    /** runs one batch in its own write transaction, times it, adapts the next size and yields */
    const batch = async <T extends { done: number }>(work: (limit: number) => T): Promise<T & { limit: number }> => {
      const limit = size;
      const t0 = timer();
      const result = this.sqlite.transaction(() => work(limit)).immediate();
      const took = timer() - t0;
      if (result.done > 0) {
        report.batches++;
        onFirstWrite();
      }
      report.slowest_batch_ms = Math.max(report.slowest_batch_ms, took);
      if (this.opts.batchSize === undefined) {
        const ideal = (limit * this.opts.sliceMs) / Math.max(took, 0.5);
        size = Math.round(Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.min(ideal, limit * 2))));
      }
      await this.opts.yieldToLoop();
      return { ...result, limit };
    };

    for (const table of [
      { evidence: evidence.events, select: this.stmts.events, remove: this.stmts.deleteEvent, count: "events" as const },
      { evidence: evidence.heartbeats, select: this.stmts.heartbeats, remove: this.stmts.deleteHeartbeat, count: "heartbeats" as const },
    ]) {
      let cursor = { time: -Infinity, id: 0 };
      while (!this.stopped) {
        const { done, removed, limit } = await batch((n) => {
          const rows = table.select.all(cutoff, cursor.time, cursor.id, n);
          if (rows.length) cursor = { time: rows[rows.length - 1].time, id: rows[rows.length - 1].id };
          const doomed = rows.filter((r) => !this.isEvidence(table.evidence, r));
          for (const r of doomed) {
            table.remove.run(r.id);
            if (table.count === "events") this.stmts.unlink.run(r.id);
          }
          return { done: rows.length, removed: doomed.length };
        });
        report[table.count] += removed;
        report.kept_for_incidents += done - removed;
        if (done < limit) break;
      }
    }

    const rollupCutoff = now - this.opts.rollupRetentionMs;
    while (!this.stopped) {
      const { done, limit } = await batch((n) => ({ done: this.stmts.deleteMinutes.run(rollupCutoff, n).changes }));
      report.eventMinutes += done;
      if (done < limit) break;
    }
    // per-key tallies: minute buckets serve ranges up to a day (kept 2 days), hour buckets the rest
    for (const [span, before] of [
      [60_000, now - 2 * 86_400_000],
      [3_600_000, rollupCutoff],
    ] as const) {
      for (const dim of TALLY_DIMS) {
        while (!this.stopped) {
          const { done, limit } = await batch((n) => ({ done: this.stmts.deleteTallies.run(dim, span, before, n).changes }));
          report.tallies += done;
          if (done > 0 && span === 3_600_000) this.opts.onTalliesPruned(before);
          if (done < limit) break;
        }
      }
    }

    // node roll-ups and status history: a few primary-key range deletes per node, nodes in slices
    const keep = this.opts.networkRollups;
    const cutoffs = { minute: now - keep.minute, hour: now - keep.hour, day: now - keep.day, status: now - keep.day };
    let afterId = 0;
    while (!this.stopped) {
      const ids = this.stmts.nodeIds.all(afterId, NODE_BATCH).map((r) => r.id);
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1];
      const { done } = await batch(() => ({ done: ids.reduce((n, id) => n + this.figures.pruneNode(id, cutoffs), 0) }));
      report.networkRollups += done;
      if (ids.length < NODE_BATCH) break;
    }
  }

  private isEvidence(evidence: Evidence, row: { id: number; time: number; key: string | number | null }): boolean {
    if (row.time >= evidence.floor) return true;
    if (evidence.linked && this.stmts.linkedToActive.get(row.id)) return true;
    if (row.key === null) return false;
    const pending = evidence.pendingRuns.get(row.key as number);
    if (pending !== undefined) {
      // the failing run that took the node down starts after its last passing check
      const last = this.stmts.lastPassBefore.get(row.key as number, pending)?.t;
      evidence.byKey.set(row.key, Math.min(evidence.byKey.get(row.key) ?? Infinity, last ?? -Infinity));
      evidence.pendingRuns.delete(row.key as number);
    }
    const from = evidence.byKey.get(row.key);
    return from !== undefined && row.time >= from;
  }

  /** The active incidents' evidence, read in pages so thousands of incidents do not hold the loop. */
  private async evidence(): Promise<{ events: Evidence; heartbeats: Evidence }> {
    const events: Evidence = { byKey: new Map(), pendingRuns: new Map(), floor: Infinity, linked: false };
    const heartbeats: Evidence = { byKey: new Map(), pendingRuns: new Map(), floor: Infinity, linked: false };
    let after = "";
    for (;;) {
      const page = this.stmts.activeIncidents.all(after, INCIDENT_PAGE);
      for (const i of page) {
        if (i.pane === "security" && this.stmts.hasLinks.get(i.id)) {
          events.linked = true;
        } else if (i.rule === "node_down") {
          // a key with no node row has no heartbeats to keep
          if (i.node_id !== null) {
            const earlier = heartbeats.pendingRuns.get(i.node_id);
            heartbeats.pendingRuns.set(i.node_id, Math.min(earlier ?? Infinity, i.first_seen));
          }
        } else if (i.rule === "latency_anomaly") {
          if (i.node_id !== null) heartbeats.byKey.set(i.node_id, Math.min(heartbeats.byKey.get(i.node_id) ?? Infinity, i.first_seen));
        } else {
          const evidence = i.pane === "network" ? heartbeats : events;
          evidence.floor = Math.min(evidence.floor, i.first_seen);
        }
      }
      if (page.length < INCIDENT_PAGE) break;
      after = page[page.length - 1].dedup_key;
      await this.opts.yieldToLoop();
    }
    return { events, heartbeats };
  }
}

/** The next rows past `cutoff` in (time, id) order after a cursor, with the key their evidence is matched on. */
function candidates(sqlite: Database.Database, table: string, keyColumn: string) {
  return sqlite.prepare<[number, number, number, number], { id: number; time: number; key: string | number | null }>(
    `SELECT id, time, ${keyColumn} AS key FROM ${table}
      WHERE time < ? AND (time, id) > (?, ?) ORDER BY time, id LIMIT ?`,
  );
}
