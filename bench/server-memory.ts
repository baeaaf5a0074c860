// Server memory across browser sessions: the production server (as `npm start` runs it, demo on),
// a signed-in Chromium context opened on the console and closed N times; after each session the
// server's RSS (/proc/<pid>/status VmRSS) and V8 heap (GET /metrics from loopback), then again after
// a forced settle (a full GC through the inspector on loopback, then a second's pause).
// Usage: npx tsx bench/server-memory.ts [--sessions 20] [--dwell 3] [--tick 1000] [--nodes 0] [--snapshots DIR] [--no-build]
//        --nodes N adds N pushed nodes beside the demo fleet, each sending a heartbeat every 30 s
//        (a tenth of them failing), as the fleet the issue measured.
//        --snapshots writes a heap snapshot after the first and the last settle (compare them in
//        Chromium's DevTools, Memory tab, "Comparison").
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../e2e/chromium";
import { freePort } from "../e2e/support/vigil";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild, serverNodeArgs } from "../scripts/ensure-build.mjs";
import { flag, inspector } from "./support";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SESSIONS = Math.floor(flag("sessions", 20));
const DWELL_MS = flag("dwell", 3) * 1000;
const TICK_MS = Math.floor(flag("tick", 1000));
const NODES = process.argv.includes("--nodes") ? Math.floor(flag("nodes", 0)) : 0;
const snapIndex = process.argv.indexOf("--snapshots");
const SNAP_DIR = snapIndex >= 0 ? path.resolve(process.argv[snapIndex + 1] ?? "bench-snapshots") : null;
const EMAIL = "memory@vigil.local";
const PASSWORD = "bench password 1234";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** The V8 heap in use and the live client count, from the server's own /metrics (loopback needs no key). */
async function metrics(base: string): Promise<{ heapMb: number; clients: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (name: string) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, "m").exec(text);
    return m ? Number(m[1]) : NaN;
  };
  return { heapMb: value("vigil_nodejs_heap_size_used_bytes") / 1048576, clients: value("vigil_live_clients") };
}

async function main() {
  if (!process.argv.includes("--no-build")) ensureBuild();
  const port = await freePort();
  const inspectPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-memory-"));
  const cli = (args: string[], input = "") =>
    execFileSync(process.execPath, ["--import", "tsx", "server/cli.ts", ...args], { cwd: root, input, env: { ...process.env, VIGIL_DATA_DIR: dataDir }, stdio: ["pipe", "pipe", "ignore"] });
  cli(["user", "create", "--email", EMAIL, "--role", "viewer"], `${PASSWORD}\n`);
  let ingestKey = "";
  if (NODES > 0) {
    cli(["user", "create", "--email", "feeder@vigil.local", "--role", "analyst"], `${PASSWORD}\n`);
    ingestKey = cli(["key", "create", "--owner", "feeder@vigil.local", "--scope", "ingest", "--name", "memory-bench"]).toString().trim();
  }

  const args = [...serverNodeArgs(), `--inspect=127.0.0.1:${inspectPort}`, ".next/vigil/server.mjs"];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOST: "127.0.0.1", VIGIL_DATA_DIR: dataDir, VIGIL_DEMO: "1", VIGIL_DEMO_TICK_MS: String(TICK_MS) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  let stopping = false;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/listening on https?:\/\//.test(log)) resolve(); // not the inspector's "Debugger listening on ws:"
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`server exited (${code ?? signal}) during the run:\n${log.slice(-4000)}`);
  });
  const pid = child.pid!;
  const base = `http://127.0.0.1:${port}`;
  const cdp = await inspector(inspectPort);
  // the pushed fleet: every node once now, then every 30 s until the run ends
  const beat = async () => {
    for (let from = 0; from < NODES; from += 250) {
      const batch = Array.from({ length: Math.min(250, NODES - from) }, (_, i) => ({ node: `bench-node-${from + i}`, ok: (from + i) % 10 !== 0, latency_ms: 5 + ((from + i) % 40) }));
      const res = await fetch(`${base}/api/v1/heartbeats`, { method: "POST", body: JSON.stringify(batch), headers: { authorization: `Bearer ${ingestKey}`, "content-type": "application/json" } });
      if (!res.ok) throw new Error(`heartbeats answered ${res.status}: ${await res.text()}`);
    }
  };
  if (NODES > 0) await beat();
  const feeder = NODES > 0 ? setInterval(() => void beat().catch((e) => console.error(`heartbeats failed: ${e}`)), 30_000) : null;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const rows: { session: number; rss: number; heap: number; rssSettled: number; heapSettled: number; clients: number }[] = [];
  try {
    await sleep(2000);
    await cdp.send("HeapProfiler.collectGarbage");
    const start = { rss: rssMb(pid), ...(await metrics(base)) };
    console.log(`server pid ${pid}, demo tick ${TICK_MS} ms, ${NODES} pushed nodes, ${SESSIONS} sessions of ${DWELL_MS / 1000} s`);
    console.log(`before any session (settled): RSS ${start.rss.toFixed(1)} MB, heap ${start.heapMb.toFixed(1)} MB`);
    console.log("session  RSS MB  heap MB | settled: RSS MB  heap MB  clients");
    for (let s = 1; s <= SESSIONS; s++) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const signed = await context.request.post(`${base}/api/auth/sign-in/email`, { data: { email: EMAIL, password: PASSWORD }, headers: { origin: base } });
      if (signed.status() !== 200) throw new Error(`sign-in answered ${signed.status()}: ${await signed.text()}`);
      const page = await context.newPage();
      await page.goto(`${base}/`);
      // the session counts once the page's socket is admitted (at 1,000 nodes today's panes can take minutes to settle)
      for (let waited = 0; (await metrics(base)).clients < 1; waited += 250) {
        if (waited > 120_000) throw new Error("the page's socket did not connect within 120 s");
        await sleep(250);
      }
      await sleep(DWELL_MS);
      await context.close();
      await sleep(500);
      const now = { rss: rssMb(pid), ...(await metrics(base)) };
      await cdp.send("HeapProfiler.collectGarbage");
      await sleep(1000);
      const settled = { rss: rssMb(pid), ...(await metrics(base)) };
      rows.push({ session: s, rss: now.rss, heap: now.heapMb, rssSettled: settled.rss, heapSettled: settled.heapMb, clients: settled.clients });
      console.log(
        `${String(s).padStart(7)}  ${now.rss.toFixed(1).padStart(6)}  ${now.heapMb.toFixed(1).padStart(7)} |          ${settled.rss.toFixed(1).padStart(6)}  ${settled.heapMb.toFixed(1).padStart(7)}  ${String(settled.clients).padStart(7)}`,
      );
      if (SNAP_DIR && (s === 1 || s === SESSIONS)) {
        fs.mkdirSync(SNAP_DIR, { recursive: true });
        const file = path.join(SNAP_DIR, `server-after-session-${s}.heapsnapshot`);
        await cdp.snapshot(file);
        console.log(`        heap snapshot: ${file}`);
      }
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    const maxRss = Math.max(...rows.map((r) => r.rss));
    console.log(
      `settled growth from session 1 to ${SESSIONS}: RSS ${(last.rssSettled - first.rssSettled).toFixed(1)} MB, heap ${(last.heapSettled - first.heapSettled).toFixed(1)} MB; ` +
        `highest RSS ${maxRss.toFixed(1)} MB (target: under 300 MB and flat)`,
    );
  } finally {
    stopping = true;
    if (feeder) clearInterval(feeder);
    await browser.close();
    cdp.close();
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
