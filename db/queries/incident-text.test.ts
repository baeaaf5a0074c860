import { describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../client";
import { activeIncidentGroups, countIncidents, pageIncidents } from "./incidents";
import { incidentTextIndex, pairBucket, textHits } from "./incident-text";
import { STATUS_FILTER } from "./incident-filter";
import { incidentQuerySchema } from "../../lib/contracts/incidents";

// The incident list's free text through the in-memory index (incident-text.ts), against a plain
// reference: every word a case-insensitive substring of the title, rule or entity, whatever it
// holds; the total exact; the index current after every kind of write, whoever makes it; and the
// same answers from the SQL path (the index off, or inside a transaction).

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const STATUSES = ["open", "acknowledged", "resolved", "resolved", "open"] as const;
const TITLES = ['Literal "NEAR(a* OR b)% here', "50%_off promo at 10.9.9.9", "O'Brien; DROP TABLE incidents; --", "title:colon -minus ^caret (paren)", "Ärger über Straße ÉCOLE", "😀 smile", "x", "Q"];

interface Row {
  id: number;
  status: string;
  pane: string;
  rule: string;
  title: string;
  entity: string;
  severity: string;
}

function seeded(n = 300, maxSlots?: number) {
  const handle = openDatabase(":memory:");
  if (maxSlots !== undefined) incidentTextIndex(handle.db, maxSlots);
  const insert = handle.sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, status, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  handle.sqlite.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const rule = ["brute_force", "node_down", "port_scan"][i % 3];
      const title = i <= TITLES.length ? TITLES[i - 1] : `${["Brute-force from", "Node DOWN", "Scan of"][i % 3]} 10.${i % 7}.${i % 11}.${i}`;
      insert.run(`k${i}`, rule, i % 5 === 0 ? "ab" : `sshd:10.${i % 7}.${i % 11}.${i}`, i % 2 ? "security" : "network", title, ["critical", "high", "low"][i % 3], STATUSES[i % 5], T0 + (i % 9) * 1000, T0 + (i % 13) * 1000);
    }
  })();
  return handle;
}

const rowsOf = (h: DatabaseHandle) => h.sqlite.prepare(`SELECT id, status, pane, rule, title, entity, severity FROM incidents`).all() as Row[];

/** The filter written plainly. */
function expected(rows: Row[], p: { status: keyof typeof STATUS_FILTER; q: string; pane?: string; severity?: string }): number[] {
  const words = p.q.split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());
  return rows
    .filter((r) => (STATUS_FILTER[p.status] as readonly string[]).includes(r.status) && (!p.pane || r.pane === p.pane) && (!p.severity || p.severity.split(",").includes(r.severity)))
    .filter((r) => words.every((w) => [r.title, r.rule, r.entity].some((h) => h.toLowerCase().includes(w))))
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

/** Every incident the list shows for the filter (all pages), by id, and its total. */
function listed(h: DatabaseHandle, p: Record<string, string | undefined>) {
  const ids: number[] = [];
  let before: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: ReturnType<typeof pageIncidents> = pageIncidents(h.db, incidentQuerySchema.parse({ ...p, limit: "40", ...(before ? { before } : {}) }));
    ids.push(...page.incidents.map((i) => i.id));
    before = page.next_before;
    if (!before) break;
  }
  return { ids: ids.sort((a, b) => a - b), total: countIncidents(h.db, incidentQuerySchema.parse(p)) };
}

const WORDS = [
  // one and two characters, the words the trigram index cannot find
  "x", "X", "q", "1", "9", ".", ":", "ab", "AB", "b ", "10", ".9", "9.", "%", "_", "_%", "%_", "-", "(", '"', "*", "ä", "ß", "É", "😀", "\u0000",
  // longer, two words, FTS syntax and SQL as text
  "brute", "BRUTE force", "node 10.1", "sshd 10.2.", "10.1 ab", "Literal", '"NEAR(a* OR b)%', "NEAR(a b)", "a OR b", "title:colon", "^caret", "'; DROP TABLE incidents; --", "O'Brien;", "AND", "straße", "über école",
  "a\u0000b", "nothing-holds-this", "x y",
];

