// Roll-up benchmark (issue 10, "a node's 30-day chart query under 20 ms"): the pure half of the
// latency charts and uptime figures; bench/network-figures.ts times them against a real SQLite
// file of 1,000 nodes × 30 days, as the routes run them. Builds 30 days of
// 30-second results for one node (86,400) and a day of a 1,000-node fleet (2.88 M), and times
// rolling minutes, folding hours and days, decoding rows and answering charts from them, the live
// buffer's path as checks land, uptime over 30 days and the SLA report of the fleet. Prints the
// sketch's size per record as stored (bytes) and held (heap). Latencies are synthetic
// (deterministic log-normal around 40 ms with spikes and 0.5 % failures).
// Usage: node --expose-gc --import tsx bench/network-rollups.ts [--nodes 1000] [--days 30] [--runs 50]
import os from "node:os";
import { performance } from "node:perf_hooks";
import { LatencySketch } from "../server/network/latency-sketch";
import { RollupBuffer } from "../server/network/rollup-buffer";
import { chartSeries, foldRecords, fromRow, planChart, readChart, rollMinutes, toRow, type CheckSample, type RollupRecord, type RollupRow } from "../server/network/rollup";
import { slaCsv, slaReport, type SlaNodeInput } from "../server/network/sla";
import { standardUptime, uptime, type StatusInterval } from "../server/network/uptime";
import { flag } from "./support";

const NODES = flag("nodes", 1000);
const DAYS = flag("days", 30);
const RUNS = flag("runs", 50);
const INTERVAL = 30_000;
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 21);
const gc = (globalThis as { gc?: () => void }).gc;

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}
function* samples(seed: number, from: number, count: number): Generator<CheckSample> {
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const u = r();
    if (u < 0.005) {
      yield { time: from + i * INTERVAL + Math.floor(r() * 1000), ok: false, latency_ms: null };
      continue;
    }
    // Box-Muller: log-normal around 40 ms, one in 200 a 5-20x spike
    const z = Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
    const spike = u > 0.995 ? 5 + r() * 15 : 1;
    yield { time: from + i * INTERVAL + Math.floor(r() * 1000), ok: true, latency_ms: 40 * Math.exp(0.35 * z) * spike };
  }
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const out = fn();
  return [out, performance.now() - t];
}
/** Median and p95 of `runs` wall-clock timings of fn, and the median CPU time (less stretched by a busy machine). */
function repeat(runs: number, fn: () => unknown): { median: number; p95: number; cpu: number } {
  const ts: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    ts.push(time(fn)[1]);
    const d = process.cpuUsage(c);
    cpus.push((d.user + d.system) / 1000);
  }
  ts.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  return { median: ts[Math.floor(ts.length / 2)], p95: ts[Math.min(ts.length - 1, Math.floor(ts.length * 0.95))], cpu: cpus[Math.floor(cpus.length / 2)] };
}
function heapPerRecord(make: () => unknown[]): number | null {
  if (!gc) return null;
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = make();
  gc();
  const after = process.memoryUsage().heapUsed;
  const per = (after - before) / held.length;
  held.length = 0;
  return per;
}
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const print = (name: string, value: string) => {
  console.log(`${name.padEnd(58)} ${value}`);
};

