import type Database from "better-sqlite3";

/** How often the database is asked whether another connection committed, ms. */
export const OTHER_WRITERS_POLL_MS = 250;

/**
 * Calls `onCommit` soon after another connection (the CLI revoking a key, changing a role) commits
 * to this database. SQLite's `PRAGMA data_version` changes only for commits by other connections,
 * so this process's own writes (already announced in-process) do not trigger it, and a poll costs
 * one page-cache read. The timer does not keep the process alive; it stops itself once the
 * connection is closed. Returns a function that stops it.
 */
export function watchOtherWriters(sqlite: Database.Database, onCommit: () => void, intervalMs = OTHER_WRITERS_POLL_MS): () => void {
  const version = () => sqlite.pragma("data_version", { simple: true }) as number;
  let last = version();
  const timer = setInterval(() => {
    if (!sqlite.open) return clearInterval(timer);
    let now: number;
    try {
      now = version();
    } catch {
      return; // busy or closing: the next tick asks again
    }
    if (now === last) return;
    last = now;
    onCommit();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
