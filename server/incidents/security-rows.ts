import type Database from "better-sqlite3";

/** new incidents (12 values each), timeline entries (7) and evidence links (2) per INSERT */
const OPEN_ROWS = 50;
const TIMELINE_ROWS = 50;
const LINK_ROWS = 200;

/** A new security incident's values, in the order of OPEN_COLUMNS. */
export type OpenRow = [string, string, string, string, string, number, number, number, string, string | null, string | null, number];
const OPEN_COLUMNS = "dedup_key, rule, entity, title, severity, first_seen, last_seen, count, explanation, mitre, details, updated_at";
/** incident_id, time, actor, action, from_status, to_status, note */
export type TimelineRow = [number, number, string, string, string | null, string | null, string];

/**
 * The multi-row INSERTs of security-writer.ts: a batch's new incidents, timeline entries and
 * evidence links, many to a statement and in the order given (the rows of one INSERT take
 * consecutive ids in the order of its VALUES). One statement of many rows costs far less than one
 * per row, above all where SQLite keeps a statement journal (triggers, foreign keys): then every
 * page a statement touches is copied once per statement.
 */
export class SecurityRows {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {}

  /** Inserts the incidents (pane "security") in order; the id of each is the first one + its index. */
  open(rows: readonly OpenRow[]): number[] {
    const ids: number[] = [];
    for (let from = 0; from < rows.length; from += OPEN_ROWS) {
      const n = Math.min(OPEN_ROWS, rows.length - from);
      const info = this.statement("open", n, `INSERT INTO incidents (pane, ${OPEN_COLUMNS}) VALUES`, "('security', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(rows.slice(from, from + n).flat());
      if (info.changes !== n) throw new Error(`opened ${info.changes} of ${n} incidents`);
      const first = Number(info.lastInsertRowid) - n + 1;
      for (let k = 0; k < n; k++) ids.push(first + k);
    }
    return ids;
  }

  /** Writes the timeline entries in order. */
  timeline(entries: readonly TimelineRow[]): void {
    for (let from = 0; from < entries.length; from += TIMELINE_ROWS) {
      const n = Math.min(TIMELINE_ROWS, entries.length - from);
      this.statement("timeline", n, "INSERT INTO incident_timeline (incident_id, time, actor, action, from_status, to_status, note) VALUES", "(?, ?, ?, ?, ?, ?, ?)").run(entries.slice(from, from + n).flat());
    }
  }

  /** Links (incident id, event id, incident id, event id …) in order, those already linked ignored; how many were linked. */
  link(pairs: readonly number[]): number {
    let linked = 0;
    for (let from = 0; from < pairs.length; from += LINK_ROWS * 2) {
      const n = Math.min(LINK_ROWS, (pairs.length - from) / 2);
      linked += this.statement("link", n, "INSERT OR IGNORE INTO incident_events (incident_id, event_id) VALUES", "(?, ?)").run(pairs.slice(from, from + n * 2)).changes;
    }
    return linked;
  }

  private statement(name: string, n: number, head: string, row: string): Database.Statement {
    const key = `${name}:${n}`;
    let statement = this.cache.get(key);
    if (!statement) this.cache.set(key, (statement = this.sqlite.prepare(`${head} ${Array.from({ length: n }, () => row).join(", ")}`)));
    return statement;
  }
}
