import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";

export interface ReadinessCheck {
  ok: boolean;
  /** what failed, in words an operator can act on; never a secret or a path */
  error?: string;
}

export interface Readiness {
  ok: boolean;
  checks: { database: ReadinessCheck; migrations: ReadinessCheck; hub: ReadinessCheck };
}

export interface ReadinessSources {
  sqlite: Database.Database;
  /** the folder of committed migrations (its meta/_journal.json lists them) */
  migrationsFolder?: string;
  hubRunning: () => boolean;
}

const DEFAULT_MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "db", "migrations");

/** The migrations the code ships (drizzle-kit's journal): their creation times; null when it cannot be read. */
export function expectedMigrations(folder = DEFAULT_MIGRATIONS): number[] | null {
  try {
    const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries?: { when?: unknown }[] };
    if (!Array.isArray(journal.entries) || journal.entries.some((e) => typeof e.when !== "number")) return null;
    return journal.entries.map((e) => e.when as number);
  } catch {
    return null;
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0].slice(0, 200);

/**
 * Readiness, for a load balancer or supervisor: the database takes a write (a write transaction
 * that is rolled back, waiting at most a quarter second for the lock), every shipped migration is
 * applied, and the live hub is flushing. Cheap enough to poll every few seconds.
 */
export function createReadiness(sources: ReadinessSources): () => Readiness {
  const expected = expectedMigrations(sources.migrationsFolder);
  const { sqlite } = sources;

  const database = (): ReadinessCheck => {
    if (!sqlite.open) return { ok: false, error: "database is closed" };
    // another writer (the CLI, a backup) may hold the lock briefly: wait a little, not the usual 5 s
    let previous: number | undefined;
    try {
      previous = sqlite.pragma("busy_timeout", { simple: true }) as number;
      sqlite.pragma("busy_timeout = 250");
      if (sqlite.inTransaction) return { ok: true }; // a write is under way on this very connection
      sqlite.exec("BEGIN IMMEDIATE");
      try {
        sqlite.exec("CREATE TABLE vigil_readiness_probe (x)");
      } finally {
        sqlite.exec("ROLLBACK");
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, error: `database not writable: ${message(error)}` };
    } finally {
      if (previous !== undefined && sqlite.open) sqlite.pragma(`busy_timeout = ${previous}`);
    }
  };

  const migrations = (): ReadinessCheck => {
    if (expected === null) return { ok: false, error: "the migrations journal could not be read" };
    try {
      // drizzle's migrator applies every migration newer than the newest recorded one
      const { last } = sqlite.prepare("SELECT MAX(created_at) AS last FROM __drizzle_migrations").get() as { last: number | null };
      const applied = expected.filter((when) => last !== null && when <= last).length;
      if (applied < expected.length) return { ok: false, error: `${applied} of ${expected.length} migrations applied` };
      return { ok: true };
    } catch (error) {
      return { ok: false, error: `migrations unknown: ${message(error)}` };
    }
  };

  const hub = (): ReadinessCheck => (sources.hubRunning() ? { ok: true } : { ok: false, error: "live hub is not running" });

  return () => {
    const checks = { database: database(), migrations: migrations(), hub: hub() };
    return { ok: checks.database.ok && checks.migrations.ok && checks.hub.ok, checks };
  };
}
