import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

/**
 * The worker's whole program: its own connection to the file, a PASSIVE checkpoint every
 * `intervalMs` (it never waits for, nor blocks, the server's reads and writes), until told to stop.
 */
const WORKER_JS = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const checkpoint = () => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** Absolute path of better-sqlite3's entry, found from this module or, in a bundle, from the working directory. */
function driverPath(): string {
  for (const base of [import.meta.url, path.join(process.cwd(), "package.json")]) {
    try {
      return createRequire(base).resolve("better-sqlite3");
    } catch {
      // try the next base
    }
  }
  throw new Error("cannot find the better-sqlite3 package for the checkpoint worker");
}

/**
 * Moves WAL checkpoints off the event loop while a bulk write (the retention prune) runs: the
 * connection's automatic checkpoint, which runs inside whichever commit crosses the threshold
 * and costs tens of milliseconds of fsync, is switched off, and a worker thread checkpoints
 * instead. `stop()` restores the automatic checkpoint. For ":memory:" databases it does nothing.
 */
export class OffThreadCheckpointer {
  private constructor(
    private readonly sqlite: Database.Database,
    private readonly worker: Worker,
    private readonly autocheckpoint: number,
  ) {}

  static start(sqlite: Database.Database, intervalMs = 100): OffThreadCheckpointer | null {
    const file = sqlite.name;
    if (!file || file === ":memory:" || sqlite.memory) return null;
    const autocheckpoint = sqlite.pragma("wal_autocheckpoint", { simple: true }) as number;
    // already off: another checkpointer (the server's, for its whole life) does this work
    if (autocheckpoint === 0) return null;
    const worker = new Worker(WORKER_JS, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 32 }, workerData: { file, driver: driverPath(), intervalMs } });
    worker.unref();
    // a worker that fails leaves the automatic checkpoint on
    worker.once("error", () => sqlite.open && sqlite.pragma(`wal_autocheckpoint = ${autocheckpoint}`));
    sqlite.pragma("wal_autocheckpoint = 0");
    return new OffThreadCheckpointer(sqlite, worker, autocheckpoint);
  }

  /** Restores the automatic checkpoint and lets the worker make a last checkpoint and end. */
  async stop(): Promise<void> {
    if (this.sqlite.open) this.sqlite.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`);
    const ended = new Promise<void>((resolve) => {
      this.worker.once("exit", () => resolve());
      this.worker.once("error", () => resolve());
    });
    this.worker.ref(); // whoever awaits this keeps the process alive until the worker is done
    this.worker.postMessage("stop");
    await ended;
  }
}
