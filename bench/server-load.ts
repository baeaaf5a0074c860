// The server's memory under the console-scale workload (issue 8) without Chromium: the production
// server, N nodes pushing a heartbeat every 30 s, R security events/s and open incidents seeded
// first (bench/scale-load.ts, as bench/console-scale.ts drives them). Every --every seconds it
// prints the server's RSS split into anonymous memory (V8 heaps, malloc: SQLite's page cache, zlib,
// socket buffers) and file-backed pages (code), V8's heap in use and the threads. With --sessions K,
// K "console sessions" without a browser are made while the load runs, one after another: sign in,
// GET / (the server-rendered page, its size printed), a socket.io connection subscribed to every
// stream for --dwell seconds, then closed. --snapshots DIR writes heap snapshots of the server
// (through its inspector on loopback) after seeding and at the end.
// Usage: npx tsx bench/server-load.ts [--seconds 120] [--every 10] [--nodes 1000] [--rate 5000] [--incidents 10000] [--sessions 0] [--dwell 10] [--snapshots DIR] [--no-build]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { freePort } from "../e2e/support/vigil";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild } from "../scripts/ensure-build.mjs";
import { benchKey, cpuSeconds, flag, inspector, startServer, stopServer } from "./support";
import { activeIncidents, eventDriver, heartbeatDriver, openIncidents, seedNodes, type Driver } from "./scale-load";

const SECONDS = flag("seconds", 120);
const EVERY = flag("every", 10);
const NODES = Math.floor(flag("nodes", 1000));
const RATE = flag("rate", 5000);
const INCIDENTS = Math.floor(flag("incidents", 10_000));
const SESSIONS = process.argv.includes("--sessions") ? Math.floor(flag("sessions", 1)) : 0;
const DWELL_S = flag("dwell", 10);
const snapIndex = process.argv.indexOf("--snapshots");
const SNAP_DIR = snapIndex >= 0 ? path.resolve(process.argv[snapIndex + 1] ?? "bench-snapshots") : null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VmRSS, and its anonymous and file-backed parts (kB in /proc), in MB; the thread count. */
function memory(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb("VmRSS"), anon: kb("RssAnon"), file: kb("RssFile") + kb("RssShmem"), threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]) };
}

/** V8's heap in use and allocated, external memory and live clients, from the server's /metrics (loopback needs no key). */
async function metrics(base: string) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, "m").exec(text)?.[1] ?? NaN);
  return {
    heap: value("vigil_nodejs_heap_size_used_bytes") / 1048576,
    heapTotal: value("vigil_nodejs_heap_size_total_bytes") / 1048576,
    external: value("vigil_nodejs_external_memory_bytes") / 1048576,
    clients: value("vigil_live_clients"),
    lagP99: value("vigil_nodejs_eventloop_lag_p99_seconds") * 1000,
    newSpace: Number(/^vigil_nodejs_heap_space_size_total_bytes\{space="new"\} ([0-9.e+]+)$/m.exec(text)?.[1] ?? NaN) / 1048576,
  };
}

/** A heap snapshot of the server through its inspector, written to `file`. */
async function snapshot(cdp: Awaited<ReturnType<typeof inspector>>, file: string) {
  await cdp.snapshot(file);
  console.log(`  heap snapshot: ${file}`);
}

/** A console session without a browser: sign in, the server-rendered page, the live socket for `dwellMs`. */
async function session(base: string, dwellMs: number): Promise<{ docBytes: number; items: number }> {
  const signed = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { origin: base, "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@vigil.local", password: "bench password 1234" }),
  });
  if (signed.status !== 200) throw new Error(`sign-in answered ${signed.status}: ${await signed.text()}`);
  const cookie = signed.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const doc = await fetch(`${base}/`, { headers: { cookie } });
  const html = await doc.text();
  if (doc.status !== 200) throw new Error(`GET / answered ${doc.status}`);
  const socket = io(base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie, origin: base }, reconnection: false });
  let items = 0;
  socket.on("batch", (batch: { items: unknown[] }) => void (items += batch.items.length));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => socket.emit("subscribe", { streams: ["network", "security", "incidents"] }, () => resolve()));
    socket.once("connect_error", reject);
  });
  await sleep(dwellMs);
  socket.close();
  return { docBytes: Buffer.byteLength(html), items };
}

