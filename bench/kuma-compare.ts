// Vigil against Uptime Kuma (issue 10, "Speed"): the same N HTTP checks every interval, against the
// same local targets, run by both at once in one run, so that both see the same machine load.
// Vigil is the production server (`.next/vigil/server.mjs`, as `npm start` runs it) with a nodes
// file of N HTTP checks; Uptime Kuma is its own server (`node server/server.js` in KUMA_DIR) with
// N HTTP monitors added over its socket.io API (`setup`, `login`, `add`). Both store every result in
// their SQLite file; no browser or socket client watches either during the window.
// Measured over the window, the same way for both: CPU (utime + stime from /proc of the server's
// process tree) as a share of one core, RSS (VmRSS, sampled every second), and lateness at the
// targets: each URL's gap between two consecutive request arrivals, minus the interval.
// Uptime Kuma is not part of Vigil: fetch, install and build it yourself and point KUMA_DIR at it.
// Usage: npx tsx bench/kuma-compare.ts [--checks 1000] [--interval-s 30] [--timeout-s 5]
//          [--warmup-s 60] [--window-s 180] [--targets 4] [--only vigil|kuma] [--no-build]
// (each number also from the environment: BENCH_CHECKS, BENCH_INTERVAL_S, BENCH_TIMEOUT_S,
// BENCH_WARMUP_S, BENCH_WINDOW_S, BENCH_TARGETS; KUMA_DIR defaults to ../uptime-kuma)
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { io as connect, type Socket } from "socket.io-client";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild } from "../scripts/ensure-build.mjs";
import { cpuSeconds, root, startServer, stopServer } from "./support";

/** `--name N`, else the environment variable, else the fallback; anything but a positive number is an error. */
function setting(name: string, env: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[env];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} / ${env} needs a positive number`);
  return value;
}
const CHECKS = setting("checks", "BENCH_CHECKS", 1000);
const INTERVAL_S = setting("interval-s", "BENCH_INTERVAL_S", 30);
const TIMEOUT_S = setting("timeout-s", "BENCH_TIMEOUT_S", 5);
const WARMUP_S = setting("warmup-s", "BENCH_WARMUP_S", 60);
const WINDOW_S = setting("window-s", "BENCH_WINDOW_S", 180);
const TARGETS = Math.min(8, setting("targets", "BENCH_TARGETS", 4));
const KUMA_DIR = path.resolve(process.env.KUMA_DIR ?? path.join(root, "..", "uptime-kuma"));
const onlyAt = process.argv.indexOf("--only");
const ONLY = onlyAt >= 0 ? process.argv[onlyAt + 1] : (process.env.BENCH_ONLY ?? "");
if (ONLY && ONLY !== "vigil" && ONLY !== "kuma") throw new Error("--only takes vigil or kuma");
const RUN_VIGIL = ONLY !== "kuma";
const RUN_KUMA = ONLY !== "vigil";
if (INTERVAL_S < 20 && RUN_KUMA) throw new Error("Uptime Kuma refuses intervals under 20 s");

// A target answers 200 with a small JSON body at once and notes when each URL was asked for.
// It runs in its own process so that neither prober's CPU figure includes it.
const TARGET = `
const http = require("node:http");
const arrivals = new Map();
const server = http.createServer((req, res) => {
  const at = performance.timeOrigin + performance.now();
  let list = arrivals.get(req.url);
  if (!list) arrivals.set(req.url, (list = []));
  list.push(at);
  req.resume();
  res.setHeader("content-type", "application/json");
  res.end('{"status":"ok"}');
});
server.listen(0, process.env.TARGET_HOST, () => process.send({ port: server.address().port }));
process.on("message", (m) => { if (m === "dump") process.send({ arrivals: [...arrivals] }); });
process.on("disconnect", () => process.exit(0));
`;

interface Target {
  child: ChildProcess;
  host: string;
  port: number;
}

async function startTarget(host: string): Promise<Target> {
  const child = spawn(process.execPath, ["-e", TARGET], { env: { ...directEnv(), TARGET_HOST: host }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: { port: number }) => resolve(m.port));
    child.once("exit", (code) => reject(new Error(`target on ${host} exited with ${code}`)));
  });
  return { child, host, port };
}

async function dumpArrivals(target: Target): Promise<[string, number[]][]> {
  return new Promise((resolve) => {
    const onMessage = (m: { arrivals?: [string, number[]][] }) => {
      if (!m.arrivals) return;
      target.child.off("message", onMessage);
      resolve(m.arrivals);
    };
    target.child.on("message", onMessage);
    target.child.send("dump");
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The environment without proxy settings: every check must go straight to the loopback targets. */
function directEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_proxy$/i.test(k))) as NodeJS.ProcessEnv;
}

const urlOf = (targets: Target[], system: "vigil" | "kuma", i: number) => {
  const t = targets[i % targets.length];
  return `http://${t.host}:${t.port}/${system}/node-${i}`;
};

