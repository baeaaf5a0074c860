import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../client";
import { countIncidents, pageIncidents } from "./incidents";
import { incidentOrder, incidentQuerySchema, INCIDENT_SORTS, severityRank, type IncidentSort, type SortOrder } from "../../lib/contracts/incidents";
import { STATUS_FILTER } from "./incident-filter";
import { incidentTextIndex } from "./incident-text";

// Every order of the incident list against a plain reference: paging by cursor with a small limit
// yields each matching incident exactly once, in exactly the order of the key then id, through
// walks and collects alike (probe 0 forces the walk), with many ties on every key; the total is
// exact; free text is plain text whatever it holds.

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const STATUSES = ["open", "open", "acknowledged", "resolved", "resolved"] as const;
const RULES = ["brute_force", "node_down", "port_scan"];
// "weird" is no severity of the five: it ranks with info
const SEVERITY = ["critical", "high", "medium", "low", "info", "weird"];
const HOSTILE_TITLES = ['Literal "NEAR(a* OR b)% here', "50%_off promo at 10.9.9.9", "O'Brien; DROP TABLE incidents; --", "title:colon -minus ^caret (paren)"];

interface Row {
  id: number;
  status: string;
  pane: string;
  rule: string;
  severity: string;
  title: string;
  entity: string;
  first_seen: number;
  last_seen: number;
  updated_at: number;
  assignee: string | null;
}

function seeded(n = 240) {
  const handle = openDatabase(":memory:");
  const insert = handle.sqlite.prepare(
    `INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, status, first_seen, last_seen, assignee) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const note = handle.sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action, note) VALUES (?, ?, 'ana@bank.test', 'note', 'n')`);
  handle.sqlite.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const rule = RULES[i % 3];
      const first = T0 + (i % 7) * 1000;
      const title = i <= HOSTILE_TITLES.length ? HOSTILE_TITLES[i - 1] : `${["Brute-force from", "Node DOWN", "Scan of"][i % 3]} 10.1.${i % 4}.${i}`;
      const assignee = i % 3 === 0 ? "ana@bank.test" : i % 3 === 1 ? null : "bob@bank.test";
      insert.run(`${rule}:${i}`, rule, `sshd:10.1.${i % 4}.${i}`, i % 2 ? "security" : "network", title, SEVERITY[i % 6], STATUSES[i % 5], first, first + (i % 4) * 1000, assignee);
      // updated_at: the newest timeline entry (few distinct times: many ties), first_seen without one
      if (i % 4 === 0) note.run(i, T0 + 20_000 + (i % 3) * 1000);
    }
  })();
  const rows = handle.sqlite.prepare(`SELECT id, status, pane, rule, severity, title, entity, first_seen, last_seen, updated_at, assignee FROM incidents`).all() as Row[];
  return { handle, rows };
}

/** The filter's semantics written plainly: every word a case-insensitive substring of title, rule or entity. */
function matches(r: Row, p: Record<string, string>): boolean {
  if (!(STATUS_FILTER[(p.status ?? "active") as keyof typeof STATUS_FILTER] as readonly string[]).includes(r.status)) return false;
  if (p.pane && r.pane !== p.pane) return false;
  if (p.rule && r.rule !== p.rule) return false;
  if (p.severity && !p.severity.split(",").includes(r.severity)) return false;
  if (p.assignee && (p.assignee === "none" ? r.assignee !== null : r.assignee !== p.assignee)) return false;
  if (p.since && r.last_seen < Number(p.since)) return false;
  if (p.until && r.first_seen >= Number(p.until)) return false;
  const hay = [r.title, r.rule, r.entity].map((s) => s.toLowerCase());
  return (p.q ?? "").split(/\s+/).filter(Boolean).every((w) => hay.some((h) => h.includes(w.toLowerCase())));
}

function expected(rows: Row[], p: Record<string, string>): number[] {
  const order = incidentOrder(p.sort as IncidentSort | undefined, p.order as SortOrder | undefined);
  const key = (r: Row) => (order.key === "last_seen" ? [r.last_seen] : order.key === "first_seen" ? [r.first_seen] : order.key === "updated" ? [r.updated_at] : [severityRank(r.severity), r.last_seen]);
  const sign = order.dir === "desc" ? -1 : 1;
  const cmp = (a: Row, b: Row) => {
    const [ka, kb] = [[...key(a), a.id], [...key(b), b.id]];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return sign * (ka[i] - kb[i]);
    return 0;
  };
  return rows.filter((r) => matches(r, p)).sort(cmp).map((r) => r.id);
}

const { handle, rows } = seeded();

