// npx tsx bench/incidents-list.ts [--incidents 100000] [--runs 50]
// The incident list's queries on a real SQLite file holding N incidents (10 % open, 20 %
// acknowledged, the rest resolved; 12 rules, 5 severities, 20 assignees), after ANALYZE: the first
// answer of GET /api/v1/incidents (page + true total + counts + groups), each filter the list offers,
// each sort, free text (narrow, broad, one and two characters, two words, hostile, with each sort),
// and deep pages by cursor. Prints p50/p95
// of wall-clock time and the p50 of the process's CPU time per answer (on a shared machine the CPU
// figure moves less with the load). A case this checkout's query schema refuses (a sort before
// sorting existed) is printed as such, so the same script compares two checkouts.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { createCore } from "../server/core";
import { manualClock } from "../server/clock";
import { Hub } from "../server/live/hub";
import { incidentQuerySchema } from "../lib/contracts/incidents";
import { flag } from "./support";

const N = flag("incidents", 100_000);
const RUNS = flag("runs", 50);
const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-incidents-"));
const handle = openDatabase(path.join(dir, "vigil.db"));
const clock = manualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
const hub = new Hub();
const core = createCore(handle, { clock, hub, access: { secret: "bench-secret-bench-secret-bench-secret-01", publicUrl: "http://vigil.test:3000" } });
const SEV = ["critical", "high", "medium", "low", "info"];
const RULES = ["brute_force", "brute_force_slow", "password_spraying", "ids_priority", "ids_campaign", "port_scan", "payment_velocity", "card_testing", "node_down", "node_storm", "latency_anomaly", "success_after_failures"];

let t = performance.now();
const insert = handle.sqlite.prepare(
  `INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, status, first_seen, last_seen, count, version, acknowledged_by, acknowledged_at, resolved_by, resolved_at, assignee)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
);
const now = clock.now();
handle.sqlite.transaction(() => {
  for (let k = 0; k < N; k++) {
    const rule = RULES[k % RULES.length];
    const pane = rule.startsWith("node") || rule === "latency_anomaly" ? "network" : "security";
    const status = k % 10 === 0 ? "open" : k % 10 < 3 ? "acknowledged" : "resolved";
    const first = now - (N - k) * 20_000;
    const entity = `${pane === "network" ? "node" : "sshd"}:10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
    const who = `person${k % 20}@bank.test`;
    insert.run(`${rule}:${entity}${status === "resolved" ? `#${k}` : ""}`, rule, entity, pane, `${rule} on ${entity}`, SEV[(k * 7) % 5], status, first, first + 60_000, 1 + (k % 50),
      status !== "open" ? who : null, status !== "open" ? first + 120_000 : null, status === "resolved" ? who : null, status === "resolved" ? first + 600_000 : null, k % 3 === 0 ? who : null);
  }
})();
handle.sqlite.exec("ANALYZE");
console.log(`seeded ${N.toLocaleString("en")} incidents in ${((performance.now() - t) / 1000).toFixed(1)} s`);
// the in-memory free-text index, where this checkout has one: built here as the server does at boot
const textModule = await import("../db/queries/incident-text").catch(() => null);
if (textModule) {
  const before = process.memoryUsage();
  const cpu = process.cpuUsage();
  t = performance.now();
  const on = textModule.incidentTextIndex(handle.db).sync();
  const used = process.cpuUsage(cpu);
  const after = process.memoryUsage();
  const mb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20;
  console.log(`text index ${on ? "built" : "off"} in ${(performance.now() - t).toFixed(0)} ms (CPU ${((used.user + used.system) / 1000).toFixed(0)} ms; about ${mb.toFixed(0)} MiB of heap and bitsets)`);
}

const q = (params: Record<string, string>) => incidentQuerySchema.parse(params);
/** The cursor 20,000 incidents into a list (null when this checkout cannot list it). */
function deepCursor(params: Record<string, string>): string | null {
  if (!incidentQuerySchema.safeParse(params).success) return null;
  let cursor: string | null = null;
  for (let p = 0; p < 40; p++) cursor = core.incidentsSnapshot(q(cursor ? { ...params, limit: "500", before: cursor } : { ...params, limit: "500" })).next_before ?? cursor;
  return cursor;
}
const cursor = deepCursor({ status: "all" })!;
const severityCursor = deepCursor({ status: "all", sort: "severity" });

