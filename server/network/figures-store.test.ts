import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { FiguresStore } from "./figures-store";
import { RetentionPruner } from "../ops/retention";
import { foldRecords, rollMinutes, type CheckSample, type Resolution, type RollupRecord } from "./rollup";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

const handles: DatabaseHandle[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) if (h.sqlite.open) h.sqlite.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function memory(): { handle: DatabaseHandle; store: FiguresStore; node: number } {
  const handle = openDatabase(":memory:");
  handles.push(handle);
  const node = Number(handle.sqlite.prepare(`INSERT INTO nodes (key, name) VALUES ('gw', 'Gateway')`).run().lastInsertRowid);
  return { handle, store: new FiguresStore(handle.sqlite), node };
}

/** Everything a table holds for a node, as figures to compare. */
function stored(store: FiguresStore, node: number, resolution: Resolution) {
  return store.records(node, resolution, 0, Number.MAX_SAFE_INTEGER).map(plain);
}
const plain = (r: RollupRecord) => ({ bucket: r.bucket, count: r.count, failures: r.failures, n: r.sketch.count, min: r.sketch.min, max: r.sketch.max, p50: r.sketch.quantile(0.5), p95: r.sketch.quantile(0.95) });
const expected = (samples: CheckSample[], resolution: Resolution) => {
  const minutes = rollMinutes(samples);
  return (resolution === "minute" ? minutes : resolution === "hour" ? foldRecords(minutes, "hour") : foldRecords(foldRecords(minutes, "hour"), "day")).map(plain);
};

