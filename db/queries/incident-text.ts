import type Database from "better-sqlite3";
import { sql, type SQL } from "drizzle-orm";
import type { VigilDb } from "../client";

/**
 * The incident list's free text in memory: each incident's searchable text (title, rule and
 * entity, each lower-cased, joined by "\n", which no word holds), its status and its pane, with
 * bitsets over incident ids for every status, both panes, every character and every pair of
 * adjacent characters. A word is
 * looked up by AND-ing the bitsets of its characters and pairs (and the statuses asked), and each
 * candidate left is checked with a plain substring search of its text, so the answer is exact for
 * words of any length, 1 and 2 characters included, and the count of a filter of status, pane and
 * text is a popcount. Nothing the user typed reaches SQL or an FTS query. It also counts the
 * incidents of each status by pane, rule and severity (`tallies`), so the list's active groups and
 * header counts need no scan.
 *
 * The bitsets: a character below U+0080 has its own (a one-character ASCII word needs no check);
 * the others share UNI_HASHED hashed ones; pairs share PAIRS hashed ones. A shared bitset only adds
 * candidates that the check then drops. Memory: (256 + 512 + 3) bits per incident id plus its text,
 * about 100 + 70 bytes an incident; past MAX_SLOTS incident ids the index turns itself off and the
 * list goes back to the trigram index (incident_search) and row checks.
 *
 * Kept current from incident_text_changes, which triggers fill on every insert, delete and change
 * of status, pane, title, rule, entity or severity, whoever writes: before each answer the new rows of that log are
 * applied (each changed incident read again by id). Never inside a transaction (a change seen there
 * could still be rolled back): callers then take the SQL path. Built on first use from the table
 * (the server builds it at boot), and again when the log was trimmed past its place.
 */

/** Incident ids the index holds at most (1 bit each per bitset): past this it turns itself off. */
export const MAX_SLOTS = 1 << 19;
const ASCII = 128;
const UNI_HASHED = 128;
const UNI = ASCII + UNI_HASHED;
/** hashed buckets for pairs of characters (a power of two: the bucket is the hash's top bits) */
const PAIRS = 512;
const PAIR_BITS = 9;
const GOLDEN = 0x9e3779b1;

export const uniBucket = (c: number) => (c < ASCII ? c : ASCII + (Math.imul(c, GOLDEN) >>> 25));
export const pairBucket = (a: number, b: number) => UNI + (Math.imul((a << 16) | b, GOLDEN) >>> (32 - PAIR_BITS));

const STATUS_BIT: Record<string, number> = { open: 0, acknowledged: 1, resolved: 2 };
const PANE_BIT: Record<string, number> = { network: 0, security: 1 };

/** A word as the index compares it: case folded as the text is. */
export const foldWord = (w: string) => w.toLowerCase();
const haystack = (title: string, rule: string, entity: string) => `${title.toLowerCase()}\n${rule.toLowerCase()}\n${entity.toLowerCase()}`;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** The incidents of a filter of status and free text, found in memory. */
export interface TextHits {
  /** how many (exact) */
  count: number;
  /** their ids, ascending */
  ids(): number[];
  /** a SQL term true for exactly these incidents (a function of the connection reading this answer's bits) */
  term: SQL;
  /** makes this answer the one `term` reads: call before running a statement that holds it */
  activate(): void;
}

interface Row {
  id: number;
  status: string;
  pane: string;
  title: string;
  rule: string;
  entity: string;
  severity: string;
}

/** How many incidents of one status hold one pane, rule and severity (the index counts every such cell). */
export interface IncidentTally {
  status: string;
  pane: string;
  rule: string;
  severity: string;
  n: number;
}

/** The index's own statements (db/queries/query-plans.test.ts plans them): the log's first row from a place, the changes after a place, every incident in rowid order, the log's end. */
export const TEXT_INDEX_SQL = {
  first: `SELECT seq FROM incident_text_changes WHERE seq >= ? ORDER BY seq LIMIT 1`,
  /** the changed incidents after a place in the log, each as it is now (null columns: deleted), in one statement */
  changed: `SELECT c.seq, c.incident_id, i.status, i.pane, i.title, i.rule, i.entity, i.severity FROM incident_text_changes c LEFT JOIN incidents i ON i.id = c.incident_id WHERE c.seq > ? ORDER BY c.seq`,
  all: `SELECT id, status, pane, title, rule, entity, severity FROM incidents ORDER BY id`,
  top: `SELECT coalesce(max(seq), 0) AS seq FROM incident_text_changes`,
};

