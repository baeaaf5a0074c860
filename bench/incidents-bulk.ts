// npx tsx bench/incidents-bulk.ts [--incidents 10000] [--runs 5]
// Bulk actions on a real SQLite file: N open incidents acknowledged by filter, then resolved by ids,
// each one transaction through the core (permission per incident, timeline entry each, one audit
// entry, live deltas). Prints the time of each action (median of the runs) and the list query.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { createCore } from "../server/core";
import { IncidentService } from "../server/incidents/service";
import { manualClock } from "../server/clock";
import { Hub } from "../server/live/hub";
import { personOf } from "../server/test-support/core";
import { flag } from "./support";

const N = flag("incidents", 10_000);
const RUNS = flag("runs", 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

async function once() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-bulk-"));
  const handle = openDatabase(path.join(dir, "vigil.db"));
  const clock = manualClock(Date.now());
  const hub = new Hub();
  const core = createCore(handle, { clock, hub, access: { secret: "bench-secret-bench-secret-bench-secret-01", publicUrl: "http://vigil.test:3000" } });
  const service = new IncidentService(handle.db, clock);
  const t = clock.now();
  handle.sqlite.transaction(() => {
    for (let i = 0; i < N; i++) {
      service.record({ rule: i % 2 ? "brute_force" : "ids_priority", entity: `198.51.${i >> 8}.${i & 255}`, pane: "security", title: `incident ${i}`, severity: i % 5 ? "high" : "critical", time: t - i, increment: 1 });
    }
  })();
  const who = personOf("analyst", "ana@bank.test");
  let s = performance.now();
  let c = process.cpuUsage();
  const ack = core.bulkIncidents({ action: "acknowledge", filter: { status: "open" } }, who);
  const ackMs = performance.now() - s;
  const ackCpu = cpuMs(c);
  if ("forbidden" in ack || ack.succeeded !== N) throw new Error(`acknowledged ${JSON.stringify(ack).slice(0, 200)}`);
  const ids = core.incidentsSnapshot({ status: "acknowledged", limit: 500 }).incidents.map((i) => i.id);
  const all = handle.sqlite.prepare(`SELECT id FROM incidents`).all() as { id: number }[];
  s = performance.now();
  c = process.cpuUsage();
  const resolved = core.bulkIncidents({ action: "resolve", ids: all.map((r) => r.id), reason: "duplicate" }, who);
  const resolveMs = performance.now() - s;
  const resolveCpu = cpuMs(c);
  if ("forbidden" in resolved || resolved.succeeded !== N) throw new Error("resolve failed");
  s = performance.now();
  const page = core.incidentsSnapshot({ status: "resolved", limit: 200, severity: ["critical"], q: "incident 1" });
  const listMs = performance.now() - s;
  hub.stop();
  // the notifier reads the deltas after the commit, in slices: let it finish before closing
  // the hub's last deltas read now, as the server's shutdown does (else their slices run after the close)
  core.hub.flush();
  core.notify.observeQueued();
  await core.notify.idle();
  await core.notify.stop();
  handle.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  return { ackMs, ackCpu, resolveMs, resolveCpu, listMs, pageTotal: page.total, sample: ids.length };
}

const runs: Awaited<ReturnType<typeof once>>[] = [];
for (let i = 0; i < RUNS; i++) runs.push(await once());
console.log(`bulk actions on ${N.toLocaleString("en")} incidents, real SQLite file, ${RUNS} runs (median):`);
console.log(`  acknowledge by filter {status: open}: ${median(runs.map((r) => r.ackMs)).toFixed(0)} ms (CPU ${median(runs.map((r) => r.ackCpu)).toFixed(0)} ms)`);
console.log(`  resolve by ${N.toLocaleString("en")} ids:            ${median(runs.map((r) => r.resolveMs)).toFixed(0)} ms (CPU ${median(runs.map((r) => r.resolveCpu)).toFixed(0)} ms)`);
console.log(`  list resolved, severity + text filter: ${median(runs.map((r) => r.listMs)).toFixed(1)} ms (total ${runs[0].pageTotal})`);