// ---- one node, 30 days
const count = (DAYS * DAY) / INTERVAL;
const start = END - DAYS * DAY;
const series = [...samples(1, start, count)];
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.availableParallelism()} cores: wall-clock figures stretch under load\n`);
console.log(`one node: ${DAYS} d of ${INTERVAL / 1000}-second results = ${series.length.toLocaleString("en")} results\n`);

// first runs warm the JIT up: the figures are medians of RUNS_HEAVY runs
const RUNS_HEAVY = 7;
const minutes = rollMinutes(series);
const hours = foldRecords(minutes, "hour");
const days = foldRecords(hours, "day");
const tMinutes = repeat(RUNS_HEAVY, () => rollMinutes(series));
print(`roll ${series.length.toLocaleString("en")} results into minutes`, `median ${ms(tMinutes.median)} (CPU ${ms(tMinutes.cpu)}) → ${minutes.length.toLocaleString("en")} records`);
const tHours = repeat(RUNS_HEAVY, () => foldRecords(minutes, "hour"));
print(`fold minutes into hours`, `median ${ms(tHours.median)} (CPU ${ms(tHours.cpu)}) → ${hours.length} records`);
const tDays = repeat(RUNS, () => foldRecords(hours, "day"));
print(`fold hours into days`, `median ${ms(tDays.median)} → ${days.length} records`);
const rows = { minute: minutes.map(toRow), hour: hours.map(toRow), day: days.map(toRow) };
const tEncode = repeat(RUNS, () => hours.map(toRow));
print(`encode 720 hour records as rows`, `median ${ms(tEncode.median)}`);
for (const [name, list] of Object.entries(rows) as [string, RollupRow[]][]) {
  const bytes = list.map((r) => r.sketch.length);
  const bins = (name === "minute" ? minutes : name === "hour" ? hours : days).map((r) => r.sketch.binCount);
  print(`sketch per ${name} record: stored bytes (avg / max), bins (avg)`, `${avg(bytes).toFixed(1)} / ${Math.max(...bytes)} B, ${avg(bins).toFixed(1)} bins`);
}
print(`sketch per hour record as base64 TEXT (avg)`, `${avg(hours.map((h) => h.sketch.toBase64().length)).toFixed(1)} chars`);
print(`sketch per hour record as JSON (avg)`, `${avg(hours.map((h) => JSON.stringify(h.sketch).length)).toFixed(1)} chars`);
const heapMinute = heapPerRecord(() => rows.minute.map(fromRow));
const heapHour = heapPerRecord(() => rows.hour.map(fromRow).concat(rows.hour.map(fromRow), rows.hour.map(fromRow)));
const heapDay = heapPerRecord(() => Array.from({ length: 20 }, () => rows.day.map(fromRow)).flat());
print(`heap per record held (minute / hour / day)`, heapMinute === null ? "run with --expose-gc" : `${heapMinute.toFixed(0)} / ${heapHour!.toFixed(0)} / ${heapDay!.toFixed(0)} B`);

const charts: [string, number, number, RollupRow[]][] = [
  ["30 d chart, 720 points, from hour rows", 30 * DAY, 720, rows.hour],
  ["30 d chart, 30 points, from day rows", 30 * DAY, 30, rows.day],
  ["7 d chart, 168 points, from hour rows", 7 * DAY, 168, rows.hour],
  ["24 h chart, 288 points, from minute rows", DAY, 288, rows.minute],
  ["1 h chart, 60 points, from minute rows", 3_600_000, 60, rows.minute],
];
console.log("");
for (const [name, span, points, source] of charts) {
  const query = { from: END - span, to: END, points };
  const plan = planChart(query);
  // the rows the store would return for the plan: by bucket over the planned range
  const inRange = source.filter((r) => r.bucket >= plan.from && r.bucket < plan.to);
  const t = repeat(RUNS, () => chartSeries(plan, inRange.map(fromRow)));
  print(`${name} (decode + points)`, `median ${ms(t.median)} (CPU ${ms(t.cpu)}), p95 ${ms(t.p95)}; ${inRange.length} ${plan.resolution} rows`);
}
const chart = readChart({ from: END - 30 * DAY, to: END, points: 720 }, { hour: hours });
const worst = chart.points.reduce((a, p) => ((p.p95 ?? 0) > (a.p95 ?? 0) ? p : a));
print(`30 d chart sanity: points, worst hourly p95`, `${chart.points.length}, ${worst.p95?.toFixed(1)} ms at ${new Date(worst.t).toISOString()}`);
const exact = series.filter((s) => s.ok).map((s) => s.latency_ms!).sort((a, b) => a - b);
const whole = days.reduce((acc, d) => acc.merge(d.sketch), new LatencySketch());
const errs = [0.5, 0.95, 0.99].map((q) => {
  const e = exact[Math.floor(q * (exact.length - 1))];
  return `p${q * 100} ${(((whole.quantile(q)! - e) / e) * 100).toFixed(3)} %`;
});
print(`30 d percentiles from day sketches vs exact (relative error)`, errs.join(", "));

// uptime over 30 days from ~4 status changes a day
const intervals: StatusInterval[] = [];
{
  const r = rng(7);
  let t = start;
  while (t < END) {
    const up = 4 * 3_600_000 + r() * 8 * 3_600_000;
    intervals.push({ status: "up", from: t, to: t + up });
    t += up;
    const down = 30_000 + r() * 600_000;
    intervals.push({ status: r() < 0.8 ? "down" : "degraded", from: t, to: t + down, reason: "http: HTTP 503" });
    t += down;
  }
}
const tUptime = repeat(RUNS, () => uptime({ from: start, to: END }, intervals));
print(`uptime over 30 d from ${intervals.length} intervals`, `median ${ms(tUptime.median)}, p95 ${ms(tUptime.p95)}`);
const tStandard = repeat(RUNS, () => standardUptime(END, intervals));
print(`uptime 24 h + 7 d + 30 d for one node`, `median ${ms(tStandard.median)} (×${NODES.toLocaleString("en")} nodes ≈ ${ms(tStandard.median * NODES)})`);

// ---- a 1,000-node fleet, one day
console.log(`\nfleet: ${NODES.toLocaleString("en")} nodes × 1 day of ${INTERVAL / 1000}-second results = ${(NODES * 2880).toLocaleString("en")} results\n`);
const fleetStart = END - DAY;
let fleetMinutes = 0;
let fleetMinuteBytes = 0;
let tRoll = 0;
let tFold = 0;
const slaInputs: SlaNodeInput[] = [];
for (let n = 0; n < NODES; n++) {
  const s = [...samples(100 + n, fleetStart, 2880)];
  const [m, t1] = time(() => rollMinutes(s));
  const [h, t2] = time(() => foldRecords(m, "hour"));
  const [, t3] = time(() => foldRecords(h, "day"));
  tRoll += t1;
  tFold += t2 + t3;
  fleetMinutes += m.length;
  for (const r of m) fleetMinuteBytes += r.sketch.toBytes().length;
  slaInputs.push({
    node: `node-${n}`,
    tags: { site: `site-${n % 10}` },
    uptime: uptime({ from: fleetStart, to: END }, [{ status: "up", from: fleetStart, to: null }]),
    incidents: 0,
    hours: h,
  });
}
print(`roll ${(NODES * 2880).toLocaleString("en")} results into minutes (batch)`, `${ms(tRoll)} → ${fleetMinutes.toLocaleString("en")} records, ${(fleetMinuteBytes / 1e6).toFixed(1)} MB of sketches`);
print(`fold the fleet's minutes into hours and days`, ms(tFold));
{
  const hourBytes = slaInputs.reduce((acc, n) => acc + n.hours.reduce((a, h) => a + h.sketch.toBytes().length, 0), 0);
  const dayBytes = avg(days.map((d) => d.sketch.toBytes().length)) * NODES;
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  print(`sketch bytes a day for the fleet: minute / hour / day tables`, `${mb(fleetMinuteBytes)} (${fleetMinutes.toLocaleString("en")} rows) / ${mb(hourBytes)} (${(NODES * 24).toLocaleString("en")} rows) / ${mb(dayBytes)} (${NODES} rows)`);
}