/** The SQL function `term` calls: registered once per connection. */
const FUNCTION = "incident_text_hit";

export class IncidentTextIndex {
  private base = 1;
  private slots = 0;
  private statuses: Uint32Array[] = [];
  private panes: Uint32Array[] = [];
  private grams: Uint32Array[] = [];
  private texts: (string | undefined)[] = [];
  /** per slot: its cell (see `cells`) times 4 plus its status bit, or undefined */
  private cellOf: (number | undefined)[] = [];
  /** the (pane, rule, severity) of each cell, by cell number, and how many incidents of each status it holds */
  private cells: { pane: string; rule: string; severity: string; n: [number, number, number] }[] = [];
  private cellIds = new Map<string, number>();
  private seq = -1;
  private off = false;
  private built = false;
  /** the bits the SQL function reads, and their base */
  private current: { bits: Uint32Array; base: number; slots: number } | null = null;
  private last: { key: string; hits: TextHits } | null = null;
  private readonly stmt: { first: Database.Statement; changed: Database.Statement; all: Database.Statement; top: Database.Statement };

  constructor(
    private readonly sqlite: Database.Database,
    private readonly maxSlots = MAX_SLOTS,
  ) {
    this.stmt = {
      first: sqlite.prepare(TEXT_INDEX_SQL.first).pluck(),
      changed: sqlite.prepare(TEXT_INDEX_SQL.changed).raw(),
      all: sqlite.prepare(TEXT_INDEX_SQL.all).raw(),
      top: sqlite.prepare(TEXT_INDEX_SQL.top),
    };
    sqlite.function(FUNCTION, { deterministic: false }, (id: unknown) => {
      const c = this.current;
      if (!c || typeof id !== "number" && typeof id !== "bigint") return 0;
      const slot = Number(id) - c.base;
      return slot >= 0 && slot < c.slots ? (c.bits[slot >>> 5] >>> (slot & 31)) & 1 : 0;
    });
  }

  /** Turns the index off (the SQL path answers) or on again (rebuilt on next use): for tests and comparisons. */
  enable(on: boolean) {
    this.built = false;
    this.off = !on;
    this.free();
  }

  /** Whether the index is on (false past MAX_SLOTS incident ids). */
  get enabled() {
    return !this.off;
  }

  /**
   * Brings the index up to date with every committed change; false when it cannot answer now
   * (inside a transaction, or turned off).
   */
  sync(): boolean {
    if (this.off || this.sqlite.inTransaction) return false;
    if (!this.built) return this.rebuild();
    // the row at our place (or, from an empty log, the first row) must still be there: else the
    // log was trimmed past it (or replaced)
    const first = this.stmt.first.get(Math.max(this.seq, 0)) as number | undefined;
    if (this.seq > 0 ? first !== this.seq : first !== undefined && first !== 1) return this.rebuild();
    if ((this.stmt.top.get() as { seq: number }).seq === Math.max(this.seq, 0)) return true;
    this.last = null;
    // every changed incident as it is now, in one statement; one changed twice comes twice, and
    // put() costs little when nothing it holds differs
    let seq = this.seq;
    // rows read whole first: a rebuild cannot run while this statement is still iterating
    const rows = this.stmt.changed.all(Math.max(this.seq, 0)) as [number, number, string | null, string, string, string, string, string][];
    for (const r of rows) {
      if (!this.put(r[1], r[2] === null ? undefined : { id: r[1], status: r[2], pane: r[3], title: r[4], rule: r[5], entity: r[6], severity: r[7] })) return this.rebuild();
      seq = r[0];
    }
    this.seq = seq;
    return !this.off;
  }

