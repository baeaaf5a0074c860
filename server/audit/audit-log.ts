import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { and, desc, eq, gte, like, lte, or, type SQL } from "drizzle-orm";
import type { VigilDb } from "../../db/client";
import { auditLog } from "../../db/schema";
import type { Clock } from "../clock";

export const GENESIS = "0".repeat(64);

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

/** The hash of an entry: every stored field but the hash itself, in a fixed order. */
export function entryHash(e: Omit<Row, "id" | "hash"> & { id: number }): string {
  const canonical = JSON.stringify([e.id, e.time, e.actor, e.action, e.target, e.sourceIp, e.before, e.after, e.prevHash]);
  return createHash("sha256").update(canonical).digest("hex");
}

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
  limit: number;
}

/** The hash-chained, append-only audit log. */
export class AuditLog {
  constructor(
    private readonly db: VigilDb,
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
  ) {}

  /** Appends an entry chained to the last one; runs inside the caller's transaction if there is one. */
  append(input: AuditInput): AuditEntry {
    return this.sqlite.transaction(() => {
      const last = this.db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
      const fields = {
        id: (last?.id ?? 0) + 1,
        time: this.clock.now(),
        actor: input.actor,
        action: input.action,
        target: input.target ?? null,
        sourceIp: input.sourceIp ?? null,
        before: toJson(input.before),
        after: toJson(input.after),
        prevHash: last?.hash ?? GENESIS,
      };
      const row = this.db.insert(auditLog).values({ ...fields, hash: entryHash(fields) }).returning().get();
      return toEntry(row);
    })();
  }

  /** Walks the chain from the start; names the first entry whose hash or link does not hold. */
  verify(): VerifyResult {
    let prev = GENESIS;
    let count = 0;
    let expectedId = 1;
    for (const row of this.sqlite.prepare("SELECT * FROM audit_log ORDER BY id").iterate() as Iterable<Record<string, unknown>>) {
      const r: Row = {
        id: row.id as number,
        time: row.time as number,
        actor: row.actor as string,
        action: row.action as string,
        target: row.target as string | null,
        sourceIp: row.source_ip as string | null,
        before: row.before as string | null,
        after: row.after as string | null,
        prevHash: row.prev_hash as string,
        hash: row.hash as string,
      };
      count += 1;
      if (r.id !== expectedId) return { ok: false, entries: count, brokenId: expectedId, reason: `entry ${expectedId} is missing` };
      if (r.prevHash !== prev) return { ok: false, entries: count, brokenId: r.id, reason: `entry ${r.id} does not link to entry ${r.id - 1}` };
      if (entryHash(r) !== r.hash) return { ok: false, entries: count, brokenId: r.id, reason: `entry ${r.id} was altered: its hash does not match its contents` };
      prev = r.hash;
      expectedId += 1;
    }
    return { ok: true, entries: count };
  }

  list(q: AuditQuery): AuditEntry[] {
    const conditions: (SQL | undefined)[] = [
      q.action ? eq(auditLog.action, q.action) : undefined,
      q.actor ? eq(auditLog.actor, q.actor) : undefined,
      q.since !== undefined ? gte(auditLog.time, q.since) : undefined,
      q.until !== undefined ? lte(auditLog.time, q.until) : undefined,
      q.text ? or(like(auditLog.target, `%${q.text}%`), like(auditLog.after, `%${q.text}%`), like(auditLog.before, `%${q.text}%`)) : undefined,
    ];
    return this.db.select().from(auditLog).where(and(...conditions)).orderBy(desc(auditLog.id)).limit(q.limit).all().map(toEntry);
  }
}
