// Network figures against a real SQLite file (issue 10: "a node's 30-day chart query under 20 ms"):
// seeds N nodes (default 1,000) × D days (default 30) of roll-ups as the write path stores them
// (minutes for the last day, as the minute retention keeps them; hours and days for the whole
// range) and ~4 status changes a day per node, then times what the routes run, on random nodes:
// the latency chart per range, uptime (24 h / 7 d / 30 d), an outage page and the SLA report of
// one node, of a tag (a tenth of the fleet) and of the whole fleet, JSON and CSV. Also the write
// path: roll-up upserts per result, one result per transaction (a probe) and 1,000 per
// transaction (a heartbeat batch). Prints p50/p95 per figure and the tables' size on disk.
// Usage: npx tsx bench/network-figures.ts [--nodes 1000] [--days 30] [--runs 200]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../db/client";
import { LatencySketch } from "../server/network/latency-sketch";
import { FiguresStore, ROLLUP_TABLE } from "../server/network/figures-store";
import { NetworkFigures } from "../server/network/figures";
import { SlaReports } from "../server/network/sla-report";
import { flag } from "./support";

const NODES = flag("nodes", 1000);
const DAYS = flag("days", 30);
const RUNS = flag("runs", 200);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}
const r = rng(42);
const latency = () => 40 * Math.exp(0.35 * Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r())) * (r() < 0.005 ? 10 : 1);

/** A pool of stored sketches of `checks` results each: rows reuse them, so seeding is fast and the rows realistic in size. */
function pool(checks: number, size = 64): { bytes: Buffer; count: number; failures: number; p95: number | null }[] {
  return Array.from({ length: size }, () => {
    const s = new LatencySketch();
    let failures = 0;
    for (let i = 0; i < checks; i++) {
      if (r() < 0.005) failures++;
      else s.add(latency());
    }
    return { bytes: Buffer.from(s.toBytes()), count: checks, failures, p95: s.quantile(0.95) };
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-figures-bench-"));
const handle = openDatabase(dir);
const { sqlite } = handle;
const t0 = performance.now();
{
  const minutes = pool(2);
  const hours = pool(120);
  const days = pool(2880, 16);
  const node = sqlite.prepare(`INSERT INTO nodes (id, key, name, tags, status) VALUES (?, ?, ?, ?, 'up')`);
  const put = (table: string) => sqlite.prepare(`INSERT INTO ${table} (node_id, bucket, count, failures, sketch, p95) VALUES (?, ?, ?, ?, ?, ?)`);
  const [pm, ph, pd] = [put(ROLLUP_TABLE.minute), put(ROLLUP_TABLE.hour), put(ROLLUP_TABLE.day)];
  const status = sqlite.prepare(`INSERT INTO node_status_changes (node_id, at, status, reason) VALUES (?, ?, ?, ?)`);
  const start = NOW - DAYS * DAY;
  for (let n = 1; n <= NODES; n++) {
    sqlite.transaction(() => {
      node.run(n, `node-${n}`, `Node ${n}`, JSON.stringify({ site: `site-${n % 10}`, tier: "edge" }));
      for (let b = NOW - DAY; b < NOW; b += MIN) {
        const x = minutes[Math.floor(r() * minutes.length)];
        pm.run(n, b, x.count, x.failures, x.bytes, x.p95);
      }
      for (let b = start; b < NOW; b += HOUR) {
        const x = hours[Math.floor(r() * hours.length)];
        ph.run(n, b, x.count, x.failures, x.bytes, x.p95);
      }
      for (let b = start; b < NOW; b += DAY) {
        const x = days[Math.floor(r() * days.length)];
        pd.run(n, b, x.count, x.failures, x.bytes, x.p95);
      }
      // up, with an outage of 30 s to 10 min every 4 to 12 hours
      let t = start;
      while (t < NOW) {
        status.run(n, t, "up", null);
        t += 4 * HOUR + r() * 8 * HOUR;
        if (t >= NOW) break;
        status.run(n, t, r() < 0.9 ? "down" : "unreachable", "http: HTTP 503");
        t += 30_000 + r() * 600_000;
      }
    })();
  }
  sqlite.exec("ANALYZE");
}
const seedMs = performance.now() - t0;
const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.availableParallelism()} cores: wall-clock figures stretch under load`);
console.log(
  `seeded ${NODES.toLocaleString("en")} nodes × ${DAYS} d in ${(seedMs / 1000).toFixed(1)} s: ${count(ROLLUP_TABLE.minute).toLocaleString("en")} minute, ${count(ROLLUP_TABLE.hour).toLocaleString("en")} hour, ${count(ROLLUP_TABLE.day).toLocaleString("en")} day rows, ${count("node_status_changes").toLocaleString("en")} status changes`,
);
try {
  const sizes = sqlite.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name IN ('node_rollup_minutes', 'node_rollup_hours', 'node_rollup_days', 'node_status_changes') GROUP BY name`).all() as { name: string; bytes: number }[];
  for (const s of sizes) console.log(`  ${s.name.padEnd(22)} ${(s.bytes / 1e6).toFixed(1)} MB (${(s.bytes / count(s.name)).toFixed(0)} B a row)`);
} catch {
  console.log(`  database file ${(fs.statSync(path.join(dir, "vigil.db")).size / 1e6).toFixed(0)} MB (dbstat not compiled in)`);
}
console.log("");