/** Follows next_before from the first page to the last; fails on a page count that could only mean a loop. */
function pageThrough(p: Record<string, string>, limit: number, probe?: number) {
  const ids: number[] = [];
  let before: string | null = null;
  for (let pages = 0; pages < 200; pages++) {
    const q = incidentQuerySchema.parse({ ...p, limit: String(limit), ...(before ? { before } : {}) });
    const page = pageIncidents(handle.db, q, probe);
    expect(page.incidents.length).toBeLessThanOrEqual(limit);
    ids.push(...page.incidents.map((i) => i.id));
    before = page.next_before;
    if (!before) return ids;
  }
  throw new Error("more than 200 pages");
}

const ORDERS: Record<string, string>[] = [
  {},
  { sort: "newest" },
  { sort: "oldest" },
  ...(["last_seen", "severity", "age-open", "updated"] as const).flatMap((sort) => [{ sort }, { sort, order: "asc" }, { sort, order: "desc" }]),
];
const FILTERS: Record<string, string>[] = [
  { status: "all" },
  { status: "active" },
  { status: "resolved", pane: "network" },
  { status: "active", rule: "node_down" },
  { status: "all", assignee: "none" },
  { status: "active", assignee: "ana@bank.test" },
  { status: "all", severity: "critical,info" },
  { status: "all", q: "10.1.2" },
  { status: "all", q: "node 10.1" },
  { status: "all", since: String(T0 + 3000), until: String(T0 + 5000) },
  { status: "open", pane: "security", severity: "high,info", assignee: "none" },
];
const CASES = ORDERS.flatMap((o) => FILTERS.map((f) => ({ ...f, ...o })));

describe("every order of the incident list pages exactly", () => {
  it("the orders cover every sort the contract offers", () => {
    expect(new Set(ORDERS.map((o) => o.sort ?? "newest"))).toEqual(new Set(INCIDENT_SORTS));
  });

  it.each(CASES)("%o: each match once, in key-then-id order, whether collected or walked; the total exact", (p) => {
    const want = expected(rows, p);
    expect(want.length).toBeGreaterThan(0);
    expect(countIncidents(handle.db, incidentQuerySchema.parse(p))).toBe(want.length);
    expect(pageThrough(p, 7)).toEqual(want);
    expect(pageThrough(p, 7, 0)).toEqual(want);
    // one page holding everything says there is no next one
    expect(pageIncidents(handle.db, incidentQuerySchema.parse({ ...p, limit: "500" })).next_before).toBeNull();
  });

  it("ties are real: every key repeats across many incidents", () => {
    for (const k of ["first_seen", "last_seen", "updated_at", "severity"] as const) expect(new Set(rows.map((r) => r[k])).size).toBeLessThan(rows.length / 10);
  });
});

const hostile = ['"', '""', "*", "a*", "NEAR", "NEAR(a b)", '"NEAR(a* OR b)%', "%", "_", "_%", "50%_off", "a OR b", "-minus", "title:colon", "^caret", "(", ")", "'; DROP TABLE incidents; --", "O'Brien;", "AND", "\u0000", "a\u0000b\u0000c", "😀😀😀", "10.1.2."];

describe("free text is plain text", () => {
  it.each(hostile)("q=%j: no error, exactly the incidents holding it, counted exactly", (q) => {
    const p = { status: "all", q };
    const want = expected(rows, p);
    expect(countIncidents(handle.db, incidentQuerySchema.parse(p))).toBe(want.length);
    expect(pageThrough(p, 50)).toEqual(want);
    expect(pageThrough({ ...p, sort: "severity" }, 50, 0)).toEqual(expected(rows, { ...p, sort: "severity" }));
  });

  it("finds the literal text of FTS syntax and LIKE wildcards as written", () => {
    const ids = (q: string) => pageIncidents(handle.db, incidentQuerySchema.parse({ status: "all", q, limit: "50" })).incidents.map((i) => i.id);
    expect(ids('"NEAR(a* OR b)%')).toEqual([1]);
    expect(ids("50%_off")).toEqual([2]);
    expect(ids("%_")).toEqual([2]);
    expect(ids("DROP TABLE")).toEqual([3]);
    expect(ids("title:colon")).toEqual([4]);
    expect(ids("near(A*")).toEqual([1]);
  });
});

// The free text above went through the in-memory index (incident-text.ts); the same cases through
// the SQL path it falls back to (the trigram index and row checks: inside a transaction, or past
// the index's size).
describe("with the in-memory text index off, the SQL path answers the same", () => {
  beforeAll(() => incidentTextIndex(handle.db).enable(false));
  afterAll(() => incidentTextIndex(handle.db).enable(true));
  it.each([...CASES.filter((p) => p.q), ...hostile.map((q) => ({ status: "all", q }))])("%o", (p) => {
    const want = expected(rows, p);
    expect(countIncidents(handle.db, incidentQuerySchema.parse(p))).toBe(want.length);
    expect(pageThrough(p, 7)).toEqual(want);
    expect(pageThrough(p, 7, 0)).toEqual(want);
  });
});
