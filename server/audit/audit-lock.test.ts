import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { systemClock } from "../clock";
import { AuditLog } from "./audit-log";

const driver = createRequire(import.meta.url).resolve("better-sqlite3");

/**
 * Another process writing the same file (the server, while the CLI appends): a worker thread with
 * its own connection commits one row after another until told to stop.
 */
function startWriter(file: string): { stop(): Promise<number> } {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     const Database = require(workerData.driver);
     const db = new Database(workerData.file);
     db.pragma("busy_timeout = 5000");
     const insert = db.prepare("INSERT INTO lock_probe (n) VALUES (?)");
     let n = 0;
     parentPort.postMessage("started");
     while (Atomics.load(workerData.stop, 0) === 0) insert.run(n++);
     db.close();
     parentPort.postMessage(n);`,
    { eval: true, workerData: { file, driver, stop: stopFlag } },
  );
  const started = new Promise<void>((resolve) => worker.once("message", () => resolve()));
  return {
    stop: async () => {
      await started;
      const done = new Promise<number>((resolve, reject) => {
        worker.on("message", (n) => typeof n === "number" && resolve(n));
        worker.once("error", reject);
      });
      Atomics.store(stopFlag, 0, 1);
      const n = await done;
      await worker.terminate();
      return n;
    },
  };
}

describe("audit log beside another writer", () => {
  let dir = "";
  const handles: DatabaseHandle[] = [];
  afterEach(() => {
    for (const h of handles.splice(0)) h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("appends while another connection commits, never refused as 'database is locked' (the CLI beside a running server)", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-audit-lock-"));
    const server = openDatabase(dir);
    handles.push(server);
    server.sqlite.exec("CREATE TABLE lock_probe (n INTEGER)");
    const cli = openDatabase(dir);
    handles.push(cli);
    const audit = new AuditLog(cli.db, cli.sqlite, systemClock);
    const writer = startWriter(path.join(dir, "vigil.db"));
    // the writer commits between this side's read of the last entry and its insert, again and again
    await new Promise((r) => setTimeout(r, 0));
    const refused: string[] = [];
    for (let i = 0; i < 400; i++) {
      try {
        audit.append({ actor: "cli", action: "user_created", target: `u${i}@bank.test` });
      } catch (error) {
        refused.push((error as Error).message);
      }
    }
    const commits = await writer.stop();
    expect(commits).toBeGreaterThan(0);
    expect(refused).toEqual([]);
    expect(audit.verify()).toEqual({ ok: true, entries: 400 });
  });
});
