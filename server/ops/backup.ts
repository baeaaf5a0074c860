// Backups and restore of `<dataDir>/vigil.db`. Backups use SQLite's online backup, which copies
// page by page and is consistent while the server keeps writing; restore replaces the database
// of a STOPPED data directory, only after the copy has proved itself (tag, integrity, schema,
// audit chain). Nothing here exits the process: errors are thrown with a message for the operator.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { symmetricDecrypt } from "better-auth/crypto";
import { drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "../../db/schema";
import { AuditLog, type VerifyResult } from "../audit/audit-log";
import { CHAIN_COLUMNS, chainWalker, GENESIS, type ChainRow } from "../audit/chain-rule";
import { systemClock } from "../clock";
import { decryptFile, detectBackupKind, encryptFile } from "./backup-crypto";

export const DB_FILE = "vigil.db";
export const PID_FILE = "vigil.pid";
const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "db", "migrations");
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

const tempName = (dir: string, label: string) => path.join(dir, `.vigil-${label}-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
const sidecars = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
const removeQuietly = (file: string) => fs.rmSync(file, { force: true });

/** fsync off the event loop: flushing a multi-GB file can take seconds, and the scheduler runs in the server. */
async function fsyncAsync(p: string): Promise<void> {
  const handle = await fs.promises.open(p, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function fsyncPath(p: string): void {
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

function countRows(db: Database.Database): RowCounts {
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

// ---- restore ----

export class RestoreRefused extends Error {}

export interface RestoreOptions {
  key?: Buffer;
  /** this build's migrations (db/migrations), whose journal bounds the backup's schema */
  migrationsFolder?: string;
  /** names the moved-aside database; defaults to now */
  now?: () => number;
  /** for the two-factor check: BETTER_AUTH_SECRET, else the data dir's auth-secret file */
  env?: Record<string, string | undefined>;
}

export interface RestoreSummary {
  dataDir: string;
  from: string;
  encrypted: boolean;
  bytes: number;
  counts: RowCounts;
  auditEntries: number;
  /** migrations applied in the backup, and how many of this build's it lacks (applied at next start) */
  migrations: { applied: number; behind: number };
  /** the previous database files, renamed (empty when the directory had none) */
  movedAside: string[];
  /**
   * Two-factor secrets are encrypted with the auth secret, which lives beside the database, not in
   * it: how many the backup holds and how many open with the secret this data dir will run with.
   */
  twoFactor: { secrets: number; readable: number; secretSource: "BETTER_AUTH_SECRET" | "auth-secret file" | "none yet" };
}

/**
 * Restores `file` (plain or encrypted) as `<dataDir>/vigil.db` of a stopped data directory.
 * The copy is decrypted/copied into a temp file in the data directory and checked there; the
 * current database is moved aside and the copy renamed into place only after every check passed.
 */
export async function restoreBackup(file: string, dataDir: string, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const from = path.resolve(file);
  if (!fs.existsSync(from) || !fs.statSync(from).isFile()) throw new RestoreRefused(`no backup file at ${from}`);
  refuseIfRunning(dataDir);
  const kind = detectBackupKind(from);
  if (kind === "unknown") throw new RestoreRefused(`${from} is neither a Vigil backup nor an SQLite database`);
  if (kind === "encrypted" && !options.key) throw new RestoreRefused(`${from} is encrypted: set VIGIL_BACKUP_KEY to the key it was made with`);

  const createdDir = !fs.existsSync(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const temp = tempName(dataDir, "restore");
  let placed = false;
  try {
    if (kind === "encrypted") await decryptFile(from, temp, options.key as Buffer);
    else fs.copyFileSync(from, temp, fs.constants.COPYFILE_EXCL);
    fs.chmodSync(temp, 0o600);
    const checked = checkDatabase(temp, options.migrationsFolder ?? MIGRATIONS);
    const twoFactor = await checkTwoFactor(temp, dataDir, options.env ?? process.env);
    fsyncPath(temp);

    refuseIfRunning(dataDir); // a server may have started while we checked
    const live = path.join(dataDir, DB_FILE);
    const stamp = new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, "-");
    const movedAside: string[] = [];
    for (const suffix of ["", "-wal", "-shm", "-journal"]) {
      if (!fs.existsSync(live + suffix)) continue;
      const aside = path.join(dataDir, `${DB_FILE}.before-restore-${stamp}${suffix}`);
      fs.renameSync(live + suffix, aside);
      movedAside.push(aside);
    }
    fs.renameSync(temp, live);
    placed = true;
    fsyncPath(dataDir);
    return { dataDir, from, encrypted: kind === "encrypted", bytes: fs.statSync(live).size, movedAside, twoFactor, ...checked };
  } catch (error) {
    if (error instanceof RestoreRefused) throw error;
    throw new RestoreRefused(`restore refused, nothing changed in ${dataDir}: ${(error as Error).message}`);
  } finally {
    if (!placed) {
      for (const f of sidecars(temp)) removeQuietly(f);
      if (createdDir) {
        try {
          fs.rmdirSync(dataDir); // only when still empty: leave no trace of a refused restore
        } catch {
          // not empty: something else is there now; leave it
        }
      }
    }
  }
}

async function checkTwoFactor(file: string, dataDir: string, env: Record<string, string | undefined>): Promise<RestoreSummary["twoFactor"]> {
  const fromFile = path.join(dataDir, "auth-secret");
  const secret = env.BETTER_AUTH_SECRET || (fs.existsSync(fromFile) ? fs.readFileSync(fromFile, "utf8").trim() : undefined);
  const secretSource = env.BETTER_AUTH_SECRET ? "BETTER_AUTH_SECRET" : secret ? "auth-secret file" : "none yet";
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let rows: { secret: string }[];
  try {
    rows = hasTable(db, "two_factor") ? (db.prepare("SELECT secret FROM two_factor").all() as { secret: string }[]) : [];
  } finally {
    db.close();
  }
  let readable = 0;
  for (const row of rows) {
    if (!secret) break;
    try {
      await symmetricDecrypt({ key: secret, data: row.secret });
      readable += 1;
    } catch {
      // sealed with another secret
    }
  }
  return { secrets: rows.length, readable, secretSource };
}

function refuseIfRunning(dataDir: string): void {
  const pid = runningServerPid(dataDir);
  if (pid !== null) {
    throw new RestoreRefused(
      `Vigil is running on ${dataDir} (process ${pid}, from ${path.join(dataDir, PID_FILE)}): stop it before restoring. ` +
        "If no server runs there, the pid file is stale: delete it.",
    );
  }
}

/** Integrity, schema version and audit chain of a candidate database; throws naming the failure. */
function checkDatabase(file: string, migrationsFolder: string): Pick<RestoreSummary, "counts" | "auditEntries" | "migrations"> {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (error) {
    throw new Error(`the backup does not open as a database: ${(error as Error).message}`);
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (error) {
      problems = [(error as Error).message];
    }
    if (problems.length !== 1 || problems[0] !== "ok") {
      throw new Error(`integrity_check failed: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`);
    }
    const migrations = checkMigrations(db, migrationsFolder);
    const verdict = verifyAuditChain(db);
    if (!verdict.ok) throw new Error(`audit chain broken at entry ${verdict.brokenId}: ${verdict.reason}`);
    return { counts: countRows(db), auditEntries: verdict.entries, migrations };
  } finally {
    db.close();
  }
}

const hasTable = (db: Database.Database, name: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);

/**
 * The full, synchronous audit verification (AuditLog.verify: every hash and link, and the stored
 * checkpoint still reached). A backup from before the checkpoint table existed is walked with the
 * same chain rule and no checkpoint; one from before the audit log existed has nothing to check.
 */
function verifyAuditChain(db: Database.Database): VerifyResult {
  if (!hasTable(db, "audit_log")) return { ok: true, entries: 0 };
  if (hasTable(db, "audit_checkpoint")) return new AuditLog(drizzle(db, { schema }), db, systemClock).verify();
  const walker = chainWalker({ id: 0, hash: GENESIS }, null);
  const rows = db.prepare<[], ChainRow>(`SELECT ${CHAIN_COLUMNS} FROM audit_log ORDER BY id`).iterate();
  for (const row of rows) {
    if (!walker.check([row])) {
      rows.return?.();
      break;
    }
  }
  const r = walker.result();
  return r.ok ? { ok: true, entries: r.entries } : { ok: false, entries: r.entries, brokenId: r.brokenId, reason: r.reason };
}

function checkMigrations(db: Database.Database, migrationsFolder: string): RestoreSummary["migrations"] {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  const known = new Map(journal.entries.map((e) => [e.when, e.tag]));
  const latest = Math.max(...known.keys());
  if (!hasTable(db, "__drizzle_migrations")) throw new Error("it has no __drizzle_migrations table: not a Vigil database");
  const applied = (db.prepare("SELECT created_at FROM __drizzle_migrations ORDER BY created_at").all() as { created_at: number | string }[]).map((r) => Number(r.created_at));
  for (const when of applied) {
    if (when > latest) throw new Error(`its schema is newer than this build (migration of ${new Date(when).toISOString()}); restore it with the Vigil version that made it`);
    if (!known.has(when)) throw new Error(`it has a migration (${new Date(when).toISOString()}) that this build does not know`);
  }
  const have = new Set(applied);
  return { applied: applied.length, behind: [...known.keys()].filter((w) => !have.has(w)).length };
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

export function describeRestore(s: RestoreSummary): string[] {
  const c = s.counts;
  return [
    `restored ${s.from} (${s.encrypted ? "encrypted, tag verified" : "plain"}) into ${path.join(s.dataDir, DB_FILE)} (${formatBytes(s.bytes)})`,
    "integrity_check: ok",
    `schema: ${s.migrations.applied} migrations${s.migrations.behind ? `, ${s.migrations.behind} behind this build: the server applies them at its next start` : ", current"}`,
    `audit chain verified: ${s.auditEntries} entries`,
    `rows: events ${c.events}, heartbeats ${c.heartbeats}, incidents ${c.incidents}, audit ${c.audit}`,
    s.movedAside.length ? `previous database kept as ${s.movedAside.join(", ")}` : "there was no previous database",
    ...(s.twoFactor.readable < s.twoFactor.secrets
      ? [
          `WARNING: ${s.twoFactor.secrets - s.twoFactor.readable} of ${s.twoFactor.secrets} two-factor secrets in this backup do not open with this data directory's auth secret (${s.twoFactor.secretSource}): ` +
            "those people cannot sign in. Before starting Vigil, put the original data directory's auth-secret file here (or set the original BETTER_AUTH_SECRET).",
        ]
      : []),
  ];
}

function formatBytes(n: number): string {
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
