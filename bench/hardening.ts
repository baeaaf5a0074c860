// Hardening benchmark (issue 7): a real SQLite file with 100,000 nodes, 1M security events,
// 100,000 incidents and 1M audit entries, then
//   - the pane and API queries (node page, events by severity and time, all incidents sorted, …)
//   - the main thread's event-loop lag while the watchdog sweeps 100,000 silent nodes, the
//     retention prune removes ~300,000 old events, and a full audit verification runs, together.
// Usage: npx tsx bench/hardening.ts [--nodes 100000] [--events 1000000] [--incidents 100000] [--audit 1000000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { openDatabase } from "../db/client";
import { listEvents } from "../db/queries/security";
import { listIncidents } from "../db/queries/incidents";
import { createCore } from "../server/core";
import { Hub } from "../server/live/hub";
import { OffThreadCheckpointer } from "../server/ops/checkpointer";
import { CHAIN_COLUMNS, entryHash, GENESIS, type ChainRow } from "../server/audit/chain-rule";
import { SEVERITIES } from "../lib/contracts/common";
import { EVENT_KINDS } from "../lib/contracts/events";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
  return value;
}
const NODES = flag("nodes", 100_000);
const EVENTS = flag("events", 1_000_000);
const INCIDENTS = flag("incidents", 100_000);
const AUDIT = flag("audit", 1_000_000);
const DAY = 86_400_000;

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
function timeEach(n: number, fn: () => void) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  out.sort((a, b) => a - b);
  return { p50: out[Math.floor(n / 2)], p99: out[Math.min(n - 1, Math.floor(n * 0.99))], max: out[n - 1] };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-hardening-"));
const handle = openDatabase(dir);
const { db, sqlite } = handle;
// as the server does: WAL checkpoints on a worker, not inside commits (server/index.ts)
const checkpointer = OffThreadCheckpointer.start(sqlite, 200);
const core = createCore(handle, { hub: new Hub({ capacity: 1000 }), retentionDays: 7, maxNodes: NODES * 2, access: { secret: "bench-secret-bench-secret-bench-secret-01" } });
const now = Date.now();
console.log(`data: ${dir}`);

