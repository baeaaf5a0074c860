// What warming the detection windows at start costs (server/security/warm.ts): a store with
// --failures auth failures (default 100,000) from --sources sources (default 2,000, brute-forcing
// at once) over the last hour, stored through the real ingest on a SQLite file; then Vigil's core
// is started on it in a fresh process, with the replay (VIGIL_WARM_ROWS default) and without it
// (0), --rounds times each. Printed per start: createCore's wall time, the replay's own time and
// rows, the start's CPU time (what to read on a loaded machine), heap and RSS growth over the start, and what the first batch after the start opens
// (a last failure from each of 200 sources whose brute force was below the threshold).
// Usage: npx tsx bench/warm-windows.ts [--failures 100000] [--sources 2000] [--rounds 3] [--warm-rows 200000]
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { manualClock } from "../server/clock";
import { createCore } from "../server/core";
import { DEFAULT_WARM_ROWS } from "../server/security/warm";
import { flag, root } from "./support";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const SECRET = "bench-secret-bench-secret-bench-secret-0";
const BELOW = 200;

const source = (i: number) => `10.${(i >> 8) & 255}.${i & 255}.7`;
const failure = (time: number, src: string, user: string) => ({ kind: "auth_failure" as const, service: "sshd", src_ip: src, user, time });
const USERS = ["root", "admin", "oracle", "ubuntu", "git"];

if (process.argv.includes("--boot")) {
  // one start, in its own process so that nothing is warm from seeding
  const dir = process.argv[process.argv.indexOf("--boot") + 1];
  const warmRows = Number(process.argv[process.argv.indexOf("--rows") + 1]);
  const handle = openDatabase(dir, path.join(root, "db", "migrations"));
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const core = createCore(handle, { clock: manualClock(NOW + 1_000), warmRows, access: { secret: SECRET } });
  const bootMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  global.gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  const rss1 = process.memoryUsage().rss;
  // each of the BELOW quiet sources had 7 failures before the start: its 8th fires only if the windows were warmed
  const t1 = performance.now();
  core.ingestEvents(Array.from({ length: BELOW }, (_, i) => failure(NOW + 500, source(100_000 + i), "root")), "bench");
  const firstBatchMs = performance.now() - t1;
  const opened = handle.sqlite.prepare(`SELECT count(*) FROM incidents WHERE rule = 'brute_force' AND count = 8 AND first_seen = ?`).pluck().get(NOW - 60_000) as number;
  const w = core.warmReport();
  console.log(
    JSON.stringify({ warmRows, bootMs: Math.round(bootMs), bootCpuMs: Math.round((cpu.user + cpu.system) / 1000), warmMs: w.ms, rows: w.rows, dropped: w.dropped, cold: w.cold, heapMB: +((heap1 - heap0) / 2 ** 20).toFixed(1), rssMB: +((rss1 - rss0) / 2 ** 20).toFixed(1), firstBatchMs: Math.round(firstBatchMs), splitBurstsOpened: opened }),
  );
  handle.sqlite.close();
  process.exit(0);
}

const FAILURES = Math.floor(flag("failures", 100_000));
const SOURCES = Math.floor(flag("sources", 2_000));
const ROUNDS = Math.floor(flag("rounds", 3));
const WARM_ROWS = Math.floor(flag("warm-rows", DEFAULT_WARM_ROWS));

// --data DIR: seed there once and keep it (a second run reuses it); default a temporary folder
const kept = process.argv.includes("--data") ? path.resolve(process.argv[process.argv.indexOf("--data") + 1]) : null;
const dir = kept ?? mkdtempSync(path.join(os.tmpdir(), "vigil-bench-warm-"));
try {
  if (!kept || !existsSync(path.join(dir, "vigil.db"))) seed();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const rows of [WARM_ROWS, 0]) {
      // each start on a fresh copy of the seeded store: the first batch after a start writes to it
      const copy = mkdtempSync(path.join(os.tmpdir(), "vigil-bench-warm-boot-"));
      cpSync(path.join(dir, "vigil.db"), path.join(copy, "vigil.db"));
      const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", path.join(root, "bench", "warm-windows.ts"), "--boot", copy, "--rows", String(rows)], { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, VIGIL_LOG_LEVEL: "warn" } }).toString();
      rmSync(copy, { recursive: true, force: true });
      console.log(`round ${round}: ${out.trim().split("\n").pop()}`);
    }
  }
} finally {
  if (!kept) rmSync(dir, { recursive: true, force: true });
}

function seed() {
  const handle = openDatabase(dir, path.join(root, "db", "migrations"));
  const core = createCore(handle, { clock: manualClock(NOW), warmRows: 0, access: { secret: SECRET } });
  const t0 = performance.now();
  // the last hour, in time order, 4,000 to a batch: each source fails every 3600 * SOURCES / FAILURES s
  const BATCH = 4_000;
  for (let from = 0; from < FAILURES; from += BATCH) {
    const n = Math.min(BATCH, FAILURES - from);
    core.ingestEvents(Array.from({ length: n }, (_, k) => failure(NOW - 3_600_000 + Math.floor(((from + k) * 3_600_000) / FAILURES), source((from + k) % SOURCES), USERS[Math.floor((from + k) / SOURCES) % USERS.length])), "bench");
  }
  // BELOW quiet sources, 7 failures each within the last minute: one short of brute_force
  core.ingestEvents(Array.from({ length: BELOW * 7 }, (_, k) => failure(NOW - 60_000 + (k % 7) * 5_000, source(100_000 + Math.floor(k / 7)), "root")), "bench");
  const seedS = (performance.now() - t0) / 1000;
  const stored = handle.sqlite.prepare("SELECT count(*) FROM security_events").pluck().get() as number;
  const incidents = handle.sqlite.prepare("SELECT count(*) FROM incidents").pluck().get() as number;
  handle.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  handle.sqlite.close(); // the last connection: the WAL is folded into vigil.db, which is all a copy needs
  console.log(`seeded ${stored} events (${FAILURES} failures from ${SOURCES} sources over the last hour, ${BELOW} sources 7 failures each in the last minute) in ${seedS.toFixed(1)} s; ${incidents} incidents`);
}
