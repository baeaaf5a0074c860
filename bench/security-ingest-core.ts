// Security ingest in process (issue 9): the same uploads as bench/security-ingest.ts, handed
// straight to core.ingestLog on a file database in WAL mode as the server opens it, without HTTP.
// What it prints is the cost of parse + store + detect alone: CPU-seconds per 100,000 events and
// the events/s one core would reach. Run under `node --cpu-prof` to see where that time goes.
// Usage: npx tsx bench/security-ingest-core.ts [--uploads 40] [--batch 4000] [--phase suricata,suricata-payload,fast,syslog,transactions,mixed]
//        (suricata-payload: EVE alerts with base64 payload and packet, one in 100 holding a card number)
//        (--phase eve|both as before: suricata | suricata,mixed; default suricata,mixed)
//        (bundled, for a profile with true function names and lines:)
//        npx esbuild bench/security-ingest-core.ts --bundle --platform=node --format=esm --packages=external --outfile=.next/bench/core.mjs
//        node --cpu-prof --cpu-prof-dir=/tmp/prof .next/bench/core.mjs --phase eve
//        --parse-worker: as the server's HTTP routes do, uploads parsed on a ParsePool worker (3 in
//        flight) while this thread stores; then the event loop's own CPU per 100,000 events is
//        printed too (from /proc, the main thread alone), the figure that bounds events/s
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { createCore } from "../server/core";
import { OffThreadCheckpointer } from "../server/ops/checkpointer";
import { ParsePool } from "../server/security/parse-pool";
import { flag } from "./support";
import type { LogIngestResult } from "../server/security/result";
import { eveAlertWithPayload, FORMATS, upload, type BenchFormat } from "./security-lines";

const UPLOADS = Math.floor(flag("uploads", 40));
const BATCH = Math.floor(flag("batch", 4000));
const asked = process.argv.includes("--phase") ? process.argv[process.argv.indexOf("--phase") + 1] : "both";
const which = (asked === "both" ? "suricata,mixed" : asked === "eve" ? "suricata" : asked).split(",");

const dataDir = mkdtempSync(path.join(os.tmpdir(), "vigil-bench-core-"));
// from the project folder (cwd), so that a bundle of this file finds the migrations too
const handle = openDatabase(dataDir, path.resolve("db", "migrations"));
// --pragma "cache_size = -65536": try a setting on top of what openDatabase sets
for (let i = process.argv.indexOf("--pragma"); i > 0; i = process.argv.indexOf("--pragma", i + 1)) handle.sqlite.pragma(process.argv[i + 1]);
// WAL checkpoints on a worker, as the server runs them (server/index.ts)
const checkpointer = OffThreadCheckpointer.start(handle.sqlite, 200);
const PARSE_WORKER = process.argv.includes("--parse-worker");
const parsePool = PARSE_WORKER ? new ParsePool() : undefined;
const core = createCore(handle, { parsePool, access: { secret: "bench-secret-bench-secret-bench-secret-0", publicUrl: "http://127.0.0.1:3000" } });
// --statements: time and count every prepared statement's run/get/all (the figures printed per phase)
const stmtStats = new Map<string, { n: number; ms: number }>();
if (process.argv.includes("--statements")) {
  const proto = Object.getPrototypeOf(handle.sqlite.prepare("SELECT 1")) as Record<string, unknown>;
  for (const method of ["run", "get", "all"]) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const key = this.source.replace(/\s+/g, " ").slice(0, 90);
        const s = stmtStats.get(key) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += performance.now() - t;
        stmtStats.set(key, s);
      }
    };
  }
}

// the live hub buffers deltas until a socket flushes them: drain it as the server's flush timer would
const flush = () => core.hub.flush();

