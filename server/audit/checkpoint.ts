import type Database from "better-sqlite3";
import { GENESIS, type ChainPoint, type WalkResult } from "./chain-rule";

/** The stored checkpoint (table audit_checkpoint, one row with id 1). */
export interface Checkpoint {
  /** entries 1..verifiedId are known good; 0 before anything was checked */
  verifiedId: number;
  /** hash of entry verifiedId (GENESIS when 0) */
  hash: string;
  /** when the checkpoint last moved (epoch ms), null if never */
  verifiedAt: number | null;
  full: { at: number; ok: boolean; entries: number; brokenId: number | null; reason: string | null } | null;
}

interface Row {
  verified_id: number;
  hash: string;
  verified_at: number;
  full_at: number | null;
  full_ok: number | null;
  full_entries: number | null;
  full_broken_id: number | null;
  full_reason: string | null;
}

/** Reads and moves the checkpoint row. The checkpoint only ever moves forward. */
export class CheckpointStore {
  private readonly readRow: Database.Statement<[], Row>;
  private readonly advanceRow: Database.Statement<[number, string, number]>;
  private readonly fullRow: Database.Statement<[number, number, number, number | null, string | null]>;
  private readonly headRow: Database.Statement<[], { head: number }>;
  private readonly hashRow: Database.Statement<[number], { hash: string }>;

  constructor(sqlite: Database.Database) {
    this.readRow = sqlite.prepare("SELECT * FROM audit_checkpoint WHERE id = 1");
    this.advanceRow = sqlite.prepare(
      `INSERT INTO audit_checkpoint (id, verified_id, hash, verified_at) VALUES (1, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET verified_id = excluded.verified_id, hash = excluded.hash, verified_at = excluded.verified_at
       WHERE excluded.verified_id > audit_checkpoint.verified_id`,
    );
    this.fullRow = sqlite.prepare(
      `INSERT INTO audit_checkpoint (id, verified_id, hash, verified_at, full_at, full_ok, full_entries, full_broken_id, full_reason)
       VALUES (1, 0, '${GENESIS}', 0, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET full_at = excluded.full_at, full_ok = excluded.full_ok, full_entries = excluded.full_entries,
         full_broken_id = excluded.full_broken_id, full_reason = excluded.full_reason`,
    );
    this.headRow = sqlite.prepare("SELECT coalesce(max(id), 0) AS head FROM audit_log");
    this.hashRow = sqlite.prepare("SELECT hash FROM audit_log WHERE id = ?");
  }

  read(): Checkpoint {
    const r = this.readRow.get();
    if (!r) return { verifiedId: 0, hash: GENESIS, verifiedAt: null, full: null };
    return {
      verifiedId: r.verified_id,
      hash: r.hash,
      verifiedAt: r.verified_id > 0 ? r.verified_at : null,
      full: r.full_at === null ? null : { at: r.full_at, ok: !!r.full_ok, entries: r.full_entries ?? 0, brokenId: r.full_broken_id, reason: r.full_reason },
    };
  }

  /** The id of the newest entry, 0 when the log is empty (a rowid lookup, not a scan). */
  head(): number {
    return this.headRow.get()!.head;
  }

  /** The stored hash of entry `id`, null if there is no such entry. */
  hashAt(id: number): string | null {
    return this.hashRow.get(id)?.hash ?? null;
  }

  /** Moves the checkpoint to `point` if that is further than where it is. */
  advance(point: ChainPoint, at: number): void {
    if (point.id > 0) this.advanceRow.run(point.id, point.hash, at);
  }

  recordFull(result: WalkResult, at: number): void {
    this.fullRow.run(at, result.ok ? 1 : 0, result.entries, result.ok ? null : result.brokenId, result.ok ? null : result.reason);
  }
}