describe("free text from the in-memory index", () => {
  const h = seeded();
  const rows = rowsOf(h);

  it("is on for the list (no transaction open)", () => {
    expect(textHits(h.db, "brute", STATUS_FILTER.all)).not.toBeNull();
  });

  it.each(WORDS)("q=%j: exactly the incidents holding every word, counted exactly, in every status and with other filters", (q) => {
    for (const status of ["all", "active", "open", "resolved"] as const) {
      const want = expected(rows, { status, q });
      expect(listed(h, { status, q })).toEqual({ ids: want, total: want.length });
    }
    const filters: { status: "active" | "all"; q: string; pane: string; severity?: string }[] = [
      { status: "active", q, pane: "network" },
      { status: "all", q, pane: "security", severity: "critical,low" },
    ];
    for (const p of filters) {
      const want = expected(rows, p);
      expect(listed(h, p)).toEqual({ ids: want, total: want.length });
    }
  });

  it("finds what only the short-word path found before: 1–2 characters, across statuses", () => {
    expect(listed(h, { status: "active", q: "1" }).total).toBe(expected(rows, { status: "active", q: "1" }).length);
    expect(expected(rows, { status: "active", q: "1" }).length).toBeGreaterThan(50);
    expect(listed(h, { status: "all", q: "ab" }).total).toBe(61); // the 60 entities "ab", and "TABLE"
    expect(listed(h, { status: "all", q: "Q" }).ids).toEqual([8]);
  });

  it("a pair that shares its bitset with another pair finds only the incidents holding it", () => {
    // two pairs of letters with the same bucket: the bitset holds both, the text check tells them apart
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const seen = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (const a of letters)
      for (const b of letters) {
        const bucket = pairBucket(a.charCodeAt(0), b.charCodeAt(0));
        const other = seen.get(bucket);
        if (other && !pair) pair = [other, a + b];
        seen.set(bucket, a + b);
      }
    expect(pair).not.toBeNull();
    const one = openDatabase(":memory:");
    one.sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES ('k', 'r', 'e', 'security', ?, 'high', 1, 1)`).run(`zz ${pair![0]} zz`);
    expect(listed(one, { status: "all", q: pair![0] }).total).toBe(1);
    expect(listed(one, { status: "all", q: pair![1] })).toEqual({ ids: [], total: 0 });
  });
});

/** The counts by status, pane, rule and severity, written plainly. */
function expectedTallies(rows: Row[], statuses: readonly string[], pane?: string) {
  const n = new Map<string, number>();
  for (const r of rows) if (statuses.includes(r.status) && (!pane || r.pane === pane)) n.set(`${r.status} ${r.pane} ${r.rule} ${r.severity}`, (n.get(`${r.status} ${r.pane} ${r.rule} ${r.severity}`) ?? 0) + 1);
  return [...n].map(([k, count]) => `${k} ${count}`).sort();
}
function tallies(h: DatabaseHandle, statuses: readonly string[], pane?: string) {
  const index = incidentTextIndex(h.db);
  expect(index.sync()).toBe(true);
  return index.tallies(statuses, pane).map((t) => `${t.status} ${t.pane} ${t.rule} ${t.severity} ${t.n}`).sort();
}

describe("the index's tallies (the active groups and header counts)", () => {
  it("count every status, pane, rule and severity exactly, and follow inserts, lifecycle, severity changes and deletes", () => {
    const h = seeded(300);
    const check = (what: string) => {
      for (const statuses of [STATUS_FILTER.active, STATUS_FILTER.all, ["resolved"]])
        for (const pane of [undefined, "network", "security"]) expect(tallies(h, statuses, pane), `${what}: ${statuses} ${pane}`).toEqual(expectedTallies(rowsOf(h), statuses, pane));
    };
    check("seeded");
    h.sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES ('n1', 'fresh_rule', 'e', 'security', 't', 'medium', 1, 1)`).run();
    check("insert of a new rule");
    h.sqlite.prepare(`UPDATE incidents SET status = 'acknowledged' WHERE status = 'open' AND id % 2 = 0`).run();
    check("acknowledge");
    h.sqlite.prepare(`UPDATE incidents SET severity = 'critical' WHERE id % 7 = 0`).run();
    check("severity raised");
    h.sqlite.prepare(`UPDATE incidents SET status = 'resolved' WHERE rule = 'fresh_rule'`).run();
    check("the new rule's only incident resolved (no empty cell listed)");
    expect(tallies(h, STATUS_FILTER.active).some((t) => t.includes("fresh_rule"))).toBe(false);
    h.sqlite.prepare(`DELETE FROM incidents WHERE id % 5 = 0`).run();
    check("delete");
  });

  it("group the active incidents the same through the index and through SQL (index off), with each group's last activity", () => {
    const h = seeded(300);
    h.sqlite.prepare(`UPDATE incidents SET last_seen = last_seen + id * 10`).run();
    for (const pane of [undefined, "network", "security"] as const) {
      const fromIndex = activeIncidentGroups(h.db, pane);
      incidentTextIndex(h.db).enable(false);
      const fromSql = activeIncidentGroups(h.db, pane);
      incidentTextIndex(h.db).enable(true);
      expect(fromIndex.length).toBeGreaterThan(0);
      expect(fromIndex).toEqual(fromSql);
    }
  });

  it("give countIncidents the same totals as SQL (index off) for every filter of status, pane, rule and severity", () => {
    const h = seeded(300);
    const filters = [] as Parameters<typeof countIncidents>[1][];
    for (const status of ["open", "acknowledged", "resolved", "active", "all"] as const)
      for (const pane of [undefined, "network", "security"] as const)
        for (const rule of [undefined, "brute_force", "nope"])
          for (const severity of [undefined, ["critical"], ["high", "low"], ["info"]] as const) filters.push({ status, pane, rule, severity: severity as never });
    const fromIndex = filters.map((f) => countIncidents(h.db, f));
    incidentTextIndex(h.db).enable(false);
    const fromSql = filters.map((f) => countIncidents(h.db, f));
    expect(fromIndex).toEqual(fromSql);
    expect(fromIndex.some((n) => n > 0)).toBe(true);
  });
});

