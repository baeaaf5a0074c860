// Live latency benchmark: real Vigil server as a child process, N socket.io clients on the security
// stream (spread over worker threads), ingest driven at R events/s through POST /api/v1/events.
// Usage: npx tsx bench/live-latency.ts [--clients 200] [--rate 5000] [--seconds 20] [--workers 2]
//        [--full-parse]        (clients JSON.parse every batch; see LiteDecoder in the worker)
//        [--server-prof DIR]   (writes a V8 .cpuprofile of the server into DIR)
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ClientReport, FromWorker, ToWorker, WorkerInit } from "./bench-client-worker";
import { freePort } from "../e2e/support/vigil";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild, serverNodeArgs } from "../scripts/ensure-build.mjs";
import { flag } from "./support";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WARMUP_MS = 2_000;
const TICK_MS = 50;
const MAX_IN_FLIGHT = 8;
const TARGET = { p99: 150, rate: 5000, clients: 200, rssMb: 250 };

const profIndex = process.argv.indexOf("--server-prof");
const profDir = profIndex >= 0 ? path.resolve(process.argv[profIndex + 1] ?? "bench-prof") : null;
const FULL_PARSE = process.argv.includes("--full-parse");
const CLIENTS = Math.floor(flag("clients", 200));
const RATE = flag("rate", 5000);
const SECONDS = flag("seconds", 20);
const WORKERS = Math.min(CLIENTS, Math.floor(flag("workers", Math.min(4, Math.max(2, os.cpus().length)))));
const PER_POST = Math.max(1, Math.round(RATE * (TICK_MS / 1000)));
if (SECONDS * 1000 <= WARMUP_MS) throw new Error(`--seconds must be more than the ${WARMUP_MS / 1000} s warm-up`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- server process -------------------------------------------------------------------------

const CLK_TCK = 100; // USER_HZ on Linux; /proc/<pid>/stat counts CPU time in these ticks

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // fields after the ")" of comm: state is field 3, utime 14, stime 15
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN; // the server is gone; the exit handler reports it
  }
}

/** An analyst and an ingest+read API key of theirs, made with the real CLI in the fresh data directory. */
function benchKey(dataDir: string): string {
  const cli = (args: string[], input = "") =>
    execFileSync(process.execPath, ["--import", "tsx", "server/cli.ts", ...args], { cwd: root, input, env: { ...process.env, VIGIL_DATA_DIR: dataDir }, stdio: ["pipe", "pipe", "ignore"] })
      .toString()
      .trim();
  cli(["user", "create", "--email", "bench@vigil.local", "--role", "analyst"], "bench password 1234\n");
  return cli(["key", "create", "--owner", "bench@vigil.local", "--scope", "ingest,read", "--name", "bench"]);
}

function startServer(port: number, dataDir: string): { child: ChildProcess; log: string[]; ready: Promise<void> } {
  // the server runs exactly as `npm start` runs it, plus any extra flags to experiment with
  const args = [...serverNodeArgs(), ...(process.env.BENCH_SERVER_FLAGS ?? "").split(" ").filter(Boolean)];
  if (profDir) args.push("--cpu-prof", `--cpu-prof-dir=${profDir}`);
  const child = spawn(process.execPath, [...args, ".next/vigil/server.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      VIGIL_DEMO: "0",
      PORT: String(port),
      HOST: "127.0.0.1",
      VIGIL_DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = []; // tail of the server's output, shown when something goes wrong
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start within 60 s")), 60_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        log.push(line);
        if (log.length > 40) log.shift();
        if (line.includes("listening on")) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}`));
    });
  });
  ready.catch(() => undefined); // observed by the caller; avoid an unhandled rejection on late exit
  return { child, log, ready };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
  await exited;
  clearTimeout(timer);
}

// --- client workers -------------------------------------------------------------------------

class ClientWorker {
  readonly worker: Worker;
  private waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void }[] = [];

  constructor(init: WorkerInit) {
    // workers do not inherit tsx's loader hooks (nor take --import), so a bootstrap registers them
    const tsx = JSON.stringify(import.meta.resolve("tsx/esm/api"));
    const file = JSON.stringify(new URL("./bench-client-worker.ts", import.meta.url).href);
    this.worker = new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${file}); })`, {
      eval: true,
      workerData: init,
    });
    // replies come in request order, so a FIFO of resolvers is enough
    this.worker.on("message", (m: FromWorker) => this.waiting.shift()?.resolve(m));
    this.worker.on("error", (e) => this.fail(e));
    this.worker.on("exit", (code) => this.fail(new Error(`worker exited with code ${code}`)));
  }

  private fail(error: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(error);
  }

  next<T extends FromWorker["type"]>(): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve: resolve as (m: FromWorker) => void, reject }));
  }

  ask<T extends FromWorker["type"]>(message: ToWorker): Promise<Extract<FromWorker, { type: T }>> {
    const reply = this.next<T>();
    this.worker.postMessage(message);
    return reply;
  }

  tell(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}