  /** Reads every incident again (one read transaction: the rows and the log's end agree). */
  rebuild(): boolean {
    this.built = true;
    this.last = null;
    this.current = null;
    this.slots = 0;
    this.statuses = [];
    this.grams = [];
    this.texts = [];
    this.resetCells();
    this.off = false;
    this.base = 1;
    this.sqlite.transaction(() => {
      this.seq = (this.stmt.top.get() as { seq: number }).seq;
      let first = true;
      for (const r of this.stmt.all.iterate() as IterableIterator<[number, string, string, string, string, string, string]>) {
        if (first) {
          this.base = r[0];
          first = false;
        }
        if (!this.put(r[0], { id: r[0], status: r[1], pane: r[2], title: r[3], rule: r[4], entity: r[5], severity: r[6] })) break;
      }
    })();
    if (this.off) this.free();
    return !this.off;
  }

  private free() {
    this.statuses = [];
    this.panes = [];
    this.grams = [];
    this.texts = [];
    this.resetCells();
    this.slots = 0;
    this.current = null;
  }

  private resetCells() {
    this.cellOf = [];
    this.cells = [];
    this.cellIds = new Map();
  }

  /** The cell of a pane, rule and severity (made on first sight; cells are few: rules times severities times panes). */
  private cell(pane: string, rule: string, severity: string): number {
    const key = `${pane}\u0000${rule}\u0000${severity}`;
    let c = this.cellIds.get(key);
    if (c === undefined) {
      this.cellIds.set(key, (c = this.cells.length));
      this.cells.push({ pane, rule, severity, n: [0, 0, 0] });
    }
    return c;
  }

  /**
   * Every non-empty count of incidents by status, pane, rule and severity (of these statuses, and
   * this pane when given), exact as of the last sync: call after sync() answered true.
   */
  tallies(statuses: readonly string[], pane?: string): IncidentTally[] {
    const out: IncidentTally[] = [];
    for (const c of this.cells) {
      if (pane !== undefined && c.pane !== pane) continue;
      for (const status of statuses) {
        const n = c.n[STATUS_BIT[status]];
        if (n > 0) out.push({ status, pane: c.pane, rule: c.rule, severity: c.severity, n });
      }
    }
    return out;
  }

  /** Room for `slot`: the bitsets grow by doubling, up to maxSlots ids. */
  private grow(slot: number): boolean {
    if (slot < this.slots) return true;
    if (slot >= this.maxSlots) {
      this.off = true;
      this.free();
      return false;
    }
    const slots = Math.min(Math.max(1024, this.slots * 2, (slot + 32) & ~31), (this.maxSlots + 31) & ~31);
    const words = slots >>> 5;
    const widen = (a: Uint32Array | undefined) => {
      const b = new Uint32Array(words);
      if (a) b.set(a);
      return b;
    };
    this.statuses = [0, 1, 2].map((i) => widen(this.statuses[i]));
    this.panes = [0, 1].map((i) => widen(this.panes[i]));
    this.grams = Array.from({ length: UNI + PAIRS }, (_, i) => widen(this.grams[i]));
    this.slots = slots;
    return true;
  }

