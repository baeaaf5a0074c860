// How long applying the nodes file (VIGIL_CONFIG) holds the event loop: a file of N nodes (default
// 1,000, each with a TCP check, tags and a parent for every tenth) applied at start, read again
// unchanged, and read again with every node changed. Prints, per step, the longest event-loop
// block (perf_hooks monitorEventLoopDelay, 1 ms resolution, and a 1 ms timer's longest gap), the
// wall time and the CPU time of the process (the worker's parse included), and the time the YAML
// parse and validation take on their own.
//
//   npx tsx bench/config-reload.ts [--nodes 1000] [--runs 3] [--in-place]
//
// --in-place parses on the event loop, as Vigil did before the parse worker (the "before" figure).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { openDatabase } from "../db/client";
import { createCore } from "../server/core";
import { Hub } from "../server/live/hub";
import { parseConfig } from "../server/network/config";
import { flag } from "./support";

const N = flag("nodes", 1000);
const RUNS = flag("runs", 3);
const IN_PLACE = process.argv.includes("--in-place");

function fileText(n: number, variant: string): string {
  const lines = ["nodes:"];
  for (let i = 0; i < n; i++) {
    lines.push(`  - id: node-${i}`);
    lines.push(`    name: Node ${i} ${variant}`);
    lines.push(`    tags: {site: site-${i % 7}, tier: tier-${i % 3}, owner: team-${i % 11}}`);
    if (i % 10 !== 0) lines.push(`    parent: node-${i - (i % 10)}`);
    lines.push(`    checks:`);
    lines.push(`      - {type: tcp, host: 127.0.0.1, port: 9, interval: 10m, timeout: 2s, failures_before_down: 3}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * CPU time of the main thread alone, ms: Linux counts it per thread in /proc (a parse worker's CPU
 * is not in it); elsewhere the process's, which counts the worker too.
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const mainThreadCpuMs: () => number = fs.existsSync(SCHEDSTAT)
  ? () => Number(fs.readFileSync(SCHEDSTAT, "utf8").split(" ")[0]) / 1e6
  : () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };

/**
 * Runs `step` while watching the loop: the longest delay recorded by monitorEventLoopDelay, the
 * longest gap between two runs of a 1 ms timer, and the main thread's CPU time in that gap (on a
 * machine shared with other work a 20 ms slice can take 200 ms of wall time; its CPU time cannot).
 */
async function watched(step: () => Promise<unknown>) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  let last = performance.now();
  let lastCpu = mainThreadCpuMs();
  let longestGap = 0;
  let longestCpuGap = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    const cpu = mainThreadCpuMs();
    longestGap = Math.max(longestGap, t - last);
    longestCpuGap = Math.max(longestCpuGap, cpu - lastCpu);
    last = t;
    lastCpu = cpu;
  }, 1);
  // the histogram drops its first interval: let both watchers run before the step starts
  await new Promise((r) => setTimeout(r, 20));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await step();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // one more turn so a block at the very end is seen by both
  await new Promise((r) => setTimeout(r, 5));
  h.disable();
  clearInterval(timer);
  return { maxDelayMs: h.max / 1e6, p99DelayMs: h.percentile(99) / 1e6, longestGapMs: longestGap, longestCpuGapMs: longestCpuGap, wallMs: wall, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const fmt = (r: Awaited<ReturnType<typeof watched>>) =>
  `longest block ${r.maxDelayMs.toFixed(0)} ms (eventLoopDelay max; p99 ${r.p99DelayMs.toFixed(0)} ms; 1 ms timer's longest gap ${r.longestGapMs.toFixed(0)} ms, ${r.longestCpuGapMs.toFixed(0)} ms of main-thread CPU) · wall ${r.wallMs.toFixed(0)} ms · CPU ${r.cpuMs.toFixed(0)} ms`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-config-"));
  const file = path.join(dir, "vigil.yaml");
  const texts = [fileText(N, "a"), fileText(N, "b")];
  console.log(`nodes file: ${N} nodes, ${(Buffer.byteLength(texts[0]) / 1024).toFixed(0)} KB; parsed ${IN_PLACE ? "on the event loop (--in-place: before)" : "on a worker thread"}`);

  // the YAML parse and validation alone, on this thread
  const parseMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = parseConfig(texts[0], file);
    parseMs.push(performance.now() - t0);
    if (!r.ok) throw new Error(`bench file does not parse: ${JSON.stringify(r.problems[0])}`);
  }
  console.log(`parseConfig alone (YAML + schema), on the calling thread: ${parseMs.map((m) => m.toFixed(0)).join(", ")} ms`);

  const handle = openDatabase(path.join(dir, "data"));
  const hub = new Hub({});
  const core = createCore(handle, { hub, access: { secret: "bench-secret-bench-secret-bench-secret-01", publicUrl: "http://vigil.test:3000" }, network: {
      configFile: file,
      watchConfig: false,
      ...(IN_PLACE ? { parseConfig: async (text: string, f: string, known: readonly string[]) => parseConfig(text, f, (k) => new Set(known).has(k)) } : {}),
    },
  });
  fs.writeFileSync(file, texts[0]);
  const first = await watched(() => core.startNetwork());
  console.log(`start, ${core.nodesFileStatus().changes?.created} created: ${fmt(first)}`);
  for (let i = 0; i < RUNS; i++) {
    const same = await watched(() => core.reloadNodesFile());
    console.log(`reload unchanged (${core.nodesFileStatus().changes?.unchanged} unchanged): ${fmt(same)}`);
  }
  for (let i = 0; i < RUNS; i++) {
    fs.writeFileSync(file, texts[(i + 1) % 2]);
    const changed = await watched(() => core.reloadNodesFile());
    console.log(`reload, every node renamed (${core.nodesFileStatus().changes?.updated} updated): ${fmt(changed)}`);
  }
  await core.stopNetwork();
  handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

void main();