// --- load driver ----------------------------------------------------------------------------

interface Post {
  mark: number;
  sentAt: number;
  accepted: number;
  ok: boolean;
  /** ms from send to the 202 */
  roundTrip: number;
}

// the unmarked events are the same every time: build their JSON once so the driver stays cheap
const filler = Array.from({ length: PER_POST - 1 }, (_, i) =>
  JSON.stringify({ kind: "ids_alert", severity: "medium", src_ip: "198.51.100.7", signature: "ET BENCH load", attributes: { n: i } }),
).join(",");

async function drive(base: string, token: string, start: number, end: number, posts: Post[]): Promise<{ skipped: number; errors: string[] }> {
  let inFlight = 0;
  let skipped = 0;
  const errors = new Set<string>();
  const pending: Promise<void>[] = [];
  for (let tick = 0; ; tick++) {
    const due = start + tick * TICK_MS;
    if (due >= end) break;
    if (due > Date.now()) await sleep(due - Date.now());
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped += 1; // the server is not keeping up: the shortfall shows in the ingested rate
      continue;
    }
    const post: Post = { mark: tick, sentAt: Date.now(), accepted: 0, ok: false, roundTrip: NaN };
    posts.push(post);
    const marked = JSON.stringify({
      kind: "ids_alert",
      severity: "medium",
      src_ip: "198.51.100.7",
      signature: "ET BENCH load",
      attributes: { mark: post.mark, sent_at: post.sentAt },
    });
    inFlight += 1;
    pending.push(
      fetch(`${base}/api/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: `[${filler ? `${filler},` : ""}${marked}]`,
      })
        .then(async (res) => {
          const body = (await res.json()) as { accepted?: number };
          if (res.status !== 202) errors.add(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
          post.accepted = body.accepted ?? 0;
          post.roundTrip = Date.now() - post.sentAt;
          // the marked event is last; with nothing rejected it was stored and must reach every client
          post.ok = res.status === 202 && post.accepted === PER_POST;
        })
        .catch((e: Error) => void errors.add(e.message))
        .finally(() => (inFlight -= 1)),
    );
  }
  await Promise.all(pending);
  return { skipped, errors: [...errors] };
}

// --- stats ----------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

// --- main -----------------------------------------------------------------------------------

async function main(): Promise<number> {
  // the production build: Next's bundle and the custom server bundled to JavaScript
  ensureBuild();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vigil-bench-"));
  const base = `http://127.0.0.1:${port}`;
  const token = benchKey(dataDir);
  const server = startServer(port, dataDir);
  const workers: ClientWorker[] = [];
  const cleanup = async () => {
    // let the clients disconnect cleanly, then make sure the threads are gone
    for (const w of workers) w.tell({ type: "close" });
    await Promise.race([Promise.all(workers.map((w) => new Promise((r) => w.worker.once("exit", r)))), sleep(2_000)]);
    await Promise.all(workers.map((w) => w.worker.terminate().catch(() => undefined)));
    await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    console.log(`[bench] starting server on ${base} (data ${dataDir})`);
    try {
      await server.ready;
    } catch (error) {
      console.error(`[bench] ${(error as Error).message}; server output:\n${server.log.join("\n")}`);
      return 1;
    }
    const pid = server.child.pid!;
    const rssIdle = rssMb(pid);

    console.log(`[bench] connecting ${CLIENTS} clients over ${WORKERS} worker threads`);
    for (let i = 0; i < WORKERS; i++) {
      const share = Math.floor(CLIENTS / WORKERS) + (i < CLIENTS % WORKERS ? 1 : 0);
      workers.push(new ClientWorker({ url: base, token, clients: share, fullParse: FULL_PARSE }));
    }
    const ready = await Promise.all(workers.map((w) => w.next<"ready">()));
    const connected = ready.reduce((n, r) => n + r.connected, 0);
    if (connected < CLIENTS) {
      console.error(`[bench] only ${connected}/${CLIENTS} clients subscribed: ${ready.flatMap((r) => r.errors).join("; ")}`);
      return 1;
    }

    // the plan is fixed up front so workers and driver agree on the measurement window
    const start = Date.now() + 200;
    const measureFrom = start + WARMUP_MS;
    const end = start + SECONDS * 1000;
    for (const w of workers) w.tell({ type: "window", start: measureFrom, end });
    console.log(`[bench] driving ${RATE} ev/s (${PER_POST} per POST every ${TICK_MS} ms) for ${SECONDS} s, first ${WARMUP_MS / 1000} s is warm-up`);

    const rss: number[] = [];
    const sampler = setInterval(() => {
      if (Date.now() >= start) rss.push(rssMb(pid));
    }, 500);
    let cpuStart = 0;
    let driverStart = process.cpuUsage();
    const cpuTimer = setTimeout(() => {
      if (server.child.exitCode !== null) return;
      cpuStart = cpuTicks(pid);
      driverStart = process.cpuUsage();
    }, measureFrom - Date.now());

    const posts: Post[] = [];
    const driven = await drive(base, token, start, end, posts);
    clearTimeout(cpuTimer);
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      clearInterval(sampler);
      const how = server.child.signalCode ?? `code ${server.child.exitCode}`;
      console.error(`[bench] the server died during the run (${how}); its output:\n${server.log.join("\n")}`);
      return 1;
    }
    const windowSeconds = (end - measureFrom) / 1000;
    const serverCpu = ((cpuTicks(pid) - cpuStart) / CLK_TCK / windowSeconds) * 100;
    const driverUsage = process.cpuUsage(driverStart);
    const driverCpu = ((driverUsage.user + driverUsage.system) / 1e6 / windowSeconds) * 100;

    // give the last flushes time to reach every client
    const lastMark = posts.filter((p) => p.ok).at(-1)?.mark ?? -1;
    const graceUntil = Date.now() + 10_000;
    while (Date.now() < graceUntil) {
      const progress = await Promise.all(workers.map((w) => w.ask<"progress">({ type: "progress" })));
      if (progress.every((p) => p.minLastMark >= lastMark)) break;
      await sleep(100);
    }
    clearInterval(sampler);
    const rssEnd = rssMb(pid);
    rss.push(rssEnd);

    const reports: ClientReport[] = (await Promise.all(workers.map((w) => w.ask<"report">({ type: "report" })))).flatMap((r) => r.clients);

    // expected: marks sent after warm-up whose POST was fully accepted
    const measured = posts.filter((p) => p.sentAt >= measureFrom && p.sentAt < end);
    const expected = new Set(measured.filter((p) => p.ok).map((p) => p.mark));
    const ingested = measured.reduce((n, p) => n + p.accepted, 0) / windowSeconds;
    const latencies: number[] = [];
    // per mark: the first client's latency and the spread to the last one (fan-out + client work)
    const byMark = new Map<number, { min: number; max: number }>();
    const missed: number[] = [];
    let delivered = 0;
    let gaps = 0;
    let resyncs = 0;
    let disconnects = 0;
    for (const r of reports) {
      const seen = new Set<number>();
      r.marks.forEach((mark, i) => {
        if (!expected.has(mark) || seen.has(mark)) return;
        seen.add(mark);
        const latency = r.latencies[i];
        latencies.push(latency);
        const m = byMark.get(mark);
        if (!m) byMark.set(mark, { min: latency, max: latency });
        else (m.min = Math.min(m.min, latency)), (m.max = Math.max(m.max, latency));
      });
      missed.push(expected.size - seen.size);
      delivered += r.items;
      gaps += r.gaps;
      resyncs += r.resyncs;
      disconnects += r.disconnects;
    }
    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 99);
    const firsts = [...byMark.values()].map((m) => m.min).sort((a, b) => a - b);
    const spreads = [...byMark.values()].map((m) => m.max - m.min).sort((a, b) => a - b);
    const roundTrips = measured.map((p) => p.roundTrip).filter(Number.isFinite).sort((a, b) => a - b);
    const rssPeak = Math.max(...rss.filter(Number.isFinite));
    const totalMissed = missed.reduce((a, b) => a + b, 0);
    const clientsMissing = missed.filter((m) => m > 0).length;

    const lines = [
      ``,
      `Vigil live latency: ${CLIENTS} clients, target ${RATE} ev/s, ${SECONDS} s (${fmt(windowSeconds)} s measured), ${os.cpus().length} CPUs`,
      `  client decoding              ${FULL_PARSE ? "full JSON.parse of every batch" : "lite (batches scanned for marks, not parsed)"}, ${WORKERS} worker threads`,
      `  events ingested/s (actual)   ${fmt(ingested)}   (${measured.length} POSTs measured, ${driven.skipped} ticks skipped, ${driven.errors.length} error kinds)`,
      `  marked latency p50/p90/p99   ${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 90))} / ${fmt(p99)} ms   max ${fmt(latencies.at(-1) ?? NaN)} ms   (${latencies.length} samples)`,
      `  first client p50/p99         ${fmt(percentile(firsts, 50))} / ${fmt(percentile(firsts, 99))} ms   (POST + wait for the 100 ms flush)`,
      `  first-to-last spread p50/p99 ${fmt(percentile(spreads, 50))} / ${fmt(percentile(spreads, 99))} ms   (fan-out to all clients)`,
      `  POST round trip p50/p99      ${fmt(percentile(roundTrips, 50))} / ${fmt(percentile(roundTrips, 99))} ms   max ${fmt(roundTrips.at(-1) ?? NaN)} ms`,
      `  delivered events/s (all)     ${fmt(delivered / windowSeconds)}   (${fmt(delivered / windowSeconds / CLIENTS)} per client)`,
      `  server CPU                   ${fmt(serverCpu)} % of one core`,
      `  bench driver CPU             ${fmt(driverCpu)} % of one core (POSTs + all client workers)`,
      `  server RSS peak / end        ${fmt(rssPeak)} / ${fmt(rssEnd)} MB   (${fmt(rssIdle)} MB idle after start)`,
      `  marked events missed         ${totalMissed} in total, ${clientsMissing}/${CLIENTS} clients missed any (of ${expected.size} each)`,
      `  seq gaps / resyncs / disc.   ${gaps} / ${resyncs} / ${disconnects}`,
    ];
    if (driven.errors.length) lines.push(`  POST errors: ${driven.errors.join("; ")}`);
    const atTargetLoad = RATE >= TARGET.rate && CLIENTS >= TARGET.clients;
    lines.push(
      ``,
      `target: p99 < ${TARGET.p99} ms at ${TARGET.rate} ev/s with ${TARGET.clients} clients, RSS < ${TARGET.rssMb} MB`,
      `  p99 ${fmt(p99)} ms < ${TARGET.p99} ms: ${verdict(p99 < TARGET.p99)}`,
      `  RSS peak ${fmt(rssPeak)} MB < ${TARGET.rssMb} MB: ${verdict(rssPeak < TARGET.rssMb)}`,
      `  ingest kept up (${fmt(ingested)} of ${RATE} ev/s): ${verdict(ingested >= RATE * 0.98)}`,
      `  missed marks ${totalMissed}: ${verdict(totalMissed === 0)}`,
      `  load ${RATE} ev/s x ${CLIENTS} clients: ${atTargetLoad ? "at target load" : "below target load, verdicts indicative only"}`,
    );
    console.log(lines.join("\n"));
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