  private mark(text: string, slot: number, on: boolean) {
    const w = slot >>> 5;
    const bit = 1 << (slot & 31);
    let prev = -1;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      const u = this.grams[uniBucket(c)];
      const p = prev >= 0 ? this.grams[pairBucket(prev, c)] : null;
      if (on) {
        u[w] |= bit;
        if (p) p[w] |= bit;
      } else {
        u[w] &= ~bit;
        if (p) p[w] &= ~bit;
      }
      prev = c;
    }
  }

  /** Sets an incident's text and status (undefined: it is gone); false when the index must be rebuilt or is off. */
  private put(id: number, row: Row | undefined): boolean {
    const slot = id - this.base;
    if (slot < 0) return row === undefined;
    if (slot >= this.slots) {
      if (!row) return true;
      if (!this.grow(slot)) return false;
    }
    const w = slot >>> 5;
    const bit = 1 << (slot & 31);
    const old = this.texts[slot];
    const text = row ? haystack(row.title, row.rule, row.entity) : undefined;
    if (old !== text) {
      // a bucket the old and new text share is cleared, then set again
      if (old !== undefined) this.mark(old, slot, false);
      if (text !== undefined) this.mark(text, slot, true);
      this.texts[slot] = text;
    }
    for (const s of this.statuses) s[w] &= ~bit;
    const b = row ? STATUS_BIT[row.status] : undefined;
    if (b !== undefined) this.statuses[b][w] |= bit;
    for (const p of this.panes) p[w] &= ~bit;
    const pb = row ? PANE_BIT[row.pane] : undefined;
    if (pb !== undefined) this.panes[pb][w] |= bit;
    const was = this.cellOf[slot];
    if (was !== undefined) this.cells[was >>> 2].n[was & 3]--;
    const now = row && b !== undefined ? this.cell(row.pane, row.rule, row.severity) * 4 + b : undefined;
    if (now !== undefined) this.cells[now >>> 2].n[now & 3]++;
    this.cellOf[slot] = now;
    return true;
  }

  /** The incidents of these statuses (and this pane) holding every word (case-insensitive substrings of title, rule or entity). */
  match(words: readonly string[], statuses: readonly string[], pane?: string): TextHits {
    const folded = words.map(foldWord);
    const key = `${statuses.join(",")}\u0000${pane ?? ""}\u0000${folded.join("\u0000")}`;
    if (this.last?.key === key) return this.last.hits;
    const n = this.slots >>> 5;
    const bits = new Uint32Array(n);
    for (const s of statuses) {
      const b = this.statuses[STATUS_BIT[s]];
      if (b) for (let i = 0; i < n; i++) bits[i] |= b[i];
    }
    if (pane !== undefined) {
      const p = this.panes[PANE_BIT[pane]];
      if (p) for (let i = 0; i < n; i++) bits[i] &= p[i];
      else bits.fill(0);
    }
    const buckets = new Set<number>();
    const check: string[] = [];
    for (const w of new Set(folded)) {
      for (let k = 0; k < w.length; k++) {
        buckets.add(uniBucket(w.charCodeAt(k)));
        if (k > 0) buckets.add(pairBucket(w.charCodeAt(k - 1), w.charCodeAt(k)));
      }
      // one ASCII character is its own bitset: exact; anything else is checked on the text
      if (!(w.length === 1 && w.charCodeAt(0) < ASCII)) check.push(w);
    }
    for (const g of buckets) {
      const b = this.grams[g];
      for (let i = 0; i < n; i++) bits[i] &= b[i];
    }
    let count = 0;
    for (let i = 0; i < n; i++) {
      let x = bits[i];
      if (x === 0) continue;
      if (check.length) {
        let keep = x;
        while (x) {
          const low = x & -x;
          x ^= low;
          const text = this.texts[(i << 5) | (31 - Math.clz32(low))]!;
          for (const w of check)
            if (!text.includes(w)) {
              keep ^= low;
              break;
            }
        }
        bits[i] = keep;
        x = keep;
      }
      count += popcount(x);
    }
    const at = { bits, base: this.base, slots: this.slots };
    const hits: TextHits = {
      count,
      ids: () => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) for (let x = bits[i]; x; x &= x - 1) out.push(at.base + ((i << 5) | (31 - Math.clz32(x & -x))));
        return out;
      },
      term: sql`${sql.raw(FUNCTION)}(${sql.raw(`"incidents"."id"`)})`,
      activate: () => {
        this.current = at;
      },
    };
    this.last = { key, hits };
    return hits;
  }
}

const indexes = new WeakMap<Database.Database, IncidentTextIndex>();

/** The connection's text index (made on first use, not yet built: sync builds it). */
export function incidentTextIndex(db: VigilDb | Database.Database, maxSlots?: number): IncidentTextIndex {
  // drizzle's better-sqlite3 database carries its connection as $client (not in VigilDb's type)
  const sqlite = "$client" in db ? (db as unknown as { $client: Database.Database }).$client : (db as Database.Database);
  let index = indexes.get(sqlite);
  if (!index) indexes.set(sqlite, (index = new IncidentTextIndex(sqlite, maxSlots)));
  return index;
}

/** The words of a free text: split on white space. */
export const textWords = (q: string) => q.split(/\s+/).filter(Boolean);

/** The filter's text hits (of its statuses and pane) from memory, or null when it has no text or the index cannot answer now (then SQL does). */
export function textHits(db: VigilDb | Database.Database, q: string | undefined, statuses: readonly string[], pane?: string): TextHits | null {
  const words = q ? textWords(q) : [];
  if (!words.length) return null;
  const index = incidentTextIndex(db);
  return index.sync() ? index.match(words, statuses, pane) : null;
}