const clock = { now: () => NOW };
const figures = new NetworkFigures(sqlite, clock);
const sla = new SlaReports(sqlite, clock, figures);
const pick = () => 1 + Math.floor(r() * NODES);
// the server yields between slices of 10 nodes; here the slices run back to back, so CPU per report is what is timed
const noYield = async () => {};
async function time(name: string, runs: number, fn: () => unknown): Promise<void> {
  for (let i = 0; i < Math.min(5, runs); i++) await fn();
  const ts: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpus.push((d.user + d.system) / 1000);
  }
  ts.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(2);
  // CPU time is what the work costs; wall clock also holds the time other processes had the core
  console.log(`${name.padEnd(62)} p50 ${q(ts, 0.5).padStart(8)} ms   p95 ${q(ts, 0.95).padStart(8)} ms   CPU p50 ${q(cpus, 0.5).padStart(7)} ms   (${runs} runs)`);
}

for (const range of ["30d", "7d", "24h", "1h"] as const) {
  const sample = figures.latency(1, { range });
  await time(`latency chart ${range} (${sample.points.length} points from ${sample.resolution} rows)`, RUNS, () => figures.latency(pick(), { range }));
}
await time("uptime 24 h + 7 d + 30 d", RUNS, () => figures.uptime(pick(), {}));
await time("outage page (20 of ~90, with the true total)", RUNS, () => figures.outages(pick(), { limit: 20, offset: 0 }));
const from = NOW - 30 * DAY;
await time("SLA report, one node, 30 d (JSON)", RUNS, () => sla.report({ node: String(pick()), from, to: NOW, format: "json" }, noYield));
await time(`SLA report, tag site=site-3 (${Math.ceil(NODES / 10)} nodes), 30 d, CSV`, Math.max(5, Math.floor(RUNS / 20)), async () => (await sla.report({ tag: "site=site-3", from, to: NOW, format: "csv" }, noYield)).csv());
await time(`SLA report, tag tier=edge (all ${NODES} nodes), 30 d, CSV`, 5, async () => (await sla.report({ tag: "tier=edge", from, to: NOW, format: "csv" }, noYield)).csv());

// the write path: roll-up upserts per result inside the transaction that stores it
const store = new FiguresStore(sqlite);
const one = (i: number) => ({ nodeId: 1 + (i % NODES), time: NOW + i * 10, ok: true, latency_ms: latency() });
/** Wall and CPU µs per result of `results` results written by `fn`. */
function write(name: string, results: number, fn: () => void): void {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const ms = performance.now() - t;
  const d = process.cpuUsage(c);
  console.log(`${name.padEnd(62)} ${((ms / results) * 1000).toFixed(0)} µs a result (CPU ${((d.user + d.system) / results).toFixed(0)} µs), commit included`);
}
write("write: 1 result per transaction (a probe's commit)", 2000, () => {
  for (let i = 0; i < 2000; i++) sqlite.transaction(() => store.addResults([one(i)]))();
});
write(`write: ${NODES} results of ${NODES} nodes per transaction (a batch)`, 5 * NODES, () => {
  const batch = Array.from({ length: NODES }, (_, i) => ({ ...one(i), nodeId: 1 + i }));
  for (let k = 0; k < 5; k++) sqlite.transaction(() => store.addResults(batch.map((b) => ({ ...b, time: b.time + 10_000 + k * 60_000 }))))();
});
handle.sqlite.close();
fs.rmSync(dir, { recursive: true, force: true });