// the live path: results land in time order (one per node per 30 s), into a buffer drained by
// check time. A: everything every 30 s. B: closed minutes every 10 s (10 s grace for late
// results), hours and days every 5 min. Figures: time in the buffer, and row upserts it asks for.
function live(name: string, drains: (t: number, buffer: RollupBuffer) => number) {
  const buffer = new RollupBuffer();
  const gens = Array.from({ length: NODES }, (_, n) => samples(100 + n, fleetStart, 2880));
  let upserts = 0;
  let spent = 0;
  const batch: CheckSample[] = new Array(NODES);
  for (let i = 0; i < 2880; i++) {
    for (let n = 0; n < NODES; n++) batch[n] = gens[n].next().value as CheckSample;
    const t = performance.now();
    for (let n = 0; n < NODES; n++) buffer.add(`node-${n}`, batch[n]);
    for (let k = 0; k < 3; k++) upserts += drains(fleetStart + i * INTERVAL + k * 10_000, buffer);
    spent += performance.now() - t;
  }
  upserts += buffer.drain().length;
  print(`live ${name}`, `${ms(spent)} for ${(NODES * 2880).toLocaleString("en")} results (${((spent / (NODES * 2880)) * 1000).toFixed(2)} µs each); ${(upserts / 86_400).toFixed(1)} row upserts/s`);
}
live("A: drain all every 30 s", (t, b) => (t % 30_000 === 0 ? b.drain().length : 0));
live("B: closed minutes / 10 s, hours+days / 5 min", (t, b) => b.drain({ resolutions: ["minute"], closed_by: t - 10_000 }).length + (t % 300_000 === 0 ? b.drain({ resolutions: ["hour", "day"] }).length : 0));

const [report, tSla] = time(() => slaReport({ from: fleetStart, to: END, nodes: slaInputs, label: "all" }));
const [csv, tCsv] = time(() => slaCsv(report));
print(`SLA report of ${NODES} nodes from 24 hour records each`, `${ms(tSla)}; CSV ${ms(tCsv)}, ${(csv.length / 1024).toFixed(0)} KiB`);

const mem = process.memoryUsage();
console.log(`\nprocess: rss ${(mem.rss / 1e6).toFixed(0)} MB, heap used ${(mem.heapUsed / 1e6).toFixed(0)} MB; node ${process.version}`);
