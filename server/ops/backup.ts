// Backups of `<dataDir>/vigil.db` with SQLite's online backup, which is consistent while the server
// keeps writing; and the server's pid file. Restore is in ./restore.ts. Nothing here exits the
// process: errors are thrown with a message for the operator.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { encryptFile } from "./backup-crypto";

export const DB_FILE = "vigil.db";
export const PID_FILE = "vigil.pid";
/** the tables whose row counts a backup or restore reports */
const COUNTED = { events: "security_events", heartbeats: "heartbeats", incidents: "incidents", audit: "audit_log" } as const;
export type RowCounts = Record<keyof typeof COUNTED, number>;

export interface BackupOptions {
  /** 32-byte key: the backup is encrypted (AES-256-GCM) when given */
  key?: Buffer;
  /**
   * Pages copied per event-loop turn. Unset copies everything in one step, which holds one read
   * snapshot and so finishes even while another process writes; a bounded step (the scheduler,
   * on the server's own connection) leaves the event loop free between steps.
   */
  pagesPerStep?: number;
  /** count rows per table (a full scan of each table; the scheduler skips it) */
  counts?: boolean;
  /**
   * Copy on a worker thread with its own read-only connection, in one step (one read snapshot;
   * WAL lets the server write meanwhile). Nothing of the copy, not even SQLite's final flush of
   * the file, runs on this thread: what the scheduler uses inside the server.
   */
  inWorker?: boolean;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  encrypted: boolean;
  pages: number;
  counts?: RowCounts;
  /** id of the last audit entry in the backup (0 when the log is empty) */
  auditHead: number;
}

export const tempName = (dir: string, label: string) => path.join(dir, `.vigil-${label}-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
export const sidecars = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
export const removeQuietly = (file: string) => fs.rmSync(file, { force: true });
export const hasTable = (db: Database.Database, name: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);

/** fsync off the event loop: flushing a multi-GB file can take seconds, and the scheduler runs in the server. */
async function fsyncAsync(p: string): Promise<void> {
  const handle = await fs.promises.open(p, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fsyncPath(p: string): void {
  const fd = fs.openSync(p, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Backs up a live database connection to `file`: temp file beside it, renamed when complete. */
export async function backupDatabase(source: Database.Database, file: string, options: BackupOptions = {}): Promise<BackupSummary> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`cannot write ${target}: directory ${dir} does not exist`);
  const sourceFile = path.resolve(source.name);
  if (sidecars(sourceFile).includes(target)) throw new Error(`refusing to back up ${sourceFile} onto itself`);
  // The plain copy of an encrypted backup stays beside the live database (same protection as the
  // data itself), never in the backup folder; a plain backup is written beside its final name.
  const plain = tempName(options.key ? path.dirname(sourceFile) : dir, "backup");
  const sealed = options.key ? tempName(dir, "backup") : null;
  try {
    fs.writeFileSync(plain, "", { flag: "wx", mode: 0o600 });
    const pages = options.inWorker ? await copyInWorker(sourceFile, plain) : await copyInSteps(source, plain, options.pagesPerStep);
    const copy = new Database(plain, { fileMustExist: true });
    let counts: RowCounts | undefined;
    let auditHead: number;
    try {
      if (options.counts) counts = countRows(copy);
      auditHead = hasTable(copy, "audit_log") ? (copy.prepare("SELECT coalesce(max(id), 0) AS head FROM audit_log").get() as { head: number }).head : 0;
    } finally {
      copy.close();
    }
    let written = plain;
    if (options.key && sealed) {
      await encryptFile(plain, sealed, options.key);
      await fsyncAsync(sealed);
      written = sealed;
    } else {
      await fsyncAsync(plain);
    }
    fs.renameSync(written, target);
    await fsyncAsync(dir);
    return { file: target, bytes: fs.statSync(target).size, encrypted: !!options.key, pages, counts, auditHead };
  } finally {
    for (const f of sidecars(plain)) removeQuietly(f);
    if (sealed) removeQuietly(sealed);
  }
}

/** The copy on this connection, `pagesPerStep` pages per event-loop turn (all at once when unset). */
async function copyInSteps(source: Database.Database, plain: string, pagesPerStep = 0x7fffffff): Promise<number> {
  let restarts = 0;
  let lastRemaining = Infinity;
  let lastTotal = Infinity;
  const progress = await source.backup(plain, {
    progress: ({ totalPages, remainingPages }) => {
      // another connection's write restarts an online backup from its first page
      if (remainingPages > lastRemaining && remainingPages === totalPages && ++restarts > 20) {
        throw new Error("the database kept changing under the backup (writes from another process); try again");
      }
      // Writes on the same connection land in the copy as they happen, but a database growing
      // faster than the step would never be finished: copy twice what was added since the last
      // step on top (work proportional to what the server itself just did).
      const added = Math.max(0, totalPages - lastTotal);
      lastRemaining = remainingPages;
      lastTotal = totalPages;
      return Math.min(0x7fffffff, pagesPerStep + 2 * added);
    },
  });
  return progress.totalPages;
}

/** The worker's whole program: node built-ins and better-sqlite3 only (plain JS, survives bundling). */
const COPY_WORKER_JS = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.source, { readonly: true, fileMustExist: true });
db.backup(workerData.target, { progress: () => 0x7fffffff }).then(
  (p) => { db.close(); parentPort.postMessage({ ok: true, pages: p.totalPages }); },
  (e) => { db.close(); parentPort.postMessage({ ok: false, message: String((e && e.message) || e) }); },
);
`;

/** Absolute path of better-sqlite3's entry, from this module or, in a bundle, from the working directory. */
function driverPath(): string {
  for (const base of [import.meta.url, path.join(process.cwd(), "package.json")]) {
    try {
      return createRequire(base).resolve("better-sqlite3");
    } catch {
      // try the next base
    }
  }
  throw new Error("cannot find the better-sqlite3 package for the backup worker");
}

function copyInWorker(sourceFile: string, plain: string): Promise<number> {
  if (!path.isAbsolute(sourceFile) || !fs.existsSync(sourceFile)) return Promise.reject(new Error(`cannot back up ${sourceFile} on a worker: not a database file`));
  return new Promise((resolve, reject) => {
    const worker = new Worker(COPY_WORKER_JS, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 64 }, workerData: { source: sourceFile, target: plain, driver: driverPath() } });
    worker.unref(); // a backup in progress never keeps a stopping server alive
    let outcome: { ok: true; pages: number } | { ok: false; message: string } | null = null;
    worker.on("message", (m: typeof outcome) => (outcome = m));
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (outcome?.ok) resolve(outcome.pages);
      else reject(new Error(outcome ? outcome.message : `backup worker exited (code ${code}) without a result`));
    });
  });
}

