import { describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../client";
import { countMatchingEvents, eventRate, getEventDetail, pageEvents, severityCounts } from "./security";
import { groupEvents } from "./security-groups";
import { topEvents } from "./security-top";
import { activeIncidentGroups, CELL_LAST_SEEN_SQL, countIncidents, getIncident, getTimeline, listIncidents, maxIncidentId, pageIncidents } from "./incidents";
import { incidentTextIndex, TEXT_INDEX_SQL } from "./incident-text";
import { listNodesPage, listNodesWithChecks } from "./network";
import { AuditLog } from "../../server/audit/audit-log";
import { IncidentService } from "../../server/incidents/service";
import { RetentionPruner } from "../../server/ops/retention";
import { manualClock } from "../../server/clock";
import { FiguresStore } from "../../server/network/figures-store";
import { NetworkFigures } from "../../server/network/figures";
import { SlaReports } from "../../server/network/sla-report";
import { EVENT_KINDS, type EventFilter } from "../../lib/contracts/events";
import { incidentOrder, type IncidentQuery, type IncidentSort, type SortOrder } from "../../lib/contracts/incidents";

// Every query the panes and the API run, planned by SQLite itself: each must reach its rows through
// an index (or the rowid), and the hot lists must come out of an index already in order, never
// through a temporary B-tree sort. Planned on a freshly migrated database and again after ANALYZE
// (which `PRAGMA optimize` after each prune amounts to), because statistics can change a plan.

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
const STATUSES = ["open", "acknowledged", "resolved", "active", "all"] as const;

interface Statement {
  sql: string;
  params: unknown[];
}

/** Runs `fn` and returns every distinct statement it executed (by SQL) with its first parameters. */
async function recordStatements(handle: DatabaseHandle, fn: () => unknown): Promise<Statement[]> {
  const sqlite = handle.sqlite;
  const seen = new Map<string, Statement>();
  const prepare = sqlite.prepare;
  sqlite.prepare = function (source: string) {
    const stmt = prepare.call(sqlite, source);
    for (const method of ["all", "get", "run", "iterate"] as const) {
      const original = stmt[method] as (...args: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        if (!seen.has(source)) seen.set(source, { sql: source, params });
        return original.apply(stmt, params);
      };
    }
    return stmt;
  } as typeof sqlite.prepare;
  try {
    await fn();
  } finally {
    sqlite.prepare = prepare;
  }
  // statements that read or write rows; BEGIN, COMMIT and PRAGMA have no plan to check
  return [...seen.values()].filter((s) => /^\s*(select|insert|update|delete|with)\b/i.test(s.sql));
}

function plan(handle: DatabaseHandle, s: Statement): string[] {
  return (handle.sqlite.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...(s.params as never[])) as { detail: string }[]).map((r) => r.detail);
}

interface Expectation {
  /** the query reads a whole table or an id range in rowid order on purpose (named in the test) */
  rowidScan?: string[];
  /** a sort is allowed (not a hot list) */
  sortAllowed?: boolean;
  /** a step the plan must have: the filter is searched in an index, not checked row by row */
  uses?: RegExp;
}

/** Checks one function's statements: no table scan without an index, no sort for ORDER BY. */
async function expectIndexed(handle: DatabaseHandle, fn: () => unknown, expectation: Expectation = {}) {
  const statements = await recordStatements(handle, fn);
  expect(statements.length).toBeGreaterThan(0);
  const report: string[] = [];
  for (const s of statements) {
    const steps = plan(handle, s);
    report.push(`${s.sql}\n  ${steps.join("\n  ")}`);
    for (const step of steps) {
      // SCAN CONSTANT ROW: a SELECT of scalar subqueries (each planned on its own line)
      const scan = /^SCAN (?!CONSTANT ROW$)(\w+)(.*)$/.exec(step);
      if (scan && !/USING (COVERING )?INDEX|VIRTUAL TABLE/.test(scan[2]) && !(expectation.rowidScan ?? []).includes(scan[1])) {
        throw new Error(`full scan without an index: ${step}\n${report.join("\n")}`);
      }
      if (/USE TEMP B-TREE FOR (RIGHT PART OF |LAST TERM OF )?ORDER BY/.test(step) && !expectation.sortAllowed) {
        throw new Error(`sorted in a temporary B-tree, not read in index order: ${step}\n${report.join("\n")}`);
      }
    }
  }
  if (process.env.PRINT_PLANS) console.log(report.join("\n"));
  if (expectation.uses) expect(report.join("\n")).toMatch(expectation.uses);
  return report;
}

