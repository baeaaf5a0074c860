// Probe engine benchmark (issue 10, the probing half of "Speed"): N HTTP checks every interval
// against a local target in a child process (so that its CPU is not counted), run by the real
// scheduler and checks with system timers. Prints the prober's CPU as a share of one core, its
// memory, how late runs started (planned vs actual), and the results. No database, no hub: the
// figures are the probe engine's own, before the lead wires it into the core.
// Usage: npx tsx bench/probe-engine.ts [--checks 1000] [--interval 30] [--seconds 90] [--concurrency 64]
import { spawn } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { httpCheck } from "../server/network/checks/http";
import { httpCheckSchema } from "../server/network/checks/spec";
import { CheckScheduler, type CheckRun } from "../server/network/scheduler";
import { flag } from "./support";

const CHECKS = flag("checks", 1000);
const INTERVAL_S = flag("interval", 30);
const SECONDS = flag("seconds", 90);
const CONCURRENCY = flag("concurrency", 64);

const TARGET = `
const http = require("node:http");
const server = http.createServer((req, res) => { res.setHeader("content-type", "application/json"); res.end('{"status":"ok","path":' + JSON.stringify(req.url) + '}'); });
server.keepAliveTimeout = 1000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

async function main() {
  const target = spawn(process.execPath, ["-e", TARGET], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    target.stdout!.once("data", (d: Buffer) => resolve(Number(String(d).trim())));
    target.once("exit", (code) => reject(new Error(`target exited with ${code}`)));
  });
  const runs: CheckRun[] = [];
  const scheduler = new CheckScheduler({ concurrency: CONCURRENCY, onResult: (r) => runs.push(r) });
  for (let i = 0; i < CHECKS; i++) {
    const spec = httpCheckSchema.parse({ type: "http", url: `http://127.0.0.1:${port}/node/${i}`, interval: `${INTERVAL_S}s`, timeout: "5s", json_query: '$.status == "ok"' });
    scheduler.add({ id: `node-${i}`, interval_ms: spec.interval_ms, timeout_ms: spec.timeout_ms, check: httpCheck(spec) });
  }
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 1000);
  scheduler.start();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  await scheduler.stop();
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  loop.disable();
  target.kill();

  const stats = scheduler.stats();
  const ok = runs.filter((r) => r.result.ok).length;
  const latencies = runs.map((r) => r.result.latency_ms).filter((x): x is number => x !== null).sort((a, b) => a - b);
  const q = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : 0);
  const errors = new Map<string, number>();
  for (const r of runs) if (!r.result.ok) errors.set(r.result.error ?? "?", (errors.get(r.result.error ?? "?") ?? 0) + 1);
  const expected = Math.floor((SECONDS / INTERVAL_S) * CHECKS);
  console.log(`probe engine: ${CHECKS} HTTP checks every ${INTERVAL_S} s for ${SECONDS} s, concurrency ${CONCURRENCY}, node ${process.version}`);
  console.log(`  results       ${runs.length} (about ${expected} due), ${ok} up, ${runs.length - ok} down`);
  for (const [error, n] of errors) console.log(`    ${n} × ${error}`);
  console.log(`  prober CPU    ${((100 * (cpu.user + cpu.system)) / 1000 / wall).toFixed(1)} % of one core (user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s over ${(wall / 1000).toFixed(1)} s)`);
  console.log(`  memory        rss max ${(rssMax / 2 ** 20).toFixed(0)} MiB, heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB at the end`);
  console.log(`  lateness      p50 ${stats.lateness.p50_ms} ms, p95 ${stats.lateness.p95_ms} ms, p99 ${stats.lateness.p99_ms} ms, max ${stats.lateness.max_ms} ms, over 1 s: ${stats.lateness.over_1s}`);
  console.log(`  skipped       running ${stats.skipped_running}, queued ${stats.skipped_queued}, late ${stats.skipped_late}; timeouts ${stats.timeouts}`);
  console.log(`  check latency p50 ${q(50).toFixed(2)} ms, p95 ${q(95).toFixed(2)} ms, p99 ${q(99).toFixed(2)} ms`);
  console.log(`  event loop    delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