/** The CLI's backup: opens `<dataDir>/vigil.db` (running server or not) and backs it up to `file`. */
export async function backupDataDir(dataDir: string, file: string, options: Omit<BackupOptions, "pagesPerStep"> = {}): Promise<BackupSummary> {
  const dbFile = path.join(dataDir, DB_FILE);
  if (!fs.existsSync(dbFile)) throw new Error(`no database at ${dbFile} (is VIGIL_DATA_DIR right?)`);
  const source = new Database(dbFile, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    return await backupDatabase(source, file, { counts: true, ...options });
  } finally {
    source.close();
  }
}

export function countRows(db: Database.Database): RowCounts {
  const counts = {} as RowCounts;
  for (const [name, table] of Object.entries(COUNTED) as [keyof RowCounts, string][]) {
    // a table a backup from an older build does not have yet holds no rows
    counts[name] = hasTable(db, table) ? (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n : 0;
  }
  return counts;
}

// ---- the server's pid file: restore refuses while a server runs on the data directory ----

/** Written by the server at start; removed on exit (only if it is still ours). */
export function writePidFile(dataDir: string, pid = process.pid): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, PID_FILE), `${pid}\n`, { mode: 0o644 });
}

export function removePidFile(dataDir: string, pid = process.pid): void {
  const file = path.join(dataDir, PID_FILE);
  try {
    if (fs.readFileSync(file, "utf8").trim() === String(pid)) fs.rmSync(file);
  } catch {
    // already gone
  }
}

/** The pid of a live process named by `<dataDir>/vigil.pid`, or null (no file, or a stale one). */
export function runningServerPid(dataDir: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, PID_FILE), "utf8").trim();
  } catch {
    return null;
  }
  if (!/^\d{1,10}$/.test(text)) return null;
  const pid = Number(text);
  if (pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's process
    return (error as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}

/** Lines for the CLI. */
export function describeBackup(s: BackupSummary): string[] {
  const c = s.counts;
  return [
    `wrote ${s.file} (${formatBytes(s.bytes)}, ${s.encrypted ? "encrypted AES-256-GCM" : "NOT encrypted: set VIGIL_BACKUP_KEY to encrypt"})`,
    ...(c ? [`rows: events ${c.events}, heartbeats ${c.heartbeats}, incidents ${c.incidents}, audit ${c.audit}`] : []),
    `audit chain head: entry ${s.auditHead}`,
  ];
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i += 1;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(1)} ${units[i]}, ${n} bytes`;
}
