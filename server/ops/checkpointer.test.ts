import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { manualClock } from "../clock";
import { OffThreadCheckpointer } from "./checkpointer";
import { RetentionPruner } from "./retention";

const DAY = 86_400_000;
let dirs: string[] = [];
let handles: DatabaseHandle[] = [];
afterEach(() => {
  for (const h of handles) h.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
  handles = [];
});

function fileDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-checkpoint-"));
  dirs.push(dir);
  const handle = openDatabase(dir);
  handles.push(handle);
  handle.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  return handle;
}

function insertEvents(handle: DatabaseHandle, n: number, time: number) {
  const insert = handle.sqlite.prepare(`INSERT INTO security_events (time, received_at, kind, severity, source, message) VALUES (?, ?, 'system', 'info', 't', ?)`);
  handle.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(time + i, time + i, `event ${i} ${"x".repeat(200)}`);
  })();
}

describe("off-thread checkpointer", () => {
  it("turns the connection's automatic checkpoint off while it runs, checkpoints on its worker, and restores it", async () => {
    const handle = fileDatabase();
    const { sqlite } = handle;
    const mainFileBefore = fs.statSync(handle.file).size;
    const checkpointer = OffThreadCheckpointer.start(sqlite, 60_000)!;
    expect(checkpointer).not.toBeNull();
    expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    insertEvents(handle, 5000, Date.UTC(2026, 0, 1));
    // nothing checkpointed the new pages into the main file yet: they sit in the WAL
    expect(fs.statSync(handle.file).size).toBe(mainFileBefore);
    await checkpointer.stop();
    expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    // the worker's last checkpoint moved them into the main file
    expect(fs.statSync(handle.file).size).toBeGreaterThan(mainFileBefore + 1_000_000);
  });

  it("does nothing for an in-memory database", () => {
    const handle = openDatabase(":memory:");
    handles.push(handle);
    expect(OffThreadCheckpointer.start(handle.sqlite)).toBeNull();
  });

  it("a prune on a database file removes the old rows and leaves the automatic checkpoint as it was", async () => {
    const handle = fileDatabase();
    const now = Date.UTC(2026, 5, 1);
    insertEvents(handle, 3000, now - 10 * DAY);
    insertEvents(handle, 10, now - DAY);
    const report = await new RetentionPruner(handle.sqlite, manualClock(now), { retentionMs: 7 * DAY, batchSize: 500 }).run();
    expect(report).toMatchObject({ events: 3000, batches: 6 });
    expect((handle.sqlite.prepare("SELECT count(*) AS n FROM security_events").get() as { n: number }).n).toBe(10);
    expect(handle.sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });
});
