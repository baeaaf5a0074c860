import type Database from "better-sqlite3";
import type { AuditChainState } from "../../lib/contracts/access";
import type { Clock } from "../clock";
import { getLogger } from "../ops/logging";
import { chainWalker, type ChainPoint, type WalkResult } from "./chain-rule";
import { CheckpointStore } from "./checkpoint";
import { verifyInSlices, verifyInWorker, walkInSlices, type Progress } from "./full-run";

export type { AuditChainState };

/** Past this many unchecked entries, catching up is a full run on the worker rather than slices here. */
const CATCH_UP_IN_WORKER = 50_000;

/**
 * Keeps the checkpoint moving: new entries are checked as they are appended, entries written
 * while the checkpoint was behind (another process, a restart after an upgrade) are checked in
 * bounded slices, and a full re-verification runs off the request path. One per AuditLog.
 */
export class AuditChain {
  readonly store: CheckpointStore;
  private catchingUp: Promise<void> | null = null;
  private incrementalBreak: { id: number; reason: string } | null = null;
  private run: { startedAt: number; progress: Progress; done: Promise<void> } | null = null;
  private lastError: string | null = null;
  private progressListeners: ((p: Progress) => void)[] = [];

  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
  ) {
    this.store = new CheckpointStore(sqlite);
  }

  /** A worker needs a file to open; ":memory:" and temporary databases are verified here in slices. */
  private get file(): string | null {
    const name = this.sqlite.name;
    return name && name !== ":memory:" ? name : null;
  }

  /**
   * Called inside append's transaction: the new entry links to `previous` by construction, so if
   * the checkpoint stands at `previous`, it moves to `entry` in the same transaction.
   */
  appended(previous: ChainPoint, entry: ChainPoint): void {
    const cp = this.store.read();
    if (cp.verifiedId === previous.id && cp.hash === previous.hash) this.store.advance(entry, this.clock.now());
    else this.catchUp();
  }

  state(): AuditChainState {
    const cp = this.store.read();
    const head = this.store.head();
    if (cp.verifiedId < head) this.catchUp();
    const full = cp.full;
    const broken = (full && !full.ok && full.brokenId !== null ? { id: full.brokenId, reason: full.reason ?? "" } : null) ?? this.incrementalBreak ?? this.checkpointBreak(cp.verifiedId, cp.hash, head);
    return {
      head,
      verified_through: cp.verifiedId,
      hash: cp.hash,
      verified_at: cp.verifiedAt,
      broken,
      full: {
        running: this.run !== null,
        progress: this.run ? { ...this.run.progress } : null,
        started_at: this.run?.startedAt ?? null,
        at: full?.at ?? null,
        ok: full?.ok ?? null,
        entries: full?.entries ?? null,
        broken_id: full?.brokenId ?? null,
        reason: full?.reason ?? null,
        error: this.lastError,
      },
    };
  }

  /** The checkpoint's own entry must still be there with the same hash (one row lookup). */
  private checkpointBreak(verifiedId: number, hash: string, head: number): { id: number; reason: string } | null {
    if (verifiedId === 0) return null;
    if (head < verifiedId) return { id: head + 1, reason: `entry ${head + 1} is missing: the log ends at entry ${head} but was verified through entry ${verifiedId}` };
    const stored = this.store.hashAt(verifiedId);
    if (stored === null) return { id: verifiedId, reason: `entry ${verifiedId} is missing` };
    if (stored !== hash) return { id: verifiedId, reason: `entry ${verifiedId} differs from the one verified earlier: the log was rewritten` };
    return null;
  }

  /** Calls `listener` with the progress of full runs (tests, metrics). */
  onProgress(listener: (p: Progress) => void): () => void {
    this.progressListeners.push(listener);
    return () => (this.progressListeners = this.progressListeners.filter((l) => l !== listener));
  }

  /**
   * Starts a full re-verification unless one is running; either way answers the current state.
   * `whenDone()` resolves when the run finishes.
   */
  startFull(): AuditChainState {
    if (!this.run) {
      const cp = this.store.read();
      const anchor = cp.verifiedId > 0 ? { id: cp.verifiedId, hash: cp.hash } : null;
      const run = { startedAt: this.clock.now(), progress: { checked: 0, total: 0 }, done: Promise.resolve() };
      const onProgress = (p: Progress) => {
        run.progress = p;
        for (const l of this.progressListeners) l(p);
      };
      const file = this.file;
      const walk = file ? verifyInWorker(file, anchor, onProgress) : verifyInSlices(this.sqlite, anchor, onProgress);
      run.done = walk.then(
        (result) => this.finishFull(result),
        (error: unknown) => {
          this.run = null;
          this.lastError = error instanceof Error ? error.message : String(error);
          getLogger().warn({ err: error }, "audit chain: the full verification could not finish");
        },
      );
      this.run = run;
    }
    return this.state();
  }

  /** Resolves with the state once the running full verification (if any) has finished. */
  async whenDone(): Promise<AuditChainState> {
    if (this.run) await this.run.done;
    return this.state();
  }

  private finishFull(result: WalkResult): void {
    this.run = null;
    if (!this.sqlite.open) return;
    this.lastError = null;
    const now = this.clock.now();
    this.sqlite.transaction(() => {
      if (result.ok) this.store.advance(result.last, now);
      this.store.recordFull(result, now);
    })();
    if (result.ok) this.incrementalBreak = null;
    if (result.ok) getLogger().info({ entries: result.entries, through: result.last.id }, `audit chain: full verification passed over ${result.entries} entries`);
    else getLogger().error({ entries: result.entries, brokenId: result.brokenId, reason: result.reason }, `audit chain BROKEN at entry ${result.brokenId}: ${result.reason}`);
  }

  /** Checks the entries past the checkpoint, in slices, unless that is already under way or the chain is known broken there. */
  private catchUp(): void {
    if (this.catchingUp || this.run || this.incrementalBreak || !this.sqlite.open) return;
    const cp = this.store.read();
    if (this.file && this.store.head() - cp.verifiedId > CATCH_UP_IN_WORKER) {
      this.startFull();
      return;
    }
    const walker = chainWalker({ id: cp.verifiedId, hash: cp.hash }, null);
    this.catchingUp = new Promise<void>((r) => setImmediate(r))
      .then(() =>
        walkInSlices(this.sqlite, walker, Number.MAX_SAFE_INTEGER, () => {
          if (this.sqlite.open) this.store.advance(walker.at(), this.clock.now());
        }),
      )
      .then(
        (outcome) => {
          this.catchingUp = null;
          if (outcome !== "broken") return;
          const r = walker.result();
          if (!r.ok) {
            this.incrementalBreak = { id: r.brokenId, reason: r.reason };
            getLogger().error({ brokenId: r.brokenId, reason: r.reason }, `audit chain BROKEN at entry ${r.brokenId} (found checking new entries): ${r.reason}`);
          }
          // the full run finds the FIRST broken entry and stores the verdict
          this.startFull();
        },
        (error: unknown) => {
          this.catchingUp = null;
          this.lastError = `checking new entries failed: ${error instanceof Error ? error.message : String(error)}`;
          getLogger().warn({ err: error }, "audit chain: checking new entries failed");
        },
      );
  }

  /** Resolves once no catch-up and no full run is under way (tests, shutdown). */
  async settled(): Promise<AuditChainState> {
    while (this.catchingUp || this.run) {
      if (this.catchingUp) await this.catchingUp;
      if (this.run) await this.run.done;
    }
    return this.state();
  }
}
