import fs from "node:fs";
import type { Server } from "node:http";
import type Database from "better-sqlite3";
import type { Logger } from "./logging";

/** Counts HTTP requests whose answer has not finished, and tells when none is left. */
export function trackInFlight(server: Server) {
  let count = 0;
  let waiters: (() => void)[] = [];
  server.on("request", (_req, res) => {
    count += 1;
    res.once("close", () => {
      count -= 1;
      if (count === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    });
  });
  return {
    count: () => count,
    /** resolves once no request is in flight */
    idle: () => (count === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}

export interface ShutdownParts {
  server: Server;
  inFlight: ReturnType<typeof trackInFlight>;
  /** stops what makes new work: the demo simulator, the watchdog, the pruner */
  stopProducers: () => void;
  /** closes socket.io's transports, so every client reconnects by itself (to the next process) */
  closeLive: () => unknown;
  /** stops the live hub after a last flush */
  stopHub: () => void;
  sqlite: Database.Database;
  log: Logger;
  /** longest wait for in-flight requests before their connections are cut */
  drainMs: number;
  /** ends background checkpointing before the final truncating checkpoint */
  beforeCheckpoint?: () => Promise<void>;
}

/**
 * The orderly stop on SIGTERM/SIGINT: stop accepting, stop producing, close live transports
 * (socket.io clients reconnect only when the transport closes, not after a server-side
 * disconnect), wait for in-flight requests (bounded), flush the hub, refresh planner statistics
 * (PRAGMA optimize), checkpoint the WAL into the main file, close the database. Each step is logged; it never throws.
 */
export async function shutDown(parts: ShutdownParts, signal: string): Promise<void> {
  const { log } = parts;
  const step = (what: string, run: () => unknown) => {
    try {
      run();
    } catch (error) {
      log.error({ err: error, step: what }, `shutdown: ${what} failed`);
    }
  };
  log.info({ signal, inFlight: parts.inFlight.count() }, `${signal}: shutting down`);

  const closed = new Promise<void>((resolve) => parts.server.close(() => resolve()));
  log.info("shutdown: stopped accepting connections");
  step("stop producers", parts.stopProducers);
  step("close live connections", parts.closeLive);
  log.info("shutdown: live transports closed; socket clients will reconnect");

  const pending = parts.inFlight.count();
  if (pending > 0) log.info({ inFlight: pending, drainMs: parts.drainMs }, "shutdown: draining in-flight requests");
  const drained = await within(parts.drainMs, parts.inFlight.idle());
  if (!drained) {
    log.warn({ inFlight: parts.inFlight.count(), drainMs: parts.drainMs }, "shutdown: requests still in flight after the drain time; closing their connections");
  } else if (pending > 0) log.info("shutdown: in-flight requests finished");
  parts.server.closeAllConnections();
  // an upgraded connection that is not socket.io's (dev HMR) would hold close() open: bounded too
  if (!(await within(1000, closed))) log.warn("shutdown: some connections did not close; going on");

  step("stop hub", parts.stopHub);
  if (parts.beforeCheckpoint) await parts.beforeCheckpoint().catch((error: unknown) => log.error({ err: error }, "shutdown: stopping background checkpoints failed"));
  // fresh planner statistics for the next start, where the tables changed enough (bounded by SQLite)
  step("optimize", () => parts.sqlite.pragma("optimize"));
  step("checkpoint", () => {
    const walBytesBefore = walSize(parts.sqlite);
    // TRUNCATE: every frame copied into the main file, then the WAL cut to zero bytes
    const [result] = parts.sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    log.info({ busy: result?.busy, walBytesBefore, walBytesAfter: walSize(parts.sqlite) }, "shutdown: WAL checkpointed");
  });
  step("close database", () => parts.sqlite.close());
  log.info("shutdown: database closed; exiting");
}

/** Whether `promise` settled within `ms` (the timer never outlives the wait). */
async function within(ms: number, promise: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

function walSize(sqlite: Database.Database): number | null {
  try {
    return sqlite.memory ? null : fs.statSync(`${sqlite.name}-wal`).size;
  } catch {
    return 0;
  }
}