/** A migrated database with rows shaped like a working install. */
function seeded(): { handle: DatabaseHandle; audit: AuditLog } {
  const handle = openDatabase(":memory:");
  const { sqlite, db } = handle;
  const clock = manualClock(NOW);
  sqlite.transaction(() => {
    const event = sqlite.prepare(
      `INSERT INTO security_events (time, received_at, kind, severity, source, src_ip, message) VALUES (?, ?, ?, ?, 'test', ?, 'm')`,
    );
    const minute = sqlite.prepare(`INSERT OR IGNORE INTO event_minutes (minute, severity, count) VALUES (?, ?, 1)`);
    for (let i = 0; i < 20_000; i++) {
      const time = NOW - i * 30_000;
      const severity = SEVERITIES[i % 5];
      event.run(time, time, EVENT_KINDS[i % EVENT_KINDS.length], severity, `198.51.100.${i % 250}`);
      minute.run(Math.floor(time / 60_000) * 60_000, severity);
    }
    const node = sqlite.prepare(`INSERT INTO nodes (key, name) VALUES (?, ?)`);
    const heartbeat = sqlite.prepare(`INSERT INTO heartbeats (node_id, time, ok, latency_ms) VALUES (?, ?, ?, 5)`);
    const figures = new FiguresStore(sqlite);
    for (let n = 1; n <= 300; n++) {
      node.run(`node-${n}`, `Node ${n}`);
      for (let h = 0; h < 40; h++) heartbeat.run(n, NOW - h * 60_000, h % 7 === 0 ? 0 : 1);
      // roll-ups: the last 40 minutes for every node, 30 days of hours for a few; a status change a day
      const results = Array.from({ length: 40 }, (_, h) => ({ nodeId: n, time: NOW - h * 60_000, ok: h % 7 !== 0, latency_ms: 5 + h }));
      if (n % 50 === 7) for (let h = 0; h < 720; h++) results.push({ nodeId: n, time: NOW - h * 3_600_000, ok: h % 11 !== 0, latency_ms: 10 + (h % 9) });
      figures.addResults(results);
      for (let d = 30; d >= 0; d--) figures.recordStatus(n, NOW - d * 86_400_000, d % 2 ? "down" : "up", null);
    }
    sqlite.prepare(`UPDATE nodes SET tags = json_object('site', 'site-' || (id % 10))`).run();
    const incident = sqlite.prepare(
      `INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, status, first_seen, last_seen) VALUES (?, ?, ?, ?, 't', 'high', ?, ?, ?)`,
    );
    const timeline = sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action) VALUES (?, ?, 'vigil', 'opened')`);
    for (let i = 1; i <= 5000; i++) {
      // most are resolved, as in any install that has run for a while
      const status = i % 50 === 0 ? "open" : i % 50 === 1 ? "acknowledged" : "resolved";
      const pane = i % 3 === 0 ? "network" : "security";
      incident.run(`rule:${i}`, "rule", `e${i}`, pane, status, NOW - i * 60_000, NOW - Math.floor(i / 4) * 30_000); // ties: id decides
      for (let t = 0; t < 3; t++) timeline.run(i, NOW - i * 60_000 + t);
    }
  })();
  const audit = new AuditLog(db, sqlite, clock, { scanWindow: 500 });
  sqlite.transaction(() => {
    // mostly incident work, a few rarer administrative actions
    const actions = ["incident_acknowledged", "incident_resolved", "incident_acknowledged", "incident_resolved", "key_created", "sign_in_failed", "user_created", "key_revoked"];
    for (let i = 0; i < 2000; i++) audit.append({ actor: `user${i % 20}@bank.test`, action: i % 97 === 0 ? "settings_changed" : actions[i % actions.length], target: `t${i}` });
  })();
  return { handle, audit };
}

const variants = [
  { name: "without statistics", analyze: false },
  { name: "after ANALYZE", analyze: true },
];

describe.each(variants)("query plans $name", ({ analyze }) => {
  const { handle, audit } = seeded();
  if (analyze) handle.sqlite.exec("ANALYZE");
  const { db } = handle;

  describe("security events", () => {
    const filters: { name: string; f: EventFilter; path: RegExp }[] = [
      { name: "no filter", f: {}, path: /SCAN security_events USING (COVERING )?INDEX security_events_time/ },
      { name: "since", f: { since: NOW - 3_600_000 }, path: /security_events_time \(time>\?\)/ },
      { name: "since and until", f: { since: NOW - 3_600_000, until: NOW - 60_000 }, path: /security_events_time \(time>\? AND time<\?\)/ },
      { name: "kind", f: { kind: ["auth_failure"] }, path: /security_events_kind_severity_time \(kind=\? AND severity=\?/ },
      { name: "severities", f: { severity: ["high", "critical"] }, path: /security_events_kind_severity_time \(kind=\? AND severity=\?/ },
      { name: "kind, severity, since", f: { kind: ["auth_failure", "ids_alert"], severity: ["high"], since: NOW - 3_600_000 }, path: /security_events_kind_severity_time \(kind=\? AND severity=\? AND time>\?\)/ },
      { name: "src address", f: { src: "198.51.100.7" }, path: /security_events_src_time \(src_ip=\?/ },
      { name: "src host name", f: { src: "host-1.example.net" }, path: /security_events_src_host_time \(src_host=\?/ },
      { name: "user", f: { user: "root" }, path: /security_events_user_time \(user=\?/ },
      { name: "signature", f: { signature: "ET SCAN x" }, path: /security_events_signature_time \(signature=\?/ },
      { name: "src and kind", f: { src: "198.51.100.7", kind: ["auth_failure"] }, path: /security_events_src_time \(src_ip=\?/ },
      { name: "q", f: { q: "50%_off" }, path: /security_events_time/ },
      { name: "dst and service", f: { dst: "10.0.0.1", service: "sshd" }, path: /security_events_time/ },
      { name: "incident", f: { incident: 42 }, path: /SEARCH security_events USING INTEGER PRIMARY KEY \(rowid=\?\)/ },
    ];
    // a filter's rows come out of its path's index in (time, id) order (several ranges merged, not
    // sorted); only an incident's evidence (at most EVIDENCE_CAP rows by rowid) is sorted
    it.each(filters)("a page for $name reads its path's index in order", async ({ f, path }) => {
      const sortAllowed = f.incident !== undefined;
      const report = await expectIndexed(handle, () => pageEvents(db, { ...f, limit: 200 }), { uses: path, sortAllowed });
    });

    it.each(filters)("an older page from a cursor for $name bounds the index search by the cursor's time", async ({ f }) => {
      const report = await expectIndexed(handle, () => pageEvents(db, { ...f, before: { time: NOW - 2 * 3_600_000, id: 15_000 }, limit: 200 }), { sortAllowed: f.incident !== undefined });
      if (f.incident === undefined) expect(report.join("\n")).toMatch(/USING (COVERING )?INDEX security_events_\w+ \(.*time<\?\)/);
    });

    it.each(filters)("the total for $name is counted through its path's index", async ({ f, path }) => {
      await expectIndexed(handle, () => countMatchingEvents(db, f), { uses: path, sortAllowed: true });
    });

    it.each(filters)("groups for $name read the path's index", async ({ f, path }) => {
      // grouping sorts by its key (GROUP BY) and by count: allowed; reading rows without an index is not
      await expectIndexed(handle, () => groupEvents(db, { ...f, by: "signature", limit: 100 }), { uses: path, sortAllowed: true });
    });

    it.each([
      { name: "a ragged hour", since: NOW - 3_600_000 - 23_500, until: undefined },
      { name: "a ragged day with an upper bound", since: NOW - 86_400_000 - 90_500, until: NOW - 30_500 },
    ])("a grouping of $name alone reads the tallies by their primary key and only its sub-minute edges from security_events_time", async ({ since, until }) => {
      for (const by of ["src", "signature", "kind"] as const) {
        const report = (await expectIndexed(handle, () => groupEvents(db, { since, until, by, limit: 100 }, { now: NOW, storedSince: NOW - 7 * 86_400_000 }), { sortAllowed: true })).join("\n");
        expect(report).toMatch(/SEARCH event_tallies USING PRIMARY KEY \(dim=\? AND span=\? AND bucket>\?( AND bucket<\?)?\)/);
        expect(report).toMatch(/SEARCH security_events USING (COVERING )?INDEX security_events_time \(time>\? AND time<\?\)/);
      }
    });

    it("top sources, signatures and accounts read the tallies by their primary key", async () => {
      const report = await expectIndexed(handle, () => topEvents(db, { since: NOW - 86_400_000, until: NOW, limit: 10, now: NOW }), { sortAllowed: true });
      expect(report.join("\n")).toMatch(/SEARCH event_tallies USING PRIMARY KEY \(dim=\? AND span=\? AND bucket>\? AND bucket<\?\)/);
    });

    it("an event's detail is read by rowid and its incidents through incident_events_event", async () => {
      const report = await expectIndexed(handle, () => getEventDetail(db, 42), { sortAllowed: true });
      expect(report.join("\n")).toContain("incident_events_event");
    });

    it("eventRate reads the rollup table by its key in order", async () => {
      await expectIndexed(handle, () => eventRate(db, { sinceMinute: NOW - 60 * 60_000 }));
    });

    it("counts by severity for the day read the rollup table by its key", async () => {
      const report = await expectIndexed(handle, () => severityCounts(db, { sinceMinute: NOW - 1440 * 60_000 }));
      // WITHOUT ROWID since migration 0012: the key is the table
      expect(report.join("\n")).toMatch(/SEARCH event_minutes USING PRIMARY KEY \(minute>\?/);
    });
  });

  describe("incidents", () => {
    const queries: IncidentQuery[] = [];
    for (const status of STATUSES) for (const pane of [undefined, "network", "security"] as const) queries.push({ status, pane, limit: 200 });
    it.each(queries)("listIncidents status=$status pane=$pane reads an index in order", async (q) => {
      // each status is its own index range, unless every incident of every pane is listed
      const uses = q.status === "all" && !q.pane ? /SCAN incidents USING INDEX incidents_last_seen/ : q.pane ? /\(pane=\? AND status=\?\)/ : /\(status=\?\)/;
      await expectIndexed(handle, () => listIncidents(db, q), { uses });
    });

    const pages: IncidentQuery[] = [];
    for (const status of STATUSES)
      for (const pane of [undefined, "network", "security"] as const)
        for (const rule of status === "resolved" || status === "all" ? [undefined] : [undefined, "rule"]) pages.push({ status, pane, rule, limit: 200, before: { key: "last_seen", dir: "desc", values: [NOW - 20 * 30_000], id: 90 } });
    it.each(pages)("listIncidents from a cursor status=$status pane=$pane rule=$rule reads an index in order", async (q) => {
      await expectIndexed(handle, () => listIncidents(db, q));
    });

    /** Runs fn with the in-memory index off: the SQL path answers (as inside a transaction). */
    async function withoutIndex<T>(fn: () => Promise<T>): Promise<T> {
      incidentTextIndex(db).enable(false);
      try {
        return await fn();
      } finally {
        incidentTextIndex(db).enable(true);
      }
    }

    it("counts of status, pane, rule and severity come from the in-memory tallies: no statement at all", async () => {
      expect(incidentTextIndex(db).sync()).toBe(true);
      for (const q of queries)
        expect(await recordStatements(handle, () => countIncidents(db, { ...q, ...(q.status !== "resolved" && q.status !== "all" ? { rule: "rule" } : {}), severity: ["high"] }))).toEqual([]);
    });

    it.each(queries)("without the in-memory index, countIncidents status=$status pane=$pane counts through an index", async (q) => {
      await withoutIndex(() =>
        expectIndexed(handle, () => {
          countIncidents(db, q);
          // a rule is a group of the active set (the query schema refuses it with resolved or all)
          if (q.status !== "resolved" && q.status !== "all") countIncidents(db, { ...q, rule: "rule" });
        }),
      );
    });

    // the other orders: each status's rows read in order from the order's own index, merged, never
    // sorted; from a cursor the row value (key…, id) bounds the index search (probe 0: the walk
    // itself, even where a selective term would be collected)
    const ORDER_INDEX = { first_seen: "incidents_status_first_seen", updated: "incidents_status_updated_at", severity: "incidents_status_severity_rank", last_seen: "incidents_status_last_seen" };
    const RANGE = { first_seen: /\(status=\? AND \(?first_seen[<>]\?/, updated: /\(status=\? AND \(?updated_at[<>]\?/, severity: /\(status=\? AND \(severity_rank,last_seen\)[<>]\(\?,\?\)\)/, last_seen: /\(status=\? AND \(?last_seen[<>]\?/ };
    const sorts: { sort: IncidentSort; order?: SortOrder }[] = [{ sort: "oldest" }, { sort: "severity" }, { sort: "severity", order: "asc" }, { sort: "age-open" }, { sort: "age-open", order: "asc" }, { sort: "updated" }, { sort: "updated", order: "asc" }];
    const sorted: IncidentQuery[] = [];
    for (const status of STATUSES) for (const pane of [undefined, "security"] as const) for (const s of sorts) if (!(s.sort === "oldest" && (pane || status === "all"))) sorted.push({ status, pane, ...s, limit: 200 });
    it.each(sorted)("pageIncidents status=$status pane=$pane sort=$sort order=$order walks the order's index in order, from a cursor too", async (q) => {
      const order = incidentOrder(q.sort, q.order);
      const index = ORDER_INDEX[order.key];
      await expectIndexed(handle, () => pageIncidents(db, q, 0), { uses: new RegExp(`SEARCH incidents USING INDEX ${index} \\(status=\\?\\)`) });
      const values = order.key === "severity" ? [3, NOW - 20 * 30_000] : [NOW - 20 * 30_000];
      await expectIndexed(handle, () => pageIncidents(db, { ...q, before: { ...order, values, id: 90 } }, 0), { uses: new RegExp(`${index} ${RANGE[order.key].source}`) });
    });

    it("without the in-memory index, a severity filter is counted by rank through (status, severity_rank)", async () => {
      // SQLite plans a virtual column's index as not covering, yet reads its value from the index
      // (no table row is fetched: as fast as the covering count of an expression index, measured)
      await withoutIndex(() => expectIndexed(handle, () => countIncidents(db, { status: "active", severity: ["critical", "high"] }), { uses: /USING (COVERING )?INDEX incidents_status_severity_rank \(status=\? AND severity_rank=\?\)/ }));
    });

    it("a severity filter with the severity order reads one range per status and rank, merged", async () => {
      const report = await expectIndexed(handle, () => pageIncidents(db, { status: "all", severity: ["high", "low"], sort: "severity", limit: 200 }, 0));
      expect(report.join("\n").match(/incidents_status_severity_rank \(status=\? AND severity_rank=\?\)/g)).toHaveLength(6);
    });

    it("a rule's incidents (pane and rule, one group of a flood) read (status, rule, last_seen) in order", async () => {
      for (const status of ["open", "acknowledged", "active"] as const) {
        await expectIndexed(handle, () => pageIncidents(db, { status, pane: "security", rule: "rule", limit: 200 }), { uses: /incidents_status_rule_last_seen \(status=\? AND rule=\?\)/ });
      }
    });

    it("unassigned incidents (and one person's) are listed in order and counted from (assignee, status, last_seen) alone", async () => {
      await expectIndexed(handle, () => pageIncidents(db, { status: "active", assignee: "none", limit: 200 }), { uses: /SEARCH incidents USING INDEX incidents_assignee_status_last_seen \(assignee=\? AND status=\?\)/ });
      await expectIndexed(handle, () => countIncidents(db, { status: "all", assignee: "none" }), { uses: /USING COVERING INDEX incidents_assignee_status_last_seen \(assignee=\? AND status=\?\)/ });
      // one person's, likewise
      await expectIndexed(handle, () => pageIncidents(db, { status: "all", assignee: "ana@bank.test", limit: 200 }), { uses: /SEARCH incidents USING INDEX incidents_assignee_status_last_seen \(assignee=\? AND status=\?\)/ });
      await expectIndexed(handle, () => countIncidents(db, { status: "active", assignee: "ana@bank.test" }), { uses: /USING COVERING INDEX incidents_assignee_status_last_seen \(assignee=\? AND status=\?\)/ });
    });

    it("free text from the in-memory index: built by one rowid scan; few hits collected by rowid, many checked by id on the order's index entries; counted without SQL", async () => {
      const index = incidentTextIndex(db);
      index.enable(true);
      expect(index.sync()).toBe(true);
      // its own statements: the build scans the table in rowid order on purpose; the rest search
      expect(plan(handle, { sql: TEXT_INDEX_SQL.all, params: [] })).toEqual(["SCAN incidents"]);
      expect(plan(handle, { sql: TEXT_INDEX_SQL.first, params: [1] })).toEqual(["SEARCH incident_text_changes USING INTEGER PRIMARY KEY (rowid>?)"]);
      expect(plan(handle, { sql: TEXT_INDEX_SQL.changed, params: [1] })).toEqual(["SEARCH c USING INTEGER PRIMARY KEY (rowid>?)", "SEARCH i USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN"]);
      expect(plan(handle, { sql: TEXT_INDEX_SQL.top, params: [] })).toEqual(["SEARCH incident_text_changes"]);
      for (const q of ["e12", "rule e4"]) {
        const report = await expectIndexed(handle, () => {
          pageIncidents(db, { status: "all", q, limit: 200 });
          pageIncidents(db, { status: "active", q, sort: "severity", limit: 200 });
          countIncidents(db, { status: "active", q });
        }, { sortAllowed: true });
        expect(report.join("\n")).toMatch(/SEARCH incidents USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        expect(report.join("\n")).toMatch(/json_each VIRTUAL TABLE/);
        expect(report.join("\n")).not.toMatch(/incident_search/);
      }
      // a word in every incident: the walk reads the order's index, never sorts
      const report = await expectIndexed(handle, () => {
        pageIncidents(db, { status: "all", q: "rule", limit: 200 });
        pageIncidents(db, { status: "all", q: "rule", sort: "severity", limit: 200 });
      });
      expect(report.join("\n")).toMatch(/SCAN incidents USING INDEX incidents_last_seen/);
      expect(report.join("\n")).toMatch(/SEARCH incidents USING INDEX incidents_status_severity_rank \(status=\?\)/);
      // the text alone is counted in memory: no statement at all
      expect(await recordStatements(handle, () => countIncidents(db, { status: "active", q: "rule" }))).toEqual([]);
    });

    it("without the in-memory index, free text is found through the trigram index and its incidents by rowid, for the page and the count", async () => {
      incidentTextIndex(db).enable(false);
      try {
        for (const q of ["e12", "rule e4"]) {
          const report = await expectIndexed(
            handle,
            () => {
              pageIncidents(db, { status: "all", q, limit: 200 });
              pageIncidents(db, { status: "active", q, sort: "severity", limit: 200 });
              countIncidents(db, { status: "active", q });
            },
            { sortAllowed: true },
          );
          expect(report.join("\n")).toMatch(/SCAN incident_search VIRTUAL TABLE INDEX/);
          expect(report.join("\n")).toMatch(/SEARCH incidents USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        }
      } finally {
        incidentTextIndex(db).enable(true);
      }
    });

    it("a selective term's rows are probed and collected through its own index (then sorted: at most PROBE rows)", async () => {
      const cases: [Omit<IncidentQuery, "limit">, RegExp][] = [
        [{ status: "active", rule: "rule", sort: "age-open" }, /incidents_status_rule_last_seen \(status=\? AND rule=\?\)/],
        [{ status: "all", assignee: "ana@bank.test", sort: "severity" }, /incidents_assignee_status_last_seen \(assignee=\? AND status=\?\)/],
        [{ status: "all", since: NOW - 3_600_000, sort: "updated" }, /incidents_status_last_seen \(status=\? AND last_seen>\?\)/],
        [{ status: "resolved", until: NOW - 4900 * 60_000, sort: "severity" }, /incidents_status_first_seen \(status=\? AND first_seen<\?\)/],
      ];
      for (const [q, path] of cases) await expectIndexed(handle, () => pageIncidents(db, { ...q, limit: 200 }), { uses: path, sortAllowed: true });
    });

    it("the active groups are counted in memory; each cell's last activity is one search of the covering index", () => {
      expect(plan(handle, { sql: CELL_LAST_SEEN_SQL, params: ["open", "security", "rule", "high"] })).toEqual([
        "SEARCH incidents USING COVERING INDEX incidents_status_pane_rule_severity (status=? AND pane=? AND rule=? AND severity=?)",
      ]);
    });

    it.each([undefined, "network", "security"] as const)("without the in-memory index, the active groups of pane=%s read status (and pane) ranges from a covering index alone", async (pane) => {
      incidentTextIndex(db).enable(false);
      try {
        const report = await expectIndexed(handle, () => activeIncidentGroups(db, pane));
        expect(report.join("\n")).toMatch(/USING COVERING INDEX incidents_status_pane_rule_severity/);
      } finally {
        incidentTextIndex(db).enable(true);
      }
    });

    it("the highest incident id is read from the end of the rowid", async () => {
      await expectIndexed(handle, () => maxIncidentId(db));
    });

    it("one incident and its timeline are looked up by key", async () => {
      await expectIndexed(handle, () => {
        getIncident(db, 42);
        getTimeline(db, 42);
      });
    });

    it("a detection finds the active incident with its key through the partial unique index", async () => {
      // made inside the recording: it prepares its statements up front
      const report = await expectIndexed(handle, () => new IncidentService(db, manualClock(NOW)).record({ rule: "rule", entity: "e50", pane: "security", title: "t", severity: "high", time: NOW, increment: 1 }));
      expect(report.join("\n")).toContain("incidents_active_dedup");
    });
  });

  describe("network", () => {
    it("a node-list page reads nodes by id from the cursor and each node's recent checks by (node, time)", async () => {
      // the first page walks the table in rowid order from the start, stopping at the limit
      const report = await expectIndexed(handle, () => listNodesPage(db, { limit: 100 }), { rowidScan: ["nodes"] });
      expect(report.join("\n")).toContain("heartbeats_node_time");
      await expectIndexed(handle, () => listNodesPage(db, { afterId: 100, limit: 100 }));
    });

    it.each(["1h", "24h", "7d", "30d"] as const)("a node's %s latency chart reads its roll-up table by the primary key (node, bucket range), never the heartbeats", async (range) => {
      const table = range === "1h" || range === "24h" ? "node_rollup_minutes" : "node_rollup_hours";
      const report = await expectIndexed(handle, () => new NetworkFigures(handle.sqlite, manualClock(NOW)).latency(7, { range }), {
        uses: new RegExp(`SEARCH ${table} USING PRIMARY KEY \\(node_id=\\? AND bucket>\\? AND bucket<\\?\\)`),
      });
      expect(report.join("\n")).not.toMatch(/heartbeats/);
    });

    it("uptime reads the status history by its primary key", async () => {
      await expectIndexed(handle, () => new NetworkFigures(handle.sqlite, manualClock(NOW)).uptime(7, {}), {
        uses: /SEARCH node_status_changes USING PRIMARY KEY \(node_id=\? AND at>\? AND at<\?\)/,
      });
    });

    it("outages read one node's status history by its primary key (the window over its rows is sorted on purpose)", async () => {
      await expectIndexed(handle, () => new NetworkFigures(handle.sqlite, manualClock(NOW)).outages(7, { limit: 20, offset: 0 }), {
        // c and runs are the query's own CTEs over that one node's rows, read as co-routines
        rowidScan: ["c", "runs"],
        sortAllowed: true,
        uses: /SEARCH node_status_changes USING PRIMARY KEY \(node_id=\?\)/,
      });
    });

    it("an SLA report of a tag reads hours by primary key and incidents through their dedup key", async () => {
      const report = await expectIndexed(
        handle,
        () => {
          const figures = new NetworkFigures(handle.sqlite, manualClock(NOW));
          return new SlaReports(handle.sqlite, manualClock(NOW), figures).report({ tag: "site=site-7", format: "json" });
        },
        { rowidScan: ["nodes"], sortAllowed: true, uses: /SEARCH node_rollup_hours USING PRIMARY KEY \(node_id=\? AND bucket>\? AND bucket<\?\)/ },
      );
      expect(report.join("\n")).toMatch(/SEARCH incidents USING (COVERING )?INDEX incidents_dedup_key/);
    });

    it("the whole-fleet snapshot reads each node's recent checks through (node, time)", async () => {
      // every node, by design: one pass over the table in rowid order
      await expectIndexed(handle, () => listNodesWithChecks(db), { rowidScan: ["nodes"] });
    });
  });

  describe("audit log", () => {
    const pages = [
      { name: "newest page", q: {} },
      { name: "older page by cursor", q: { before: 1500 } },
      { name: "by action", q: { action: "key_created" } },
      { name: "by action from a cursor", q: { action: "key_created", before: 1500 } },
      { name: "by a rare action", q: { action: "settings_changed" } },
      { name: "by actor (windowed)", q: { actor: "user3@bank.test" } },
      { name: "by text (windowed)", q: { text: "t12" } },
      { name: "by time range (windowed)", q: { since: NOW - 1000, until: NOW + 1000 } },
      { name: "by time range from a cursor (windowed)", q: { since: NOW - 1000, before: 1200 } },
    ];
    it.each(pages)("$name reads by id in order", async ({ q }) => {
      await expectIndexed(handle, () => audit.page({ ...q, limit: 100 }), { uses: "action" in q ? /audit_log_action \(action=\?/ : /INTEGER PRIMARY KEY \(rowid/ });
    });
  });
});

describe("listIncidents keeps its answers while its shape follows the indexes", () => {
  const { handle } = seeded();
  const reference = (q: IncidentQuery) => {
    const statuses = { active: ["open", "acknowledged"], all: ["open", "acknowledged", "resolved"] }[q.status as string] ?? [q.status];
    const cursor = q.before ? " AND (last_seen, id) < (?, ?)" : "";
    const sql = `SELECT id FROM incidents WHERE status IN (${statuses.map(() => "?").join(", ")})${q.pane ? " AND pane = ?" : ""}${q.rule ? " AND rule = ?" : ""}${cursor} ORDER BY last_seen DESC, id DESC LIMIT ?`;
    const params = [...statuses, ...(q.pane ? [q.pane] : []), ...(q.rule ? [q.rule] : []), ...(q.before ? [q.before.values[0], q.before.id] : []), q.limit];
    return (handle.sqlite.prepare(sql).all(...params) as { id: number }[]).map((r) => r.id);
  };
  const queries: IncidentQuery[] = [];
  for (const status of STATUSES) for (const pane of [undefined, "network", "security"] as const) for (const limit of [1, 7, 200, 500]) queries.push({ status, pane, limit });
  for (const status of STATUSES)
    for (const pane of [undefined, "security"] as const)
      for (const rule of status === "resolved" || status === "all" ? [undefined] : [undefined, "rule"]) queries.push({ status, pane, rule, limit: 7, before: { key: "last_seen", dir: "desc", values: [NOW - 20 * 30_000], id: 90 } });
  it.each(queries)("status=$status pane=$pane rule=$rule limit=$limit before=$before: the same incidents in the same order as status IN (...)", (q) => {
    const got = listIncidents(handle.db, q);
    expect(got.map((i) => i.id)).toEqual(reference(q));
    for (const i of got) expect(i).toEqual(getIncident(handle.db, i.id));
  });
});

describe("the retention prune's own statements", () => {
  it.each(variants)("find old rows, evidence and rollups through indexes $name", async ({ analyze }) => {
    const { handle } = seeded();
    const { sqlite } = handle;
    // active incidents of both kinds of evidence (and none of a rule the prune does not know, which
    // would keep its whole pane), so every statement of the prune runs
    sqlite.exec(`UPDATE incidents SET status = 'resolved'`);
    sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES ('node_down:node-7', 'node_down', 'node-7', 'network', 'down', 'high', ?, ?)`).run(NOW - 10 * 60_000, NOW);
    sqlite.prepare(`INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, first_seen, last_seen) VALUES ('brute_force:198.51.100.9', 'brute_force', '198.51.100.9', 'security', 'bf', 'high', ?, ?)`).run(NOW - 3 * 86_400_000, NOW);
    if (analyze) sqlite.exec("ANALYZE");
    const report = await expectIndexed(handle, () =>
      new RetentionPruner(sqlite, manualClock(NOW), { retentionMs: 20 * 60_000, rollupRetentionMs: 86_400_000, batchSize: 500 }).run(),
    );
    const all = report.join("\n");
    for (const index of ["security_events_time", "heartbeats_time", "heartbeats_node_time", "SEARCH event_minutes USING PRIMARY KEY"]) expect(all).toContain(index);
    // node roll-ups and status history: range deletes of each node's primary key
    for (const table of ["node_rollup_minutes", "node_rollup_hours", "node_rollup_days"]) expect(all).toContain(`SEARCH ${table} USING PRIMARY KEY (node_id=? AND bucket<?)`);
    expect(all).toContain("SEARCH node_status_changes USING PRIMARY KEY (node_id=? AND at<?)");
    // seeding a whole database in the test (its incidents and timeline through their triggers) took
    // 4-8 s on the shared 2-core machine: more than the default 5 s
  }, 30_000);
});
