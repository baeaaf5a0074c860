// Security triage queries at scale (issue 9, "Speed"): a fresh SQLite file with the committed
// migrations, 1,000,000 events over 48 h seeded as the parsers store them (bench/security-seed.ts:
// 5,000 sources with IPv6 and host names among them, 300 signatures, skewed), the per-minute rollup,
// the per-key tallies and incident evidence filled consistently; ANALYZE; then each query the
// triage pane runs, timed 50 times, p50/p95 in ms. Top lists and groupings also print their first
// call (the range's tally sums read before they are cached) and a 24 h range sliding a minute per run.
// Usage: npm run bench:security-queries [-- --events 1000000 --runs 50 --reuse DIR --skip-pages]
//   --reuse DIR keeps the seeded database in DIR and reuses it on the next run (seeding takes ~1 min).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../db/client";
import { countMatchingEvents, pageEvents } from "../db/queries/security";
import { choosePath } from "../db/queries/security-filter";
import { tallyAnswerable } from "../db/queries/security-group-tallies";
import { createCore } from "../server/core";
import { manualClock } from "../server/clock";
import { Hub } from "../server/live/hub";
import { eventGroupsQuerySchema, eventQuerySchema, topQuerySchema } from "../lib/contracts/events";
import { seedSecurityHistory, type SeedFacts } from "./security-seed";
import { flag } from "./support";

const EVENTS = Math.floor(flag("events", 1_000_000));
const RUNS = Math.floor(flag("runs", 50));
const reuseAt = process.argv.indexOf("--reuse");
const reuse = reuseAt < 0 ? null : process.argv[reuseAt + 1];
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const HOUR = 3_600_000;

const dir = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-triage-"));
const factsFile = path.join(dir, "facts.json");
const seeded = fs.existsSync(factsFile);
const handle = openDatabase(dir, undefined, process.argv.includes("--cache-mb") ? { cacheMb: flag("cache-mb", 64) } : {});
const { db, sqlite } = handle;
const core = createCore(handle, { clock: manualClock(NOW), hub: new Hub({ capacity: 1000 }), access: { secret: "bench-secret-bench-secret-bench-secret-01" } });

/** Wall-clock p50/p95 and the p50 of the process's CPU time per run (steadier on a shared machine). */
function timeEach(fn: (run: number) => unknown): { p50: number; p95: number; cpu: number } {
  const out: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn(k);
    out.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  out.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50: out[Math.floor(RUNS / 2)], p95: out[Math.min(RUNS - 1, Math.floor(RUNS * 0.95))], cpu: cpu[Math.floor(RUNS / 2)] };
}

/** One call's wall-clock and CPU ms (the first of a range: the tally sums are read, not yet cached). */
function timeOnce<T>(fn: () => T): { value: T; ms: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const ms = performance.now() - t;
  const d = process.cpuUsage(c);
  return { value, ms, cpu: (d.user + d.system) / 1000 };
}
const coldNote = (c: { ms: number; cpu: number }) => `first call ${c.ms.toFixed(0)} ms (cpu ${c.cpu.toFixed(0)})`;

