import type Database from "better-sqlite3";
import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { VigilDb } from "../../db/client";
import { auditLog } from "../../db/schema";
import type { Clock } from "../clock";
import { AuditChain, type AuditChainState } from "./audit-chain";
import { CHAIN_COLUMNS, chainWalker, entryHash, GENESIS, type ChainRow } from "./chain-rule";

export { entryHash, GENESIS };
export type { AuditChainState };

export interface AuditInput {
  actor: string;
  action: string;
  target?: string | null;
  sourceIp?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry {
  id: number;
  time: number;
  actor: string;
  action: string;
  target: string | null;
  source_ip: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

type Row = typeof auditLog.$inferSelect;

const toJson = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

function toEntry(r: Row): AuditEntry {
  const parse = (s: string | null) => (s === null ? null : (JSON.parse(s) as unknown));
  return { id: r.id, time: r.time, actor: r.actor, action: r.action, target: r.target, source_ip: r.sourceIp, before: parse(r.before), after: parse(r.after), prev_hash: r.prevHash, hash: r.hash };
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; brokenId: number; reason: string };

export interface AuditQuery {
  action?: string;
  actor?: string;
  text?: string;
  since?: number;
  until?: number;
  /** only entries with a smaller id (the cursor); from the newest when absent */
  before?: number;
  limit: number;
}

export interface AuditPage {
  /** newest first */
  entries: AuditEntry[];
  /** pass as `before` for the next (older) page; null when there is nothing older */
  next_before: number | null;
}

/**
 * A filter on a column without an index (actor, text, time range) looks at no more than this
 * many entries per page, ids just below the cursor; a page may then hold fewer matches than asked
 * for (even none) while `next_before` still points further back.
 */
export const SCAN_WINDOW = 10_000;

/** The hash-chained, append-only audit log. */
export class AuditLog {
  /** the checkpoint, incremental checks and the full re-verification */
  readonly chain: AuditChain;
  private readonly lastEntry: Database.Statement<[], { id: number; hash: string }>;

  constructor(
    private readonly db: VigilDb,
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly options: { scanWindow?: number } = {},
  ) {
    this.chain = new AuditChain(sqlite, clock);
    this.lastEntry = sqlite.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  }

  /** Appends an entry chained to the last one, moving the checkpoint with it; runs inside the caller's transaction if there is one. */
  append(input: AuditInput): AuditEntry {
    return this.sqlite.transaction(() => {
      const last = this.lastEntry.get() ?? { id: 0, hash: GENESIS };
      const fields = {
        id: last.id + 1,
        time: this.clock.now(),
        actor: input.actor,
        action: input.action,
        target: input.target ?? null,
        sourceIp: input.sourceIp ?? null,
        before: toJson(input.before),
        after: toJson(input.after),
        prevHash: last.hash,
      };
      const row = this.db.insert(auditLog).values({ ...fields, hash: entryHash(fields) }).returning().get();
      this.chain.appended(last, { id: row.id, hash: row.hash });
      return toEntry(row);
    }).immediate(); // reads the last entry, then writes: see IMMEDIATE (db/client.ts)
  }

  /**
   * Walks the whole chain from the start on this thread and names the first entry whose hash or
   * link does not hold, or a log that no longer reaches the stored checkpoint. Blocks for the
   * whole walk: for the CLI and restore checks; the server uses `chain.startFull()`.
   */
  verify(): VerifyResult {
    const cp = this.chain.store.read();
    const walker = chainWalker({ id: 0, hash: GENESIS }, cp.verifiedId > 0 ? { id: cp.verifiedId, hash: cp.hash } : null);
    const rows = this.sqlite.prepare<[], ChainRow>(`SELECT ${CHAIN_COLUMNS} FROM audit_log ORDER BY id`).iterate();
    for (const row of rows) {
      if (!walker.check([row])) {
        rows.return?.();
        break;
      }
    }
    const r = walker.result();
    return r.ok ? { ok: true, entries: r.entries } : { ok: false, entries: r.entries, brokenId: r.brokenId, reason: r.reason };
  }

  /** The chain's state from the checkpoint: two row lookups, never a walk. */
  chainState(): AuditChainState {
    return this.chain.state();
  }

  /** One page, newest first, older than `before`; see SCAN_WINDOW for filters without an index. */
  page(q: AuditQuery): AuditPage {
    const before = q.before ?? Number.MAX_SAFE_INTEGER;
    const windowed = !!(q.actor || q.text || q.since !== undefined || q.until !== undefined);
    const floor = windowed ? Math.max(1, Math.min(before, this.chain.store.head() + 1) - (this.options.scanWindow ?? SCAN_WINDOW)) : 1;
    const conditions: (SQL | undefined)[] = [
      lt(auditLog.id, before),
      windowed ? gte(auditLog.id, floor) : undefined,
      q.action ? eq(auditLog.action, q.action) : undefined,
      q.actor ? eq(auditLog.actor, q.actor) : undefined,
      // `+time` keeps the planner on the id window: a wide time range over the time index is a long scan
      q.since !== undefined ? sql`+${auditLog.time} >= ${q.since}` : undefined,
      q.until !== undefined ? sql`+${auditLog.time} <= ${q.until}` : undefined,
      q.text ? or(...[auditLog.target, auditLog.after, auditLog.before].map((c) => sql`${c} LIKE ${`%${escapeLike(q.text!)}%`} ESCAPE '\\'`)) : undefined,
    ];
    const rows = this.db.select().from(auditLog).where(and(...conditions)).orderBy(desc(auditLog.id)).limit(q.limit).all();
    const entries = rows.map(toEntry);
    const full = entries.length === q.limit;
    const next_before = full ? entries[entries.length - 1].id : floor > 1 ? floor : null;
    return { entries, next_before: next_before !== null && next_before > 1 ? next_before : null };
  }

  list(q: AuditQuery): AuditEntry[] {
    return this.page(q).entries;
  }
}

/** `%` and `_` in a search are literal characters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