try {
  // --- fill
  let t = performance.now();
  for (let i = 0; i < NODES; i += 5000) {
    const items = Array.from({ length: Math.min(5000, NODES - i) }, (_, j) => ({ node: `node-${i + j}`, ok: true, latency_ms: 12, time: now - 60_000 }));
    core.ingestHeartbeats(items, "bench");
  }
  console.log(`${NODES.toLocaleString("en")} nodes registered by heartbeat in ${secs(t)}`);

  t = performance.now();
  const insertEvent = sqlite.prepare(
    `INSERT INTO security_events (time, received_at, kind, severity, source, src_ip, dst_ip, user, signature, message, attributes) VALUES (?, ?, ?, ?, 'bench', ?, '10.0.0.5', ?, ?, ?, NULL)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < EVENTS; i++) {
      // spread over the last 10 days: ~30 % are past the 7-day retention
      const time = now - Math.floor((i / EVENTS) * 10 * DAY);
      const kind = EVENT_KINDS[i % EVENT_KINDS.length];
      insertEvent.run(time, time, kind, SEVERITIES[(i * 7) % 5], `198.51.${(i >> 8) & 255}.${i & 255}`, `user${i % 500}`, kind === "ids_alert" ? `ET SCAN sig ${i % 300}` : null, `event ${i}`);
    }
  })();
  console.log(`${EVENTS.toLocaleString("en")} events in ${secs(t)}`);

  t = performance.now();
  const insertIncident = sqlite.prepare(
    `INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, status, first_seen, last_seen, count, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < INCIDENTS; i++) {
      // 2 % active (brute force from one of the event sources, or a node down), the rest resolved
      const status = i % 50 === 0 ? "open" : i % 50 === 1 ? "acknowledged" : "resolved";
      const pane = i % 3 === 0 ? "network" : "security";
      const rule = pane === "network" ? "node_down" : "brute_force";
      const entity = pane === "network" ? `node-${i % NODES}` : `198.51.${(i >> 8) & 255}.${i & 255}`;
      const last = now - Math.floor((i / INCIDENTS) * 30 * DAY);
      insertIncident.run(`${rule}:${entity}:${status === "resolved" ? i : ""}`, rule, entity, pane, `incident ${i}`, SEVERITIES[i % 5], status, last - 60_000, last);
    }
  })();
  console.log(`${INCIDENTS.toLocaleString("en")} incidents in ${secs(t)}`);

  t = performance.now();
  const insertAudit = sqlite.prepare(`INSERT INTO audit_log (${CHAIN_COLUMNS.replace(/ AS \w+/g, "")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let prev = GENESIS;
  sqlite.transaction(() => {
    for (let id = 1; id <= AUDIT; id++) {
      const row: ChainRow = { id, time: now - (AUDIT - id) * 1000, actor: `user${id % 50}@bank.test`, action: "sign_in", target: null, sourceIp: `192.0.2.${id % 250}`, before: null, after: `{"n":${id}}`, prevHash: prev };
      prev = entryHash(row);
      insertAudit.run(row.id, row.time, row.actor, row.action, row.target, row.sourceIp, row.before, row.after, row.prevHash, prev);
    }
  })();
  core.access.audit.chain.store.advance({ id: AUDIT, hash: prev }, Date.now());
  sqlite.exec("ANALYZE");
  console.log(`${AUDIT.toLocaleString("en")} audit entries in ${secs(t)}; database ${(fs.statSync(handle.file).size / 1e6).toFixed(0)} MB`);

  // --- queries the panes and the API run
  const rows: [string, () => unknown][] = [
    ["GET /api/v1/nodes first page (200, with 30 checks each)", () => core.nodesPage({ limit: 200 })],
    ["GET /api/v1/nodes page deep in (after=50,000)", () => core.nodesPage({ limit: 200, after: Math.floor(NODES / 2) })],
    ["GET /api/v1/nodes?limit=1000 (the pane's page)", () => core.nodesPage({ limit: 1000 })],
    ["events newest 200", () => listEvents(db, { limit: 200 })],
    ["events by severity (high) and time, 200", () => listEvents(db, { severity: ["high"], limit: 200 })],
    ["events by severity (critical) since 24 h", () => listEvents(db, { severity: ["critical"], since: now - DAY, limit: 200 })],
    ["events by kind and time, 200", () => listEvents(db, { kind: ["auth_failure"], limit: 200 })],
    ["incidents status=all sorted, 200", () => listIncidents(db, { status: "all", limit: 200 })],
    ["incidents active sorted, 200", () => listIncidents(db, { status: "active", limit: 200 })],
    ["incidents resolved, network pane, 200", () => listIncidents(db, { status: "resolved", pane: "network", limit: 200 })],
    ["audit page (200) + chain state", () => (core.access.audit.page({ limit: 200 }), core.access.audit.chainState())],
  ];
  console.log("\nquery                                                        p50        p99");
  for (const [name, fn] of rows) {
    const r = timeEach(name.includes("1000") ? 20 : 50, fn);
    console.log(`${name.padEnd(60)} ${ms(r.p50).padStart(9)}  ${ms(r.p99).padStart(9)}`);
  }

  // --- the event loop while the watchdog, the prune and a full audit verification run together
  const lag = monitorEventLoopDelay({ resolution: 1 });
  let longestGap = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const n = performance.now();
    longestGap = Math.max(longestGap, n - last - 1);
    last = n;
  }, 1);
  lag.enable();
  t = performance.now();
  const watchdog = (async () => {
    const t0 = performance.now();
    let accepted = 0;
    for (let i = 0; i < 3; i++) accepted += (await core.sweepSilentNodes(0)).accepted; // three sweeps take every node down
    return `watchdog: 3 sweeps over ${NODES.toLocaleString("en")} silent nodes, ${accepted.toLocaleString("en")} failed checks recorded in ${secs(t0)}`;
  })();
  const prune = (async () => {
    const t0 = performance.now();
    const r = await core.prune();
    return `prune: ${r.events.toLocaleString("en")} events, ${r.heartbeats} heartbeats removed in ${r.batches} batches (slowest ${ms(r.slowest_batch_ms)}), ${r.kept_for_incidents} kept as evidence, ${secs(t0)}`;
  })();
  const verification = (async () => {
    const t0 = performance.now();
    core.access.audit.chain.startFull();
    const done = await core.access.audit.chain.whenDone();
    return `full audit verification (worker): ${done.full.entries?.toLocaleString("en")} entries, ${done.full.ok ? "intact" : "BROKEN"}, ${secs(t0)}`;
  })();
  const results = await Promise.all([watchdog, prune, verification]);
  lag.disable();
  clearInterval(ticker);
  console.log(`\nall three together in ${secs(t)}:`);
  for (const r of results) console.log(`  ${r}`);
  const lagMs = (p: number) => Math.max(0, lag.percentile(p) / 1e6 - 1);
  console.log(`  event-loop lag: p50 ${ms(lagMs(50))}, p99 ${ms(lagMs(99))}, max ${ms(Math.max(0, lag.max / 1e6 - 1))}; longest gap between 1 ms ticks ${ms(longestGap)}`);
  const open = sqlite.prepare(`SELECT count(*) AS n FROM incidents WHERE status <> 'resolved'`).get() as { n: number };
  console.log(`  afterwards: ${open.n.toLocaleString("en")} active incidents; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
} finally {
  await checkpointer?.stop();
  handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