// ---------- the two systems ----------

async function startVigil(targets: Target[], dataDir: string): Promise<ChildProcess> {
  const lines = ["nodes:"];
  for (let i = 0; i < CHECKS; i++) {
    lines.push(`  - id: node-${i}`, `    checks:`, `      - {type: http, url: "${urlOf(targets, "vigil", i)}", interval: ${INTERVAL_S}s, timeout: ${TIMEOUT_S}s}`);
  }
  const file = path.join(dataDir, "nodes.yaml");
  writeFileSync(file, lines.join("\n") + "\n");
  const { child, log, ready } = startServer(await freePort(), dataDir, { VIGIL_CONFIG: file }, 300_000);
  try {
    await ready;
  } catch (error) {
    console.error(log.join("\n"));
    await stopServer(child);
    throw error;
  }
  return child;
}

async function startKuma(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  if (!existsSync(path.join(KUMA_DIR, "server", "server.js")) || !existsSync(path.join(KUMA_DIR, "node_modules"))) {
    throw new Error(`no installed Uptime Kuma in ${KUMA_DIR} (set KUMA_DIR, or --only vigil)`);
  }
  if (!existsSync(path.join(KUMA_DIR, "dist", "index.html"))) throw new Error(`${KUMA_DIR}/dist/index.html is missing: build its frontend first`);
  const port = await freePort();
  const child = spawn(process.execPath, ["server/server.js"], {
    cwd: KUMA_DIR,
    env: {
      ...directEnv(),
      NODE_ENV: "production",
      DATA_DIR: dataDir + path.sep,
      UPTIME_KUMA_HOST: "127.0.0.1",
      UPTIME_KUMA_PORT: String(port),
      UPTIME_KUMA_DB_TYPE: "sqlite",
      // its update check (uptime.kuma.pet) runs at start, before the setting can be turned off:
      // point HTTPS at a closed loopback port so that nothing leaves the machine
      HTTPS_PROXY: "http://127.0.0.1:9",
      https_proxy: "http://127.0.0.1:9",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Uptime Kuma did not listen within 300 s:\n${log.join("\n")}`)), 300_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        log.push(line);
        if (log.length > 40) log.shift();
        // its migration step listens for a moment first; the server's own line says SERVER
        if (line.includes("Listening on") && line.includes("SERVER")) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Uptime Kuma exited with ${code}:\n${log.join("\n")}`));
    });
  });
  try {
    await listening;
  } catch (error) {
    await stopServer(child);
    throw error;
  }
  return { child, port };
}

function call<T>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Uptime Kuma did not answer ${event} within 300 s`)), 300_000);
    socket.emit(event, ...args, (answer: T) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** The admin account and N HTTP monitors, as its own frontend sends them (EditMonitor.vue's defaults). */
async function addKumaMonitors(port: number, targets: Target[]): Promise<number> {
  const socket = connect(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false });
  // it registers its handlers only after sending "info" (and, on a fresh database, "setup") to a new
  // socket: an event sent before that is dropped, so wait for "setup"
  await new Promise<void>((resolve, reject) => {
    socket.once("setup", () => resolve());
    socket.once("connect_error", reject);
  });
  const credentials = { username: "bench", password: "Bench-password-4827!" };
  const setup = await call<{ ok: boolean; msg?: string }>(socket, "setup", credentials.username, credentials.password);
  if (!setup.ok) throw new Error(`Uptime Kuma setup: ${setup.msg}`);
  const login = await call<{ ok: boolean; msg?: string }>(socket, "login", { ...credentials, token: "" });
  if (!login.ok) throw new Error(`Uptime Kuma login: ${login.msg}`);
  const started = performance.now();
  for (let i = 0; i < CHECKS; i++) {
    const answer = await call<{ ok: boolean; msg?: string }>(socket, "add", {
      type: "http",
      name: `node-${i}`,
      parent: null,
      url: urlOf(targets, "kuma", i),
      method: "GET",
      interval: INTERVAL_S,
      retryInterval: INTERVAL_S,
      resendInterval: 0,
      maxretries: 0,
      timeout: TIMEOUT_S,
      notificationIDList: {},
      ignoreTls: false,
      upsideDown: false,
      expiryNotification: false,
      maxredirects: 10,
      accepted_statuscodes: ["200-299"],
      saveResponse: false,
      saveErrorResponse: true,
      responseMaxLength: 1024,
      httpBodyEncoding: "json",
      kafkaProducerBrokers: [],
      kafkaProducerSaslOptions: { mechanism: "None" },
      cacheBust: false,
      rabbitmqNodes: [],
      conditions: [],
    });
    if (!answer.ok) throw new Error(`Uptime Kuma add monitor ${i}: ${answer.msg}`);
    if ((i + 1) % 100 === 0) console.log(`  ${i + 1} monitors added, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  socket.disconnect();
  return seconds;
}