try {
  let facts: SeedFacts;
  if (seeded) {
    facts = JSON.parse(fs.readFileSync(factsFile, "utf8")) as SeedFacts;
    console.log(`data: ${dir} (reused)`);
  } else {
    const t = performance.now();
    facts = seedSecurityHistory(sqlite, { events: EVENTS, now: NOW });
    sqlite.exec("ANALYZE");
    if (reuse) fs.writeFileSync(factsFile, JSON.stringify(facts));
    console.log(`data: ${dir}: ${EVENTS.toLocaleString("en")} events over 48 h seeded and analyzed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const size = fs.statSync(path.join(dir, "vigil.db")).size;
  console.log(`database ${(size / 1e6).toFixed(0)} MB; SQLite ${(sqlite.prepare("select sqlite_version() v").get() as { v: string }).v}; ${RUNS} runs each\n`);

  const events = (raw: Record<string, string>) => eventQuerySchema.parse(raw);
  const since = (ms: number) => String(NOW - ms);
  // a cursor deep in history: the newest event 30 hours back
  const deep = pageEvents(db, { until: NOW - 30 * HOUR, limit: 1 }).events[0];
  const deepCursor = `${deep.time}:${deep.id}`;
  const pages: [string, Record<string, string>][] = [
    ["latest page (no filter)", {}],
    ["severity=critical", { severity: "critical" }],
    ["severity=critical,high", { severity: "critical,high" }],
    ["kind=auth_failure", { kind: "auth_failure" }],
    ["kind=ids_alert&severity=high", { kind: "ids_alert", severity: "high" }],
    ["since 1 h", { since: since(HOUR) }],
    ["since 15 min, until 5 min ago", { since: since(15 * 60_000), until: since(5 * 60_000) }],
    [`src=busiest (${facts.busiestSource})`, { src: facts.busiestSource }],
    ["src=quiet IPv4", { src: facts.quietSource }],
    ["src=IPv6 (fully expanded)", { src: expand(facts.ipv6Source) }],
    ["src=host name", { src: facts.hostSource }],
    ["dst", { dst: facts.dst }],
    ["user=busy", { user: facts.busyUser }],
    ["signature=busiest", { signature: facts.busiestSignature }],
    ["signature=rare", { signature: facts.rareSignature }],
    ["service=sudo", { service: "sudo" }],
    ["src=busiest&kind=ids_alert", { src: facts.busiestSource, kind: "ids_alert" }],
    ["q=common (\"failed\")", { q: "failed" }],
    ["q=rare (\"activity 297\")", { q: "activity 297" }],
    ["q=absent", { q: "no-such-text" }],
    ["incident", { incident: String(facts.incidents[0]) }],
    ["deep page via cursor (30 h back)", { before: deepCursor }],
    ["deep page via cursor, severity=high", { before: deepCursor, severity: "high" }],
  ];
  const rows: [string, string, { p50: number; p95: number; cpu: number }, string][] = [];
  // --skip-pages: only the snapshot, top and groupings (a shorter run on a busy machine)
  for (const [name, raw] of process.argv.includes("--skip-pages") ? [] : pages) {
    const q = events({ limit: "200", ...raw });
    const path = choosePath(db, q).name;
    const answer = core.events(q);
    const note = `${answer.events.length} events${answer.partial ? " (partial)" : ""}, total ${answer.total.toLocaleString("en")}${answer.total_exact ? "" : "+"}`;
    rows.push([`GET /events ${name}`, path, timeEach(() => core.events(q)), note]);
    const { limit: _l, before, ...filter } = q;
    rows.push([`  page only`, path, timeEach(() => pageEvents(db, { ...filter, before, limit: 200 })), ""]);
    rows.push([`  total only`, path, timeEach(() => countMatchingEvents(db, filter)), ""]);
  }
  rows.push(["snapshot (page, total, rate, counts by severity hour+day)", "time", timeEach(() => core.securitySnapshot()), ""]);
  for (const [name, raw] of [
    ["top over 15 min", { since: since(15 * 60_000) }],
    ["top over 24 h (default)", {}],
    ["top over 48 h", { since: since(48 * HOUR) }],
    // ranges as the pane sends them: not on a minute, so the edges are read from minute tallies
    ["top over 24 h, ragged (-24 h 30 min … -29.5 min)", { since: since(24 * HOUR + 30 * 60_000 + 5_000), until: since(29 * 60_000 + 30_000) }],
  ] as [string, Record<string, string>][]) {
    const q = topQuerySchema.parse(raw);
    const cold = timeOnce(() => core.securityTop(q));
    const t = cold.value;
    rows.push([`GET /security/top ${name}`, "tallies", timeEach(() => core.securityTop(q)), `${new Date(t.since).toISOString().slice(11, 16)}–${new Date(t.until).toISOString().slice(11, 16)}, top src ${t.sources[0]?.count ?? 0}; ${coldNote(cold)}`]);
  }
  // a sliding "last 24 h" as a pane refreshing it sees: each run a minute (and a few seconds) later
  const slide = (run: number) => NOW - 60 * 60_000 + run * 61_000;
  rows.push([
    "GET /security/top 24 h sliding, a minute later each run",
    "tallies",
    timeEach((run) => core.securityTop(topQuerySchema.parse({ since: String(slide(run) - 24 * HOUR), until: String(slide(run)) }))),
    "",
  ]);
  rows.push([
    "GET /events/groups by=src 24 h sliding, a minute later each run",
    "tallies",
    timeEach((run) => core.eventGroups(eventGroupsQuerySchema.parse({ by: "src", since: String(slide(run) - 24 * HOUR), until: String(slide(run)) }))),
    "",
  ]);
  for (const [name, raw] of [
    ["by=signature since 1 h", { by: "signature", since: since(HOUR) }],
    ["by=src since 1 h", { by: "src", since: since(HOUR) }],
    ["by=signature since 1 h, ragged (-1 h 23.5 s)", { by: "signature", since: since(HOUR + 23_500) }],
    ["by=src since 1 h, ragged", { by: "src", since: since(HOUR + 23_500) }],
    ["by=signature since 24 h", { by: "signature", since: since(24 * HOUR) }],
    ["by=src since 24 h", { by: "src", since: since(24 * HOUR) }],
    ["by=kind since 24 h, ragged", { by: "kind", since: since(24 * HOUR + 23_500) }],
    ["by=service since 48 h", { by: "service", since: since(48 * HOUR) }],
    ["by=src severity=critical,high", { by: "src", severity: "critical,high" }],
    ["by=user kind=auth_failure since 1 h", { by: "user", kind: "auth_failure", since: since(HOUR) }],
  ] as [string, Record<string, string>][]) {
    const q = eventGroupsQuerySchema.parse(raw);
    const cold = timeOnce(() => core.eventGroups(q));
    const g = cold.value;
    const via = tallyAnswerable(q, NOW - 7 * 86_400_000) ? "tallies" : choosePath(db, q).name;
    rows.push([`GET /events/groups ${name}`, via, timeEach(() => core.eventGroups(q)), `${g.total_groups} groups, ${g.rows.toLocaleString("en")} rows${g.exact ? "" : " (capped)"}${g.sources_exact ? "" : ", sources over the newest rows"}; ${coldNote(cold)}`]);
  }
  const id = String(pageEvents(db, { incident: facts.incidents[0], limit: 1 }).events[0].id);
  rows.push(["GET /events/:id (with its incidents)", "rowid", timeEach(() => core.eventDetail(Number(id))), ""]);

  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`${"query".padEnd(w)}  ${"path".padEnd(13)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"cpu p50".padStart(8)}  answer`);
  for (const [name, path, t, note] of rows) console.log(`${name.padEnd(w)}  ${path.padEnd(13)} ${t.p50.toFixed(2).padStart(8)} ${t.p95.toFixed(2).padStart(8)} ${t.cpu.toFixed(2).padStart(8)}  ${note}`);
} finally {
  sqlite.close();
  if (!reuse) fs.rmSync(dir, { recursive: true, force: true });
}

/** An IPv6 address written out in full (eight 4-digit groups), as some logs do. */
function expand(ip: string): string {
  const [head, tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.map((g) => g.padStart(4, "0")).join(":");
}
