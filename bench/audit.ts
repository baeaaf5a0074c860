// Audit log benchmark: a temp database with 1M chained entries, then the figures that matter for
// "reading the audit log never freezes the server": a list page with the chain state, the cost of
// an append (which moves the checkpoint), the full verification on the worker thread and the main
// thread's event-loop lag while it runs (with list pages and appends going on), and a streamed
// CSV export of everything. The old synchronous walk is timed too, for comparison.
// Usage: npx tsx bench/audit.ts [--entries 1000000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance, type IntervalHistogram } from "node:perf_hooks";
import { openDatabase } from "../db/client";
import { systemClock } from "../server/clock";
import { AuditLog } from "../server/audit/audit-log";
import { auditExportStream } from "../server/audit/audit-export";
import { CHAIN_COLUMNS, entryHash, GENESIS, type ChainRow } from "../server/audit/chain-rule";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}
const ENTRIES = flag("entries", 1_000_000);

/** monitorEventLoopDelay reads about its resolution on an idle loop: the lag is what exceeds it. */
const LAG_RESOLUTION_MS = 1;
const lagMs = (h: IntervalHistogram, p?: number) => Math.max(0, (p === undefined ? h.max : h.percentile(p)) / 1e6 - LAG_RESOLUTION_MS);
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
function quantiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p99: q(0.99), max: s[s.length - 1] };
}
function timeEach(n: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

const ACTIONS = ["sign_in", "sign_in_failed", "role_changed", "key_created", "incident_acknowledged", "setting_changed"];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-audit-"));
const handle = openDatabase(dir);
const { sqlite } = handle;
try {
  // --- fill: prepared inserts in one transaction, hashes computed with the shared rule
  let t = performance.now();
  const insert = sqlite.prepare(`INSERT INTO audit_log (${CHAIN_COLUMNS.replace(/ AS \w+/g, "")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const start = Date.now() - ENTRIES * 1000;
  let prev = GENESIS;
  sqlite.transaction(() => {
    for (let id = 1; id <= ENTRIES; id++) {
      const action = ACTIONS[id % ACTIONS.length];
      const row: ChainRow = {
        id,
        time: start + id * 1000,
        actor: `user${id % 50}@bank.test`,
        action,
        target: action === "sign_in" ? null : `incident ${id}: payment gateway latency`,
        sourceIp: `192.0.2.${id % 250}`,
        before: action === "role_changed" ? `{"role":"viewer"}` : null,
        after: `{"step":"password","n":${id}}`,
        prevHash: prev,
      };
      const hash = entryHash(row);
      insert.run(row.id, row.time, row.actor, row.action, row.target, row.sourceIp, row.before, row.after, row.prevHash, hash);
      prev = hash;
    }
  })();
  const audit = new AuditLog(handle.db, sqlite, systemClock);
  audit.chain.store.advance({ id: ENTRIES, hash: prev }, Date.now());
  console.log(`filled ${ENTRIES.toLocaleString("en")} entries in ${((performance.now() - t) / 1000).toFixed(1)} s (${(fs.statSync(handle.file).size / 1e6).toFixed(0)} MB)`);

  // --- reads: what GET /api/v1/audit does (a page plus the chain state)
  const page = quantiles(timeEach(200, () => (audit.page({ limit: 200 }), audit.chainState())));
  const deep = quantiles(timeEach(200, () => audit.page({ limit: 200, before: Math.floor(ENTRIES / 2) })));
  const byAction = quantiles(timeEach(50, () => audit.page({ action: "key_created", limit: 200, before: Math.floor(ENTRIES / 3) })));
  const byActor = quantiles(timeEach(50, () => audit.page({ actor: "user7@bank.test", limit: 200 })));
  const search = quantiles(timeEach(50, () => audit.page({ text: "no such text anywhere", limit: 200 })));
  console.log(`list page (200) + chain state: p50 ${ms(page.p50)}, p99 ${ms(page.p99)}`);
  console.log(`list page at cursor ${Math.floor(ENTRIES / 2)}: p50 ${ms(deep.p50)}, p99 ${ms(deep.p99)}`);
  console.log(`page filtered by action (indexed): p50 ${ms(byAction.p50)}, p99 ${ms(byAction.p99)}`);
  console.log(`page filtered by actor (scan window): p50 ${ms(byActor.p50)}, p99 ${ms(byActor.p99)}`);
  console.log(`text search with no match (one full scan window): p50 ${ms(search.p50)}, p99 ${ms(search.p99)}`);

  // --- append: insert + checkpoint move in one transaction
  const appends = quantiles(timeEach(2_000, () => audit.append({ actor: "bench@bank.test", action: "setting_changed", target: "require_mfa_all", after: { v: true } })));
  const state = audit.chainState();
  console.log(`append (checkpoint advanced in the same transaction): p50 ${ms(appends.p50)}, p99 ${ms(appends.p99)}; verified through ${state.verified_through} of ${state.head}`);

  // --- full verification on the worker, while the main thread serves pages and appends
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  const duringPages: number[] = [];
  let serving = true;
  const serve = async () => {
    while (serving) {
      const t0 = performance.now();
      audit.page({ limit: 200 });
      audit.chainState();
      duringPages.push(performance.now() - t0);
      if (duringPages.length % 10 === 0) audit.append({ actor: "bench@bank.test", action: "sign_in" });
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  lag.enable();
  t = performance.now();
  audit.chain.startFull();
  const serving$ = serve();
  const done = await audit.chain.whenDone();
  const workerMs = performance.now() - t;
  serving = false;
  await serving$;
  lag.disable();
  const during = quantiles(duringPages);
  console.log(
    `full verification on the worker: ${(workerMs / 1000).toFixed(2)} s, ${done.full.ok ? "intact" : `BROKEN at ${done.full.broken_id}`}, ${done.full.entries} entries`,
  );
  console.log(
    `  main-thread event-loop lag meanwhile: p50 ${ms(lagMs(lag, 50))}, p99 ${ms(lagMs(lag, 99))}, max ${ms(lagMs(lag))}; ${duringPages.length} list pages served, p99 ${ms(during.p99)}`,
  );

  // --- for comparison: the same walk in slices on the main thread (":memory:" fallback) and the old synchronous walk
  const sliceLag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  sliceLag.enable();
  t = performance.now();
  const { verifyInSlices } = await import("../server/audit/full-run");
  await verifyInSlices(sqlite, null, () => undefined);
  const slicesMs = performance.now() - t;
  sliceLag.disable();
  console.log(`full verification in slices on the main thread: ${(slicesMs / 1000).toFixed(2)} s, lag p99 ${ms(lagMs(sliceLag, 99))}, max ${ms(lagMs(sliceLag))}`);
  t = performance.now();
  const sync = audit.verify();
  console.log(`synchronous verify() (CLI; what GET /api/v1/audit used to do): ${((performance.now() - t) / 1000).toFixed(2)} s, ${sync.ok ? "intact" : "broken"}`);

  // --- streamed CSV export of everything
  t = performance.now();
  let bytes = 0;
  let peakHeap = 0;
  const reader = auditExportStream(audit, {}, "csv").getReader();
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    bytes += value.byteLength;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  console.log(`CSV export of the whole log, streamed: ${((performance.now() - t) / 1000).toFixed(2)} s, ${(bytes / 1e6).toFixed(0)} MB, peak heap ${(peakHeap / 1e6).toFixed(0)} MB`);
} finally {
  handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
