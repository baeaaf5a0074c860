// Scheduled backups while the server runs (VIGIL_BACKUP_DIR): one every interval into the folder,
// keeping the newest `keep` that Vigil made there. The page copy runs on a worker thread with its
// own read-only connection (see backupDatabase's inWorker): measured on a 38 MiB database, copying
// on the server's connection in 256-page steps still held the event loop for up to ~190 ms (SQLite's
// final flush of the copy runs inside the last step, and grows with the database); on the worker,
// the server's thread only opens the finished copy, streams it through the cipher and renames it.
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import type { Clock } from "../clock";
import { systemClock } from "../clock";
import { backupDatabase, type BackupSummary } from "./backup";

export interface BackupSchedule {
  dir: string;
  intervalMs: number;
  /** backups kept in `dir`; older ones Vigil made are deleted */
  keep: number;
}

const NAME = /^vigil-backup-(\d{8}T\d{9}Z)\.db(\.enc)?$/;
const TEMP = /^\.vigil-(?:backup|restore)-(\d+)-[0-9a-f]+\.tmp(-wal|-shm|-journal)?$/;

/** `vigil-backup-20261201T073000123Z.db` (`.db.enc` when encrypted): sorts by time as text. */
export function backupFileName(time: number, encrypted: boolean): string {
  const stamp = new Date(time).toISOString().replace(/[-:]/g, "").replace(".", "");
  return `vigil-backup-${stamp}.db${encrypted ? ".enc" : ""}`;
}

/** Deletes all but the newest `keep` backups Vigil made in `dir`; other files are left alone. Returns the deleted paths. */
export function pruneBackups(dir: string, keep: number): string[] {
  const ours = fs
    .readdirSync(dir)
    .filter((name) => NAME.test(name))
    .sort((a, b) => (NAME.exec(b)![1] < NAME.exec(a)![1] ? -1 : 1));
  const doomed = ours.slice(Math.max(0, keep)).map((name) => path.join(dir, name));
  for (const file of doomed) fs.rmSync(file, { force: true });
  return doomed;
}

/** Time of the newest backup Vigil made in `dir`, from its name, or null. */
export function newestBackupTime(dir: string): number | null {
  let newest: number | null = null;
  for (const name of fs.readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const s = m[1];
    const t = Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15), +s.slice(15, 18));
    if (newest === null || t > newest) newest = t;
  }
  return newest;
}

/** Removes temp files left by a backup whose process died mid-way (never those of a live process). */
export function removeStaleTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const m = TEMP.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === "EPERM";
    }
    if (!alive) fs.rmSync(path.join(dir, name), { force: true });
  }
}

export interface SchedulerOptions {
  key?: Buffer;
  clock?: Clock;
  log?: (level: "info" | "error", message: string, detail?: Record<string, unknown>) => void;
}

export interface BackupScheduler {
  /** one backup now (skipped, resolving null, if one is already running) */
  runNow(): Promise<BackupSummary | null>;
  stop(): void;
}

export function startBackupScheduler(sqlite: Database.Database, schedule: BackupSchedule, options: SchedulerOptions = {}): BackupScheduler {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((level, message) => (level === "error" ? console.error : console.log)(`[vigil] ${message}`));
  fs.mkdirSync(schedule.dir, { recursive: true, mode: 0o700 });
  removeStaleTemps(schedule.dir);
  removeStaleTemps(path.dirname(path.resolve(sqlite.name)));
  let running: Promise<BackupSummary | null> | null = null;
  let stopped = false;

  const runNow = (): Promise<BackupSummary | null> => {
    if (running || stopped) return Promise.resolve(null);
    const file = path.join(schedule.dir, backupFileName(clock.now(), !!options.key));
    running = backupDatabase(sqlite, file, { key: options.key, inWorker: true })
      .then((summary) => {
        const removed = pruneBackups(schedule.dir, schedule.keep);
        log("info", `backup written: ${summary.file} (${summary.bytes} bytes${summary.encrypted ? ", encrypted" : ""}, audit head ${summary.auditHead})${removed.length ? `; removed ${removed.length} older` : ""}`, {
          file: summary.file,
          bytes: summary.bytes,
          removed,
        });
        return summary;
      })
      .catch((error: unknown) => {
        if (!stopped) log("error", `scheduled backup to ${file} failed: ${(error as Error).message}`);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  // Due one interval after the newest backup already there (at once when there is none), so a
  // server restarted more often than the interval still backs up.
  let timer: NodeJS.Timeout | undefined;
  const plan = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runNow().finally(() => plan(schedule.intervalMs));
    }, Math.max(0, delay));
    timer.unref();
  };
  const newest = newestBackupTime(schedule.dir);
  plan(newest === null ? 0 : newest + schedule.intervalMs - clock.now());
  return {
    runNow,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
