import type Database from "better-sqlite3";
import type { ParsedEvent, StoredEvent } from "./types";

const COLUMNS = `(time, received_at, kind, severity, source, src_ip, dst_ip, user, signature, message, attributes,
  service, src_host, src_port, dst_port, proto, occurrences, fingerprint, raw)`;
const WIDTH = 19;
const ROW = `(${Array.from({ length: WIDTH }, () => "?").join(", ")})`;
const DEDUP = `ON CONFLICT(fingerprint) WHERE fingerprint IS NOT NULL DO NOTHING`;
/** rows per INSERT: past ~50 a bigger statement saves nothing more (bench/security-ingest-core.ts) */
export const ROWS_PER_INSERT = 50;

/** What one insert of a batch's events left: the stored ones with their ids, in order, and how many were already stored. */
export interface InsertedEvents {
  stored: StoredEvent[];
  /** index in the input of each stored event */
  indexes: number[];
  duplicates: number;
}

/**
 * Inserts a batch's events into security_events inside the caller's transaction (and takes them
 * over: each stored one is given its id and returned as the StoredEvent), a line whose
 * fingerprint is already stored being a duplicate. Events that all carry distinct fingerprints
 * (every native format) go ROWS_PER_INSERT to a statement, their ids taken from the statement's
 * last id (read back by fingerprint only when some were duplicates): one statement per row cost
 * about a quarter more. Anything else goes row by row.
 * source and receivedAt must not be null (NOT NULL columns).
 */
export class EventWriter {
  private readonly single: Database.Statement;
  private readonly multi = new Map<number, Database.Statement>();
  private readonly params = new Map<number, unknown[]>();
  private readonly insertedSince: Database.Statement;
  private readonly lastId: Database.Statement;

  constructor(private readonly sqlite: Database.Database) {
    this.single = sqlite.prepare(`INSERT INTO security_events ${COLUMNS} VALUES ${ROW} ${DEDUP}`);
    this.insertedSince = sqlite.prepare(`SELECT id, fingerprint FROM security_events WHERE id > ? AND id <= ?`);
    // the highest id ever given (AUTOINCREMENT): every row a statement inserts gets a higher one
    this.lastId = sqlite.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'security_events'`).pluck();
  }

  insert(events: readonly ParsedEvent[], receivedAt: number, source: string): InsertedEvents {
    return distinctFingerprints(events) ? this.insertChunked(events, receivedAt, source) : this.insertEach(events, receivedAt, source);
  }

  private insertEach(events: readonly ParsedEvent[], receivedAt: number, source: string): InsertedEvents {
    const out: InsertedEvents = { stored: [], indexes: [], duplicates: 0 };
    const params = new Array<unknown>(WIDTH);
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      bind(params, 0, e, receivedAt, source);
      const info = this.single.run(params);
      if (info.changes === 0) out.duplicates++;
      else {
        this.keep(out, e, i, Number(info.lastInsertRowid));
      }
    }
    return out;
  }

  private insertChunked(events: readonly ParsedEvent[], receivedAt: number, source: string): InsertedEvents {
    const out: InsertedEvents = { stored: [], indexes: [], duplicates: 0 };
    for (let from = 0; from < events.length; from += ROWS_PER_INSERT) {
      const n = Math.min(ROWS_PER_INSERT, events.length - from);
      const params = this.paramsFor(n);
      for (let k = 0; k < n; k++) bind(params, k * WIDTH, checked(events[from + k]), receivedAt, source);
      const before = (this.lastId.get() as number | undefined) ?? 0;
      const info = this.statementFor(n).run(params);
      const inserted = info.changes;
      // the rows of one statement take consecutive ids in the order of its VALUES (AUTOINCREMENT);
      // a row ignored as a duplicate uses up an id too, and with none inserted lastInsertRowid is
      // an older row's
      const last = Number(info.lastInsertRowid);
      if (inserted === n) {
        for (let k = 0; k < n; k++) this.keep(out, events[from + k], from + k, last - n + 1 + k);
        continue;
      }
      if (inserted === 0) {
        out.duplicates += n;
        continue;
      }
      // some were already stored: the rows above the id before the statement are the new ones,
      // told apart by fingerprint (distinct in a batch)
      const ids = new Map<string, number>();
      for (const row of this.insertedSince.all(before, last) as { id: number; fingerprint: string }[]) ids.set(row.fingerprint, row.id);
      for (let k = 0; k < n; k++) {
        const id = ids.get(events[from + k].fingerprint);
        if (id === undefined) out.duplicates++;
        else this.keep(out, events[from + k], from + k, id);
      }
    }
    return out;
  }

  /** The event becomes the stored one, its id set on it (no copy of every event for the collector to sweep). */
  private keep(out: InsertedEvents, e: ParsedEvent, index: number, id: number): void {
    const stored = e as StoredEvent;
    stored.id = id;
    out.stored.push(stored);
    out.indexes.push(index);
  }

  private statementFor(rows: number): Database.Statement {
    let statement = this.multi.get(rows);
    if (!statement) {
      const values = Array.from({ length: rows }, () => ROW).join(", ");
      // OR IGNORE rather than ON CONFLICT … DO NOTHING: a statement of many rows that may abort
      // (a NOT NULL column) makes SQLite journal every page it touches (~4 page writes per row);
      // one that cannot abort needs no journal. The NOT NULL columns are checked before binding.
      // No RETURNING: the ids follow from lastInsertRowid (RETURNING cost about 8 % more per row).
      statement = this.sqlite.prepare(`INSERT OR IGNORE INTO security_events ${COLUMNS} VALUES ${values}`);
      this.multi.set(rows, statement);
    }
    return statement;
  }

  private paramsFor(rows: number): unknown[] {
    let params = this.params.get(rows);
    if (!params) this.params.set(rows, (params = new Array<unknown>(rows * WIDTH)));
    return params;
  }
}

/** The event, when the columns that are NOT NULL have values (OR IGNORE would skip the row silently). */
function checked(e: ParsedEvent): ParsedEvent {
  if (e.time == null || e.kind == null || e.severity == null || e.occurrences == null) {
    throw new Error(`security event without time, kind, severity or occurrences: ${e.fingerprint}`);
  }
  return e;
}

/** Whether every event has a fingerprint and no two share one (then RETURNING tells each row's id apart). */
function distinctFingerprints(events: readonly ParsedEvent[]): boolean {
  const seen = new Set<string>();
  for (const e of events) {
    if (!e.fingerprint || seen.has(e.fingerprint)) return false;
    seen.add(e.fingerprint);
  }
  return true;
}

function bind(params: unknown[], at: number, e: ParsedEvent, receivedAt: number, source: string): void {
  params[at] = e.time;
  params[at + 1] = receivedAt;
  params[at + 2] = e.kind;
  params[at + 3] = e.severity;
  params[at + 4] = source;
  params[at + 5] = e.src_ip;
  params[at + 6] = e.dst_ip;
  params[at + 7] = e.user;
  params[at + 8] = e.signature;
  params[at + 9] = e.message;
  params[at + 10] = e.attributes ? JSON.stringify(e.attributes) : null;
  params[at + 11] = e.service;
  params[at + 12] = e.src_host;
  params[at + 13] = e.src_port;
  params[at + 14] = e.dst_port;
  params[at + 15] = e.proto;
  params[at + 16] = e.occurrences;
  params[at + 17] = e.fingerprint || null;
  params[at + 18] = e.raw || null;
}