/** CPU seconds of this process's main thread alone (the event loop), from /proc. */
function mainThreadCpu(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function phase(name: string, body: (i: number, now: number) => { format: BenchFormat; text: string }) {
  // the uploads are made before the clock starts (only the server's share is timed), stamped as a
  // sensor writing 40,000 lines/s would stamp them, ending now
  const start = Date.now() - (UPLOADS * BATCH) / 40;
  const uploads = Array.from({ length: UPLOADS }, (_, i) => body(i, start + (i * BATCH) / 40)).map((u) => ({ format: u.format, type: FORMATS[u.format].type, bytes: Buffer.from(u.text) }));
  let accepted = 0;
  if (parsePool) await parsePool.parse("syslog", Buffer.from("warm-up"), "text/plain", { now: Date.now() });
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const t0 = performance.now();
  const times: number[] = [];
  const done = (r: LogIngestResult, t: number) => {
    times.push(performance.now() - t);
    if (r.rejected_total) throw new Error(`rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
    accepted += r.accepted;
    flush();
  };
  if (parsePool) {
    let next = 0;
    const lane = async () => {
      while (next < uploads.length) {
        const u = uploads[next++];
        const t = performance.now();
        done(await core.ingestLogAsync(u.format, u.bytes, u.type), t);
      }
    };
    await Promise.all([lane(), lane(), lane()]);
  } else {
    for (const u of uploads) {
      const t = performance.now();
      done(core.ingestLog(u.format, u.bytes, u.type), t);
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const mainSecs = mainThreadCpu() - main0;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  times.sort((a, b) => a - b);
  for (const [sql, s] of [...stmtStats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
    console.log(`  ${s.ms.toFixed(0).padStart(6)} ms ${String(s.n).padStart(8)}× ${((s.ms * 1000) / s.n).toFixed(1).padStart(6)} µs  ${sql}`);
  }
  stmtStats.clear();
  console.log(
    `${name}: ${accepted.toLocaleString("en")} events in ${secs.toFixed(2)} s = ${Math.round(accepted / secs).toLocaleString("en")} events/s; ` +
      `${((cpuSecs / accepted) * 100_000).toFixed(2)} CPU-s per 100,000 events (main thread ${((mainSecs / accepted) * 100_000).toFixed(2)}); upload of ${BATCH} p50 ${times[times.length >> 1].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`,
  );
}

try {
  console.log(`${UPLOADS} uploads of ${BATCH} lines per phase, in process`);
  const names: Record<string, string> = { suricata: "EVE alerts only", fast: "fast.log alerts only", syslog: "sshd failures from 2,000 sources only", transactions: "payment transactions (NDJSON) only" };
  for (const name of which) {
    if (name === "mixed") {
      await phase("EVE alerts + 2,000 sources brute-forcing sshd", (i, now) =>
        i % 2 === 0 ? { format: "suricata", text: upload(BATCH, FORMATS.suricata.make, now) } : { format: "syslog", text: upload(BATCH, FORMATS.syslog.make, now) },
      );
    } else if (name === "suricata-payload") {
      await phase("EVE alerts with payload and packet (base64)", (_, now) => ({ format: "suricata", text: upload(BATCH, eveAlertWithPayload, now) }));
    } else if (name in FORMATS) {
      const format = name as BenchFormat;
      await phase(names[format], (_, now) => ({ format, text: upload(BATCH, FORMATS[format].make, now) }));
    } else throw new Error(`--phase: unknown phase ${name}`);
  }
  const active = handle.sqlite.prepare(`SELECT rule, count(*) AS n FROM incidents WHERE status <> 'resolved' GROUP BY rule ORDER BY n DESC`).all();
  console.log(`active incidents by rule: ${JSON.stringify(active)}`);
} finally {
  // the hub's last deltas read now, as the server's shutdown does (else their slices run after the close)
  core.hub.flush();
  core.notify.observeQueued();
  await core.notify.idle();
  await core.notify.stop();
  await parsePool?.stop();
  await checkpointer?.stop();
  handle.close();
  rmSync(dataDir, { recursive: true, force: true });
}