describe("the index stays current", () => {
  it("after inserts, status and text changes and deletes, by any statement on the connection", () => {
    const h = seeded(60);
    const check = (q: string) => {
      for (const status of ["all", "active", "resolved"] as const)
        for (const pane of [undefined, "network"]) {
          const p = { status, q, ...(pane ? { pane } : {}) };
          const want = expected(rowsOf(h), p);
          expect(listed(h, p), `${status} ${pane} ${q}`).toEqual({ ids: want, total: want.length });
        }
    };
    check("zq");
    h.sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES ('n1', 'r', 'e', 'security', 'fresh ZQ', 'high', 1, 1)`).run();
    check("zq");
    h.sqlite.prepare(`UPDATE incidents SET status = 'resolved' WHERE title = 'fresh ZQ'`).run();
    check("zq");
    h.sqlite.prepare(`UPDATE incidents SET title = 'renamed zq' WHERE id = 7`).run();
    check("zq");
    check("x");
    h.sqlite.prepare(`UPDATE incidents SET entity = 'host-zq' WHERE id = 9`).run();
    check("zq");
    h.sqlite.prepare(`UPDATE incidents SET pane = 'network' WHERE id = 9`).run();
    check("zq");
    h.sqlite.prepare(`DELETE FROM incidents WHERE id = 7`).run();
    check("zq");
    // growth writes nothing to the log: the index reads nothing again
    const logged = () => (h.sqlite.prepare(`SELECT count(*) AS n FROM incident_text_changes`).get() as { n: number }).n;
    const before = logged();
    h.sqlite.prepare(`UPDATE incidents SET count = count + 1, last_seen = last_seen + 1`).run();
    expect(logged()).toBe(before);
    check("zq");
    // a change of severity is logged (the tallies count by severity), once per incident that changed
    const changing = (h.sqlite.prepare(`SELECT count(*) AS n FROM incidents WHERE severity IS NOT 'low'`).get() as { n: number }).n;
    h.sqlite.prepare(`UPDATE incidents SET severity = 'low'`).run();
    expect(logged()).toBe(before + changing);
    check("zq");
  });

  it("after many changes at once (a bulk action): status, text, severity and deletes, each incident read as it is now", () => {
    const h = seeded(400);
    const index = incidentTextIndex(h.db);
    expect(index.sync()).toBe(true);
    h.sqlite.prepare(`UPDATE incidents SET status = 'acknowledged' WHERE status = 'open'`).run();
    h.sqlite.prepare(`UPDATE incidents SET title = 'Bulk renamed QX ' || id, severity = 'medium' WHERE id % 3 = 0`).run();
    h.sqlite.prepare(`DELETE FROM incidents WHERE id % 4 = 0`).run();
    h.sqlite.prepare(`UPDATE incidents SET status = 'resolved' WHERE id % 5 = 1`).run();
    expect((h.sqlite.prepare(`SELECT count(*) AS n FROM incident_text_changes`).get() as { n: number }).n).toBeGreaterThan(400 + 64);
    for (const q of ["qx", "renamed", "brute", "1"])
      for (const status of ["all", "active", "resolved"] as const) {
        const want = expected(rowsOf(h), { status, q });
        expect(listed(h, { status, q }), `${status} ${q}`).toEqual({ ids: want, total: want.length });
      }
    for (const statuses of [STATUS_FILTER.active, STATUS_FILTER.all]) expect(tallies(h, statuses)).toEqual(expectedTallies(rowsOf(h), statuses));
  });

  it("past its size while running (not at build), it turns itself off and the SQL path answers, without throwing", () => {
    const h = seeded(30, 64);
    expect(countIncidents(h.db, { status: "all" })).toBe(30);
    const insert = h.sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES (?, 'r', 'e', 'security', 't', 'high', 1, 1)`);
    h.sqlite.transaction(() => {
      for (let i = 0; i < 70; i++) insert.run(`grow${i}`);
    })();
    expect(countIncidents(h.db, { status: "all" })).toBe(100);
    expect(countIncidents(h.db, { status: "all", q: "t" })).toBe(expected(rowsOf(h), { status: "all", q: "t" }).length);
    expect(incidentTextIndex(h.db).enabled).toBe(false);
  });

  it("inside a transaction the SQL path answers (uncommitted rows included), and a rolled-back change never reaches the index", () => {
    const h = seeded(60);
    const insert = h.sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES (?, 'r', 'e', 'security', ?, 'high', 1, 1)`);
    expect(listed(h, { status: "all", q: "qj" }).total).toBe(0);
    const rollback = new Error("rollback");
    expect(() =>
      h.sqlite.transaction(() => {
        insert.run("t1", "ghost qj");
        expect(textHits(h.db, "qj", STATUS_FILTER.all)).toBeNull();
        expect(listed(h, { status: "all", q: "qj" }).total).toBe(1);
        throw rollback;
      })(),
    ).toThrow(rollback);
    expect(listed(h, { status: "all", q: "qj" })).toEqual({ ids: [], total: 0 });
    // the next change takes the rolled-back one's place in the log: it is applied, not skipped
    insert.run("t2", "real qj");
    expect(listed(h, { status: "all", q: "qj" }).total).toBe(1);
  });

  it("rebuilds when the log was trimmed past its place (64Ki changes behind)", () => {
    const h = seeded(60);
    expect(listed(h, { status: "all", q: "qk" }).total).toBe(0);
    h.sqlite.prepare(`UPDATE incidents SET title = 'moved qk' WHERE id = 3`).run();
    // 70,000 more changes (of an incident that stays as it is) trim the log past that one
    h.sqlite.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 70000) INSERT INTO incident_text_changes (incident_id) SELECT 1 FROM n`);
    const { low } = h.sqlite.prepare(`SELECT min(seq) AS low FROM incident_text_changes`).get() as { low: number };
    expect(low).toBeGreaterThan(4096);
    expect((h.sqlite.prepare(`SELECT count(*) AS n FROM incident_text_changes`).get() as { n: number }).n).toBeLessThanOrEqual(65536 + 4096);
    expect(listed(h, { status: "all", q: "qk" })).toEqual({ ids: [3], total: 1 });
  });

  it("rebuilds when the log was trimmed past its start (built on an empty log)", () => {
    const h = openDatabase(":memory:");
    expect(listed(h, { status: "all", q: "qm" })).toEqual({ ids: [], total: 0 });
    h.sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES ('k', 'r', 'e', 'security', 'first qm', 'high', 1, 1)`).run();
    // changes of an incident that is not there: only a rebuild finds the first one's row
    h.sqlite.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 70000) INSERT INTO incident_text_changes (incident_id) SELECT 99999 FROM n`);
    expect(listed(h, { status: "all", q: "qm" })).toEqual({ ids: [1], total: 1 });
  });

  it("past its size it turns itself off and the SQL path answers alike", () => {
    const h = seeded(100, 64);
    expect(textHits(h.db, "x", STATUS_FILTER.all)).toBeNull();
    expect(incidentTextIndex(h.db).enabled).toBe(false);
    const rows = rowsOf(h);
    for (const q of ["brute", "node 10.1", "x", "ab", "_%"]) {
      const want = expected(rows, { status: "all", q });
      expect(listed(h, { status: "all", q })).toEqual({ ids: want, total: want.length });
    }
  });
});

describe("the SQL path (index off) answers as the index does, for ASCII text", () => {
  const on = seeded();
  const off = seeded();
  incidentTextIndex(off.db).enable(false);
  const ascii = WORDS.filter((w) => /^[\x00-\x7f]*$/.test(w));
  it.each(ascii)("q=%j", (q) => {
    for (const status of ["all", "active"] as const) expect(listed(off, { status, q })).toEqual(listed(on, { status, q }));
    expect(textHits(off.db, q, STATUS_FILTER.all)).toBeNull();
  });
});
