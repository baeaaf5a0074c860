// The server's memory under an authentication flood from many distinct sources: the core on a file
// database in a temp directory, sshd "Failed password" lines from --sources distinct addresses
// (each failing --per times) posted as syslog in batches of --batch lines, spread over --minutes of
// event time, the hub flushed after each batch as its timer would. After each batch and a full GC
// it prints V8's heap in use, RSS, the hub's replay items held and CPU; at the end, the heap the
// flood left (the auth detections' windows and connections, the replay rings) against the heap
// before it. Run with --replay 1 to see the replay rings' share.
// FLOOD_SPACES=1 also prints V8's heap spaces after each batch; FLOOD_SNAPSHOTS=DIR writes a heap snapshot.
// Usage: node --expose-gc --import tsx bench/auth-flood.ts [--sources 300000] [--per 1] [--batch 50000] [--minutes 60] [--replay 5000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { createCore } from "../server/core";
import { manualClock } from "../server/clock";
import { Hub, DEFAULT_REPLAY_CAPACITY } from "../server/live/hub";
import { STREAMS } from "../lib/contracts/live";
import { flag } from "./support";

const SOURCES = Math.floor(flag("sources", 300_000));
const PER = Math.floor(flag("per", 1));
const BATCH = Math.floor(flag("batch", 50_000));
const MINUTES = flag("minutes", 60);
const REPLAY = Math.floor(flag("replay", DEFAULT_REPLAY_CAPACITY));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc --import tsx bench/auth-flood.ts");
const mb = (b: number) => (b / 1048576).toFixed(1);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-authflood-"));
const handle = openDatabase(dir);
const start = Date.UTC(2026, 10, 30, 12, 0, 0);
const clock = manualClock(start + MINUTES * 60_000 + 60_000);
const hub = new Hub({ capacity: REPLAY });
const core = createCore(handle, { clock, hub, access: { secret: "authflood-bench-secret-authflood-0123", publicUrl: "http://127.0.0.1:3000" } });
const total = SOURCES * PER;
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
const line = (i: number) => {
  const src = i % SOURCES;
  const t = new Date(start + Math.floor((i / total) * MINUTES * 60_000)).toISOString();
  return `${t} bastion sshd[${1000 + (i % 50_000)}]: Failed password for user${i % 997} from ${ip(src)} port ${1024 + (i % 60_000)} ssh2`;
};
const replayItems = () => STREAMS.reduce((s, st) => s + Math.min(REPLAY, hub.head(st)), 0);

gc();
const before = process.memoryUsage();
console.log(`auth flood: ${SOURCES} sources x ${PER} over ${MINUTES} min of event time, batches of ${BATCH}, replay ${REPLAY} per stream`);
console.log(`before: heap ${mb(before.heapUsed)} MB, RSS ${mb(before.rss)} MB`);
console.log("  lines  accepted  heap MB  RSS MB  replay items  cpu s");
const cpu0 = process.cpuUsage();
let accepted = 0;
let peak = 0;
for (let from = 0; from < total; from += BATCH) {
  const lines: string[] = [];
  for (let i = from; i < Math.min(total, from + BATCH); i++) lines.push(line(i));
  const r = core.ingestLog("syslog", new TextEncoder().encode(lines.join("\n")), "text/plain");
  lines.length = 0; // the batch's own text is not what the server holds
  accepted += r.accepted;
  hub.flush();
  await new Promise((r) => setImmediate(r));
  gc();
  gc(); // a second pass: the batch's events die with the first, their WeakMap entries with the second
  const m = process.memoryUsage();
  peak = Math.max(peak, m.heapUsed);
  if (process.env.FLOOD_SPACES) console.log((await import("node:v8")).getHeapSpaceStatistics().map((x) => `${x.space_name} ${(x.space_used_size / 1048576).toFixed(1)}`).join(", "));
  const cpu = process.cpuUsage(cpu0);
  if (process.env.FLOOD_SNAPSHOTS) (await import("node:v8")).writeHeapSnapshot(path.join(process.env.FLOOD_SNAPSHOTS, `flood-${from + BATCH}.heapsnapshot`));
  console.log(`${String(Math.min(total, from + BATCH)).padStart(7)}  ${String(accepted).padStart(8)}  ${mb(m.heapUsed).padStart(7)}  ${mb(m.rss).padStart(6)}  ${String(replayItems()).padStart(12)}  ${((cpu.user + cpu.system) / 1e6).toFixed(1).padStart(5)}`);
}
const after = process.memoryUsage();
console.log(`flood held: heap +${mb(after.heapUsed - before.heapUsed)} MB after GC (highest +${mb(peak - before.heapUsed)} MB), ${Math.round((after.heapUsed - before.heapUsed) / total)} bytes a line`);
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