// ---------- measuring ----------

/** The process and its descendants, from the parent ids in /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

function treeCpu(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += cpuSeconds(p);
    } catch {
      // ended
    }
  }
  return total;
}

function treeRssMb(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // ended
    }
  }
  return kb / 1024;
}

const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

function quantile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Figures {
  cpuPct: number;
  rssMean: number;
  rssMax: number;
  late: number[];
  over1s: number;
  arrivals: number;
  urlsSeen: number;
  stored: { up: number; total: number } | null;
}

/** Gap between consecutive arrivals of one URL, minus the interval, for every gap ending in the window. */
function lateness(arrivals: Map<string, number[]>, system: string, from: number, to: number): { late: number[]; arrivals: number; urls: number } {
  const late: number[] = [];
  let count = 0;
  let urls = 0;
  for (const [url, times] of arrivals) {
    if (!url.startsWith(`/${system}/`)) continue;
    times.sort((a, b) => a - b);
    let seen = false;
    for (let k = 0; k < times.length; k++) {
      if (times[k] < from || times[k] >= to) continue;
      count++;
      seen = true;
      if (k > 0) late.push(times[k] - times[k - 1] - INTERVAL_S * 1000);
    }
    if (seen) urls++;
  }
  return { late: late.sort((a, b) => a - b), arrivals: count, urls };
}

function storedVigil(dataDir: string, from: number, to: number): { up: number; total: number } {
  const db = new Database(path.join(dataDir, "vigil.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT coalesce(sum(ok), 0) AS up, count(*) AS total FROM heartbeats WHERE time >= ? AND time < ?").get(from, to) as { up: number; total: number };
  } finally {
    db.close();
  }
}

function storedKuma(dataDir: string, from: number, to: number): { up: number; total: number } {
  const db = new Database(path.join(dataDir, "kuma.db"), { readonly: true, fileMustExist: true });
  // its heartbeat times are UTC "YYYY-MM-DD HH:mm:ss.SSS" text
  const stamp = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
  try {
    return db.prepare("SELECT coalesce(sum(status = 1), 0) AS up, count(*) AS total FROM heartbeat WHERE time >= ? AND time < ?").get(stamp(from), stamp(to)) as { up: number; total: number };
  } finally {
    db.close();
  }
}

// ---------- the run ----------

