// Restore of a backup into a STOPPED data directory: the copy is decrypted (tag checked) or copied
// into a temp file inside the data directory and must pass integrity_check, the schema-version
// check and a full audit-chain verification before the current database is moved aside and the
// copy renamed into place. Refused restores leave the directory exactly as it was.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { symmetricDecrypt } from "better-auth/crypto";
import { drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "../../db/schema";
import { AuditLog, type VerifyResult } from "../audit/audit-log";
import { CHAIN_COLUMNS, chainWalker, GENESIS, type ChainRow } from "../audit/chain-rule";
import { systemClock } from "../clock";
import { decryptFile, detectBackupKind } from "./backup-crypto";
import { countRows, DB_FILE, formatBytes, fsyncPath, hasTable, PID_FILE, removeQuietly, runningServerPid, sidecars, tempName, type RowCounts } from "./backup";

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "db", "migrations");

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
