import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { CHAIN_COLUMNS, CHAIN_RULE_JS, chainWalker, GENESIS, type ChainPoint, type ChainRow, type ChainWalker, type WalkResult } from "./chain-rule";

/** Rows read per page by the worker. */
export const PAGE_ROWS = 2_000;
/** Rows read per page by the in-thread slices (about 10 µs each to hash): a page stays well under a slice. */
export const SLICE_PAGE_ROWS = 250;
/** An in-thread slice stops reading pages after this long and yields to the event loop. */
export const SLICE_MS = 8;

export interface Progress {
  checked: number;
  total: number;
}

/**
 * The worker's whole program. It requires only node built-ins and better-sqlite3 (by the absolute
 * path the parent resolved), runs the shared chain rule, and reads through its own read-only
 * connection (WAL lets it read while the server writes), page by page so no read transaction
 * stays open for the whole run.
 */
const WORKER_JS = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const Database = require(workerData.driver);
${CHAIN_RULE_JS}
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  const total = db.prepare("SELECT coalesce(max(id), 0) AS n FROM audit_log").get().n;
  parentPort.postMessage({ type: "progress", checked: 0, total });
  const page = db.prepare("SELECT ${CHAIN_COLUMNS} FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT ${PAGE_ROWS}");
  const walker = chainWalker({ id: 0, hash: GENESIS }, workerData.anchor);
  let after = 0;
  let checked = 0;
  let posted = Date.now();
  for (;;) {
    const rows = page.all(after, total);
    if (rows.length === 0) break;
    const ok = walker.check(rows);
    checked += rows.length;
    after = rows[rows.length - 1].id;
    if (!ok) break;
    if (Date.now() - posted >= 50) {
      posted = Date.now();
      parentPort.postMessage({ type: "progress", checked, total });
    }
  }
  parentPort.postMessage({ type: "progress", checked, total });
  parentPort.postMessage({ type: "done", result: walker.result() });
} finally {
  db.close();
}
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
  throw new Error("cannot find the better-sqlite3 package for the verification worker");
}

/** Full verification of the file's chain on a worker thread. */
export function verifyInWorker(file: string, anchor: ChainPoint | null, onProgress: (p: Progress) => void): Promise<WalkResult> {
  return new Promise((resolve, reject) => {
    // no loader flags (plain JS), and a heap of its own, small: it holds one page of rows at a time
    const worker = new Worker(WORKER_JS, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 64 }, workerData: { file, anchor, driver: driverPath() } });
    // a verification in progress never keeps a stopping process alive
    worker.unref();
    let result: WalkResult | null = null;
    worker.on("message", (m: { type: "progress"; checked: number; total: number } | { type: "done"; result: WalkResult }) => {
      if (m.type === "progress") onProgress({ checked: m.checked, total: m.total });
      else result = m.result;
    });
    worker.on("error", reject);
    worker.on("exit", (code) => (result ? resolve(result) : reject(new Error(`verification worker exited (code ${code}) without a result`))));
  });
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/**
 * Walks rows after `walker`'s start up to `through` on this thread, in slices of at most about
 * SLICE_MS, yielding to the event loop between slices. `afterSlice` runs after each slice (the
 * catch-up stores its progress there). Stops quietly if the database is closed meanwhile.
 */
export async function walkInSlices(
  sqlite: Database.Database,
  walker: ChainWalker,
  through: number,
  afterSlice: (checked: number) => void,
): Promise<"done" | "broken" | "closed"> {
  const page = sqlite.prepare<[number, number], ChainRow>(`SELECT ${CHAIN_COLUMNS} FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT ${SLICE_PAGE_ROWS}`);
  let checked = 0;
  let after = walker.at().id;
  for (;;) {
    if (!sqlite.open) return "closed";
    const started = performance.now();
    do {
      const rows = page.all(after, through);
      if (rows.length === 0) {
        afterSlice(checked);
        return "done";
      }
      const ok = walker.check(rows);
      checked += rows.length;
      after = rows[rows.length - 1].id;
      if (!ok) {
        afterSlice(checked);
        return "broken";
      }
    } while (performance.now() - started < SLICE_MS);
    afterSlice(checked);
    await nextTurn();
  }
}

/** Full verification on this thread in slices: for ":memory:" databases, which a worker cannot open. */
export async function verifyInSlices(sqlite: Database.Database, anchor: ChainPoint | null, onProgress: (p: Progress) => void): Promise<WalkResult> {
  // nothing of the walk runs on the caller's turn (a request)
  await nextTurn();
  const total = (sqlite.prepare("SELECT coalesce(max(id), 0) AS n FROM audit_log").get() as { n: number }).n;
  onProgress({ checked: 0, total });
  const walker = chainWalker({ id: 0, hash: GENESIS }, anchor);
  const outcome = await walkInSlices(sqlite, walker, total, (checked) => onProgress({ checked, total }));
  if (outcome === "closed") throw new Error("the database was closed during verification");
  return walker.result();
}