async function main() {
  if (RUN_VIGIL && !process.argv.includes("--no-build")) ensureBuild();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "kuma-compare-"));
  const vigilDir = path.join(scratch, "vigil");
  const kumaDir = path.join(scratch, "kuma");
  for (const d of [vigilDir, kumaDir]) mkdirSync(d);
  const targets = await Promise.all(Array.from({ length: TARGETS }, (_, k) => startTarget(`127.0.0.${k + 1}`)));
  let vigil: ChildProcess | null = null;
  let kuma: { child: ChildProcess; port: number } | null = null;
  try {
    const boot0 = performance.now();
    // started side by side; whichever did start is stopped in `finally` even when the other failed
    const [v, k] = await Promise.allSettled([RUN_VIGIL ? startVigil(targets, vigilDir) : null, RUN_KUMA ? startKuma(kumaDir) : null]);
    if (v.status === "fulfilled") vigil = v.value;
    if (k.status === "fulfilled") kuma = k.value;
    if (v.status === "rejected") throw v.reason;
    if (k.status === "rejected") throw k.reason;
    console.log(`started in ${((performance.now() - boot0) / 1000).toFixed(1)} s${vigil ? `: Vigil pid ${vigil.pid}` : ""}${kuma ? `, Uptime Kuma pid ${kuma.child.pid}` : ""}`);
    if (kuma) console.log(`Uptime Kuma: ${CHECKS} monitors added over socket.io in ${(await addKumaMonitors(kuma.port, targets)).toFixed(1)} s`);
    console.log(`warming up ${WARMUP_S} s, then measuring ${WINDOW_S} s…`);
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));

    const systems = [vigil ? { name: "vigil", pid: vigil.pid! } : null, kuma ? { name: "kuma", pid: kuma.child.pid! } : null].filter((s) => s !== null);
    const load0 = loadavg();
    const from = Date.now();
    const cpu0 = new Map(systems.map((s) => [s.name, treeCpu(s.pid)]));
    const rss = new Map(systems.map((s) => [s.name, [] as number[]]));
    const sampler = setInterval(() => {
      for (const s of systems) rss.get(s.name)!.push(treeRssMb(s.pid));
    }, 1000);
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    clearInterval(sampler);
    const to = Date.now();
    const cpu1 = new Map(systems.map((s) => [s.name, treeCpu(s.pid)]));
    const load1 = loadavg();

    const arrivals = new Map<string, number[]>();
    for (const t of targets) for (const [url, times] of await dumpArrivals(t)) arrivals.set(url, times);
    const figures = new Map<string, Figures>();
    for (const s of systems) {
      const l = lateness(arrivals, s.name, from, to);
      const samples = rss.get(s.name)!;
      figures.set(s.name, {
        cpuPct: (100 * (cpu1.get(s.name)! - cpu0.get(s.name)!)) / ((to - from) / 1000),
        rssMean: samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
        rssMax: Math.max(...samples),
        late: l.late,
        over1s: l.late.filter((x) => x > 1000).length,
        arrivals: l.arrivals,
        urlsSeen: l.urls,
        stored: s.name === "vigil" ? storedVigil(vigilDir, from, to) : storedKuma(kumaDir, from, to),
      });
    }
    report(figures, load0, load1);
  } finally {
    await Promise.all([vigil ? stopServer(vigil) : null, kuma ? stopServer(kuma.child) : null]);
    for (const t of targets) t.child.kill();
    if (process.env.BENCH_KEEP !== "1") rmSync(scratch, { recursive: true, force: true });
    else console.log(`data kept in ${scratch}`);
  }
}

function report(figures: Map<string, Figures>, load0: string, load1: string) {
  const v = figures.get("vigil");
  const k = figures.get("kuma");
  const kumaVersion = RUN_KUMA ? (JSON.parse(readFileSync(path.join(KUMA_DIR, "package.json"), "utf8")) as { version: string }).version : "";
  console.log(
    `\n${CHECKS} HTTP checks every ${INTERVAL_S} s (timeout ${TIMEOUT_S} s) against ${TARGETS} local targets; ${ONLY ? `${ONLY} alone` : "both at once"}; window ${WINDOW_S} s after ${WARMUP_S} s of warm-up; node ${process.version}${kumaVersion ? `; Uptime Kuma ${kumaVersion}` : ""}`,
  );
  console.log(`load average (1/5/15 min) at the window's start ${load0}, at its end ${load1}; ${os.cpus().length} cores`);
  const expected = Math.round((CHECKS * WINDOW_S) / INTERVAL_S);
  const fmt = (x: number | undefined, digits = 1) => (x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits));
  // a ratio of a negative lateness (early) says nothing: only positive figures are divided
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !(a > 0 && b > 0) ? "–" : (a / b).toFixed(2));
  const rows: [string, (f: Figures) => number, number][] = [
    ["CPU, % of one core", (f) => f.cpuPct, 1],
    ["RSS mean, MB", (f) => f.rssMean, 0],
    ["RSS max, MB", (f) => f.rssMax, 0],
    ["lateness p50, ms", (f) => quantile(f.late, 50), 1],
    ["lateness p95, ms", (f) => quantile(f.late, 95), 1],
    ["lateness p99, ms", (f) => quantile(f.late, 99), 1],
    ["lateness max, ms", (f) => quantile(f.late, 100), 1],
    ["late by more than 1 s", (f) => f.over1s, 0],
    [`checks done (about ${expected} due)`, (f) => f.arrivals, 0],
    [`URLs asked for (of ${CHECKS})`, (f) => f.urlsSeen, 0],
    ["results stored in the window", (f) => f.stored?.total ?? Number.NaN, 0],
    ["… of them up", (f) => f.stored?.up ?? Number.NaN, 0],
  ];
  const pad = (s: string, n: number) => s.padStart(n);
  console.log(`${"".padEnd(34)}${pad("Vigil", 10)}${pad("Uptime Kuma", 13)}${pad("Vigil/UK", 10)}`);
  for (const [label, get, digits] of rows) {
    const a = v ? get(v) : undefined;
    const b = k ? get(k) : undefined;
    console.log(`${label.padEnd(34)}${pad(fmt(a, digits), 10)}${pad(fmt(b, digits), 13)}${pad(ratio(a, b), 10)}`);
  }
  console.log("lateness: at the target, each URL's gap between two consecutive requests minus the interval (negative = early)");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
