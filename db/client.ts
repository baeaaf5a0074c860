import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type VigilDb = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  /** drizzle, for queries and low-rate writes */
  db: VigilDb;
  /** the raw driver, for the prepared-statement hot path and transactions */
  sqlite: Database.Database;
  file: string;
  close(): void;
}

/**
 * For drizzle's `db.transaction(fn, IMMEDIATE)`: takes the write lock at BEGIN (waiting up to the
 * busy timeout), for transactions that read before they write and may run while another process
 * writes the same file (the CLI beside a running server). A deferred one that has read fails at
 * once with "database is locked" (SQLITE_BUSY_SNAPSHOT) when the other process commits between its
 * read and its first write: no wait can help it, since its snapshot is stale.
 */
export const IMMEDIATE = { behavior: "immediate" } as const;

/** SQLite's page cache per connection, MiB (VIGIL_SQLITE_CACHE_MB): see openDatabase. */
export const DEFAULT_CACHE_MB = 32;

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Opens (creating if needed) `<dataDir>/vigil.db` in WAL mode and applies committed migrations.
 * Pass ":memory:" as dataDir for a throwaway database in unit tests.
 */
export function openDatabase(dataDir: string, migrationsFolder = MIGRATIONS, options: { cacheMb?: number } = {}): DatabaseHandle {
  let file = ":memory:";
  if (dataDir !== ":memory:") {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, "vigil.db");
  }
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // 32 MiB of page cache by default (SQLite's own default is 2 MiB; VIGIL_SQLITE_CACHE_MB): an
  // upload of 4,000 events touches index pages all over security_events' indexes (447k page reads
  // per 160k events with 2 MiB, 205k with 32 MiB, little fewer with 64), and the triage pane's
  // queries on 1M stored events ran as fast with 32 as with 64 (bench/security-queries.ts
  // --cache-mb). Filled only as pages are touched, it is resident memory of the server: 64 MiB cost
  // about 30 MB of RSS under the console-scale load. It changes nothing of durability.
  sqlite.pragma(`cache_size = ${-Math.round((options.cacheMb ?? DEFAULT_CACHE_MB) * 1024)}`);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  // statistics for the planner, as SQLite recommends for a long-lived connection: at open, every
  // table checked (0x10000) and re-analyzed where it grew or shrank a lot since, with SQLite's own
  // bounded analysis limit; again after each retention prune and at close (server/ops/retention.ts,
  // server/ops/health-shutdown.ts). Queries on security events pin their index (INDEXED BY) anyway.
  sqlite.pragma("optimize = 0x10002");
  return {
    db,
    sqlite,
    file,
    close: () => {
      sqlite.pragma("optimize");
      sqlite.close();
    },
  };
}