/** 3 days of 30-second results, some failed, in a shuffled order. */
function series(): CheckSample[] {
  const out: CheckSample[] = [];
  for (let i = 0; i < 3 * 2880; i++) out.push({ time: T0 + i * 30_000 + (i % 7) * 100, ok: i % 41 !== 0, latency_ms: i % 41 === 0 ? null : 10 + ((i * 37) % 90) });
  // a deterministic shuffle: late and out-of-order results
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe("roll-up rows", () => {
  it("late and out-of-order results, in batches of any size, land in their own minute, hour and day rows", () => {
    const { handle, store, node } = memory();
    const samples = series();
    // batches of 1, 7 and 500 results, each its own transaction, as the ingest and the probes write them
    for (let i = 0, size = 1; i < samples.length; i += size, size = size === 1 ? 7 : size === 7 ? 500 : 1) {
      const batch = samples.slice(i, i + size);
      handle.sqlite.transaction(() => store.addResults(batch.map((s) => ({ nodeId: node, ...s }))))();
    }
    for (const r of ["minute", "hour", "day"] as const) expect(stored(store, node, r)).toEqual(expected(samples, r));
    // a result two days late still lands in its own buckets
    const late = { time: T0 + 5 * MIN + 1, ok: false, latency_ms: null };
    handle.sqlite.transaction(() => store.addResults([{ nodeId: node, ...late }]))();
    for (const r of ["minute", "hour", "day"] as const) expect(stored(store, node, r)).toEqual(expected([...samples, late], r));
  });

  it("a transaction that fails writes neither the raw rows nor their roll-ups", () => {
    const { handle, store, node } = memory();
    const insert = handle.sqlite.prepare(`INSERT INTO heartbeats (node_id, time, ok, latency_ms) VALUES (?, ?, 1, ?)`);
    expect(() =>
      handle.sqlite.transaction(() => {
        insert.run(node, T0, 12);
        store.addResults([{ nodeId: node, time: T0, ok: true, latency_ms: 12 }]);
        throw new Error("killed mid-batch");
      })(),
    ).toThrow("killed mid-batch");
    expect(handle.sqlite.prepare(`SELECT count(*) AS n FROM heartbeats`).get()).toEqual({ n: 0 });
    expect(stored(store, node, "minute")).toEqual([]);
  });

  it("keeps the sketch's p95 beside it, for ranking hours without decoding", () => {
    const { handle, store, node } = memory();
    handle.sqlite.transaction(() => store.addResults([10, 20, 30, 400].map((l, i) => ({ nodeId: node, time: T0 + i * 1000, ok: true, latency_ms: l }))))();
    const row = handle.sqlite.prepare(`SELECT p95 FROM node_rollup_hours WHERE node_id = ?`).get(node) as { p95: number };
    expect(row.p95).toBeCloseTo(store.records(node, "hour", 0, Number.MAX_SAFE_INTEGER)[0].sketch.quantile(0.95)!, 9);
  });
});

describe("a restart does not count a result twice", () => {
  it("results written before a kill are counted once after reopening, and the boot backfill adds nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-rollups-"));
    dirs.push(dir);
    const first = openDatabase(dir);
    handles.push(first);
    const { createCore } = await import("../core");
    const core = createCore(first, { clock: { now: () => T0 + HOUR }, access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" } });
    core.ingestHeartbeats(Array.from({ length: 90 }, (_, i) => ({ node: "gw", ok: i % 10 !== 0, latency_ms: 20 + i, time: T0 + i * 20_000 })), "test");
    // no shutdown: the connection simply goes away, as with kill -9 (WAL keeps what was committed)
    first.sqlite.close();

    const again = openDatabase(dir);
    handles.push(again);
    const core2 = createCore(again, { clock: { now: () => T0 + HOUR }, access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" } });
    expect(await core2.backfillRollups()).toBe(0);
    const store = new FiguresStore(again.sqlite);
    const id = (again.sqlite.prepare(`SELECT id FROM nodes WHERE key = 'gw'`).get() as { id: number }).id;
    const hours = store.records(id, "hour", 0, Number.MAX_SAFE_INTEGER);
    expect(hours.map((h) => [h.count, h.failures])).toEqual([[90, 9]]);
  }, 30_000);

  it("heartbeats from before the upgrade are rolled up once, in slices, even when the backfill is cut short", async () => {
    const { handle, store, node } = memory();
    const insert = handle.sqlite.prepare(`INSERT INTO heartbeats (node_id, time, ok, latency_ms) VALUES (?, ?, ?, ?)`);
    handle.sqlite.transaction(() => {
      for (let i = 0; i < 1000; i++) insert.run(node, T0 + i * 30_000, i % 50 === 0 ? 0 : 1, 15);
    })();
    // as the migration leaves it on a database that had these heartbeats
    handle.sqlite.prepare(`UPDATE node_rollup_backfill SET below_id = (SELECT max(id) FROM heartbeats), done_id = 0`).run();
    // a heartbeat that arrives after the upgrade is rolled up by its own write, not by the backfill
    handle.sqlite.transaction(() => {
      insert.run(node, T0 + 1000 * 30_000, 1, 15);
      store.addResults([{ nodeId: node, time: T0 + 1000 * 30_000, ok: true, latency_ms: 15 }]);
    })();
    // three slices, then the process dies: the slice in flight rolls back with its progress mark
    for (let i = 0; i < 3; i++) handle.sqlite.transaction(() => store.backfillSlice(128))();
    expect(() =>
      handle.sqlite.transaction(() => {
        store.backfillSlice(128);
        throw new Error("kill -9");
      })(),
    ).toThrow();
    const rest = await new (await import("./figures")).NetworkFigures(handle.sqlite, { now: () => T0 }).backfill((fn) => handle.sqlite.transaction(fn)(), 128, async () => {});
    expect(rest).toBe(1000 - 3 * 128);
    const days = store.records(node, "day", 0, Number.MAX_SAFE_INTEGER);
    expect(days.reduce((s, d) => s + d.count, 0)).toBe(1001);
    expect(days.reduce((s, d) => s + d.failures, 0)).toBe(20);
    // nothing left: a second run reads nothing
    expect(handle.sqlite.transaction(() => store.backfillSlice(128))()).toBe(0);
  });
});

describe("status history", () => {
  const history = (h: DatabaseHandle, node: number) => h.sqlite.prepare(`SELECT at, status, reason FROM node_status_changes WHERE node_id = ? ORDER BY at`).all(node);

  it("a change dated back by its evidence replaces the changes after it; a repeated status is not recorded", () => {
    const { handle, store, node } = memory();
    store.recordStatus(node, T0, "up", null);
    store.recordStatus(node, T0 + 10 * MIN, "degraded", "http: HTTP 500");
    store.recordStatus(node, T0 + 11 * MIN, "up", null);
    // the checks say the node has been down since its first failure at +10 min
    store.recordStatus(node, T0 + 10 * MIN, "down", "http: HTTP 500");
    store.recordStatus(node, T0 + 12 * MIN, "down", "still");
    expect(history(handle, node)).toEqual([
      { at: T0, status: "up", reason: null },
      { at: T0 + 10 * MIN, status: "down", reason: "http: HTTP 500" },
    ]);
  });

  it("without reaching back (heartbeat nodes judged in arrival order) a late change is recorded at the newest time", () => {
    const { handle, store, node } = memory();
    store.recordStatus(node, T0 + 5 * MIN, "down", "x", false);
    store.recordStatus(node, T0, "up", null, false);
    expect(history(handle, node)).toEqual([
      { at: T0 + 5 * MIN, status: "up", reason: null },
    ]);
  });

  it("outages are runs of down and unreachable, newest first, with their true total; maintenance and pending end them", () => {
    const { store, node } = memory();
    const changes: [number, "up" | "down" | "unreachable" | "maintenance" | "pending", string | null][] = [
      [0, "up", null],
      [10, "down", "tcp: refused"],
      [15, "unreachable", "parent edge is down"],
      [20, "up", null],
      [30, "down", "http: HTTP 503"],
      [35, "maintenance", "patching"],
      [40, "down", "timeout"],
    ];
    for (const [m, s, r] of changes) store.recordStatus(node, T0 + m * MIN, s, r);
    const all = store.outages(node, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 10, 0);
    expect(all.total).toBe(3);
    expect(all.rows).toEqual([
      { start: T0 + 40 * MIN, end: null, status: "down", reason: "timeout" },
      { start: T0 + 30 * MIN, end: T0 + 35 * MIN, status: "down", reason: "http: HTTP 503" },
      { start: T0 + 10 * MIN, end: T0 + 20 * MIN, status: "down", reason: "tcp: refused" },
    ]);
    expect(store.outages(node, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1, 1)).toEqual({ total: 3, rows: [all.rows[1]] });
    // those overlapping a range
    expect(store.outages(node, T0 + 18 * MIN, T0 + 31 * MIN, 10, 0).rows.map((r) => r.start)).toEqual([T0 + 30 * MIN, T0 + 10 * MIN]);
  });

  it("retention trims roll-ups per resolution and keeps the status change in force at the cutoff", () => {
    const { handle, store, node } = memory();
    handle.sqlite.transaction(() => store.addResults([0, 2 * DAY, 4 * DAY].map((d) => ({ nodeId: node, time: T0 + d, ok: true, latency_ms: 5 }))))();
    store.recordStatus(node, T0, "up", null);
    store.recordStatus(node, T0 + DAY, "down", "x");
    store.recordStatus(node, T0 + 2 * DAY, "up", null);
    store.recordStatus(node, T0 + 5 * DAY, "down", "y");
    const removed = store.pruneNode(node, { minute: T0 + 3 * DAY, hour: T0 + DAY, day: T0 - DAY, status: T0 + 3 * DAY });
    expect(stored(store, node, "minute").map((r) => r.bucket)).toEqual([T0 + 4 * DAY]);
    expect(stored(store, node, "hour").map((r) => r.bucket)).toEqual([T0 + 2 * DAY, T0 + 4 * DAY]);
    expect(stored(store, node, "day")).toHaveLength(3);
    expect(history(handle, node)).toEqual([
      { at: T0 + 2 * DAY, status: "up", reason: null },
      { at: T0 + 5 * DAY, status: "down", reason: "y" },
    ]);
    expect(removed).toBe(2 + 1 + 2);
  });
});

describe("the hourly prune", () => {
  it("trims each node's roll-ups by the configured retention per resolution, and its status history as long as days", async () => {
    const { handle, store, node } = memory();
    handle.sqlite.transaction(() => store.addResults([1, 10, 100].map((d) => ({ nodeId: node, time: T0 - d * DAY, ok: true, latency_ms: 5 }))))();
    store.recordStatus(node, T0 - 100 * DAY, "up", null);
    store.recordStatus(node, T0 - 60 * DAY, "down", "x");
    store.recordStatus(node, T0 - 59 * DAY, "up", null);
    const pruner = new RetentionPruner(handle.sqlite, { now: () => T0 }, { retentionMs: 7 * DAY, networkRollups: { minute: 7 * DAY, hour: 30 * DAY, day: 50 * DAY }, yieldToLoop: async () => {} });
    const report = await pruner.run();
    expect(stored(store, node, "minute").map((r) => r.bucket)).toEqual([T0 - DAY]);
    expect(stored(store, node, "hour")).toHaveLength(2);
    expect(stored(store, node, "day")).toHaveLength(2);
    // the change in force 50 days ago (up since -59 d) stays: it says what held from then on
    expect(store.changes(node, T0 - 50 * DAY, T0)).toEqual([{ at: T0 - 59 * DAY, status: "up", reason: null }]);
    expect(report.networkRollups).toBe(2 + 1 + 1 + 2);
  });
});