async function main() {
  if (!process.argv.includes("--no-build")) ensureBuild();
  const port = await freePort();
  const inspectPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-load-"));
  const key = benchKey(dataDir, "ingest,read,act");
  if (SNAP_DIR) process.env.BENCH_SERVER_FLAGS = `${process.env.BENCH_SERVER_FLAGS ?? ""} --inspect=127.0.0.1:${inspectPort}`;
  const server = startServer(port, dataDir, { VIGIL_MAX_NODES: String(NODES + 1000) });
  await server.ready;
  const pid = server.child.pid!;
  const base = `http://127.0.0.1:${port}`;
  const cdp = SNAP_DIR ? await inspector(inspectPort) : null;
  if (SNAP_DIR) fs.mkdirSync(SNAP_DIR, { recursive: true });
  const drivers: Driver[] = [];
  const t0 = Date.now();
  const line = async (label: string) => {
    const m = memory(pid);
    const v = await metrics(base);
    console.log(
      `${label.padStart(8)}  ${m.rss.toFixed(0).padStart(6)}  ${m.anon.toFixed(0).padStart(7)}  ${m.file.toFixed(0).padStart(7)}  ${v.heap.toFixed(0).padStart(7)}  ${v.heapTotal.toFixed(0).padStart(8)}  ${v.external.toFixed(0).padStart(11)}  ${v.newSpace.toFixed(0).padStart(9)}  ${String(m.threads).padStart(7)}  ${String(v.clients).padStart(7)}  ${cpuSeconds(pid).toFixed(0).padStart(5)}  ${v.lagP99.toFixed(0).padStart(7)}`,
    );
    return m.rss;
  };
  try {
    console.log(`server pid ${pid}: ${NODES} nodes / 30 s, ${RATE} events/s, ${INCIDENTS} incidents seeded; ${SESSIONS} sessions of ${DWELL_S} s; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
    console.log("    time  RSS MB  anon MB  file MB  heap MB  V8 total  external MB  new space  threads  clients  cpu s  lag p99 ms");
    await line("started");
    await seedNodes(base, key, NODES);
    await openIncidents(base, key, INCIDENTS);
    console.log(`  seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${await activeIncidents(base, key)} active incidents`);
    const seeded = await line("seeded");
    if (cdp) await snapshot(cdp, path.join(SNAP_DIR!, "server-seeded.heapsnapshot"));
    const start = Date.now();
    drivers.push(heartbeatDriver(base, key, NODES, new Set()), eventDriver(base, key, RATE));
    const sessions = (async () => {
      for (let s = 1; s <= SESSIONS; s++) {
        const r = await session(base, DWELL_S * 1000);
        console.log(`  session ${s}: document ${(r.docBytes / 1024).toFixed(0)} KB, ${r.items} live items in ${DWELL_S} s`);
      }
    })();
    const rss: number[] = [];
    for (let t = EVERY; t <= SECONDS; t += EVERY) {
      await sleep(start + t * 1000 - Date.now());
      rss.push(await line(`${t} s`));
    }
    await sessions;
    await Promise.all(drivers.splice(0).map((d) => d.stop()));
    await sleep(2000);
    const end = await line("stopped");
    console.log(`RSS: seeded ${seeded.toFixed(0)} MB, under load highest ${Math.max(...rss).toFixed(0)} MB, last ${rss[rss.length - 1].toFixed(0)} MB, load stopped ${end.toFixed(0)} MB`);
    if (cdp) await snapshot(cdp, path.join(SNAP_DIR!, "server-end.heapsnapshot"));
  } finally {
    await Promise.all(drivers.map((d) => d.stop()));
    cdp?.close();
    await stopServer(server.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