const cases: [string, Record<string, string>][] = [
  ["active (first load: page + total + counts + groups)", { status: "active" }],
  ["all statuses", { status: "all" }],
  ["open, severity critical,high", { status: "open", severity: "critical,high" }],
  ["active, pane security, rule brute_force", { status: "active", pane: "security", rule: "brute_force" }],
  ["all, assignee person3", { status: "all", assignee: "person3@bank.test" }],
  ["active, unassigned", { status: "active", assignee: "none" }],
  ["all, text '10.1.2.'", { status: "all", q: "10.1.2." }],
  ["resolved, last 24 h", { status: "resolved", since: String(now - 86_400_000) }],
  ["all, deep page (20,000 back)", { status: "all", before: cursor }],
  ["all, text 'brute' (broad: 1 in 6)", { status: "all", q: "brute" }],
  ["active, text 'node 10.0' (two words)", { status: "active", q: "node 10.0" }],
  ["all, text '_%' (short: row by row)", { status: "all", q: "_%" }],
  ["all, text hostile '\"NEAR(a* OR b)%'", { status: "all", q: '"NEAR(a* OR b)%' }],
  ["active, sort oldest", { status: "active", sort: "oldest" }],
  ["all, sort oldest", { status: "all", sort: "oldest" }],
  ["active, sort severity", { status: "active", sort: "severity" }],
  ["all, sort severity", { status: "all", sort: "severity" }],
  ["all, sort severity asc", { status: "all", sort: "severity", order: "asc" }],
  ["all, sort severity, deep page (20,000 back)", { status: "all", sort: "severity", ...(severityCursor ? { before: severityCursor } : {}) }],
  ["active, sort age-open", { status: "active", sort: "age-open" }],
  ["all, sort age-open", { status: "all", sort: "age-open" }],
  ["active, sort updated", { status: "active", sort: "updated" }],
  ["all, sort updated", { status: "all", sort: "updated" }],
  ["all, sort last_seen asc", { status: "all", sort: "last_seen", order: "asc" }],
  ["active, pane network, sort severity", { status: "active", pane: "network", sort: "severity" }],
  ["active, rule brute_force, sort age-open", { status: "active", rule: "brute_force", sort: "age-open" }],
  ["active, unassigned, sort updated", { status: "active", assignee: "none", sort: "updated" }],
  ["all, severity critical, sort severity", { status: "all", severity: "critical", sort: "severity" }],
  ["all, text 'brute', sort severity", { status: "all", q: "brute", sort: "severity" }],
  ["all, text 'e' (one character, 2 in 3)", { status: "all", q: "e" }],
  ["active, text '.5' (two characters, 1 in 10)", { status: "active", q: ".5" }],
  ["all, text 'zz' (two characters, none)", { status: "all", q: "zz" }],
  ["active, text 'brute', sort oldest", { status: "active", q: "brute", sort: "oldest" }],
  ["all, text 'brute', sort updated", { status: "all", q: "brute", sort: "updated" }],
  ["active, text 'node 10.0', sort age-open", { status: "active", q: "node 10.0", sort: "age-open" }],
  ["all, text '10.1.2.', sort severity asc", { status: "all", q: "10.1.2.", sort: "severity", order: "asc" }],
  ["active, pane security, text 'brute'", { status: "active", pane: "security", q: "brute" }],
  ["resolved, text 'sshd 10.1' (two words)", { status: "resolved", q: "sshd 10.1" }],
  ["resolved, last 24 h, sort age-open", { status: "resolved", since: String(now - 86_400_000), sort: "age-open" }],
];
const rows: string[] = [];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (const [name, params] of cases) {
  if (!incidentQuerySchema.safeParse({ ...params, limit: "100" }).success) {
    rows.push(`${name.padEnd(56)} (not offered by this checkout)`);
    continue;
  }
  const samples: number[] = [];
  const cpu: number[] = [];
  let total = 0;
  for (let r = 0; r < RUNS; r++) {
    const c = cpuMs();
    const s = performance.now();
    total = core.incidentsSnapshot(q({ ...params, limit: "100" })).total;
    samples.push(performance.now() - s);
    cpu.push(cpuMs() - c);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  rows.push(
    `${name.padEnd(56)} p50 ${samples[RUNS >> 1].toFixed(2).padStart(7)} ms  p95 ${samples[Math.floor(RUNS * 0.95)].toFixed(2).padStart(7)} ms  cpu p50 ${cpu[RUNS >> 1].toFixed(2).padStart(6)} ms  (total ${total.toLocaleString("en")})`,
  );
}
console.log(`GET /api/v1/incidents on ${N.toLocaleString("en")} incidents, limit 100, ${RUNS} runs (load average ${os.loadavg()[0].toFixed(1)}):`);
for (const r of rows) console.log(`  ${r}`);
hub.stop();
handle.sqlite.close();
rmSync(dir, { recursive: true, force: true });
