// Network pane first-load benchmark (issue 8): a real SQLite file with N nodes, each with 30
// checks (latencies, some failures, a share of nodes down or degraded), then the size of
//   GET /api/v1/network/summary (the pane's first load: counts + worst tiles with a 20-point sparkline)
// against the old first load, GET /api/v1/nodes?limit=1000 (30 full check objects per node), and
// the server time of each, plus a node's detail (GET /api/v1/nodes/:id).
// With tags (site, tier, owner) and parents on the nodes unless --untagged, and the group counts
// the pane asks for when the summary is truncated (?group=site).
// Usage: npx tsx bench/network-payload.ts [--nodes 1000,10000] [--checks 30] [--untagged]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../db/client";
import { createCore } from "../server/core";
import { Hub } from "../server/live/hub";

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}
const SIZES = flag("nodes", "1000,10000").split(",").map(Number);
const CHECKS = Number(flag("checks", "30"));
/** give the nodes tags and parents (as the pane's grouping and topology read them); `--untagged` leaves them bare */
const TAGGED = !process.argv.includes("--untagged");

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
function time(n: number, fn: () => unknown) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  out.sort((a, b) => a - b);
  return { p50: out[Math.floor(n / 2)], max: out[n - 1] };
}

for (const size of SIZES) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-network-"));
  const handle = openDatabase(dir);
  const core = createCore(handle, { hub: new Hub({ capacity: 1000 }), maxNodes: size * 2, access: { secret: "bench-secret-bench-secret-bench-secret-01" } });
  const now = Date.now();
  let t = performance.now();
  // CHECKS rounds of one heartbeat per node, 30 s apart; 5 % of nodes fail their last 3 (down), 3 % are slow
  for (let round = 0; round < CHECKS; round++) {
    const items = Array.from({ length: size }, (_, i) => {
      const failing = i % 20 === 7 && round >= CHECKS - 3;
      return { node: `node-${String(i).padStart(6, "0")}`, ok: !failing, latency_ms: failing ? undefined : 5 + ((i * 7 + round * 13) % 90) + Math.random(), time: now - (CHECKS - round) * 30_000 };
    });
    for (let i = 0; i < items.length; i += 5000) core.ingestHeartbeats(items.slice(i, i + 5000), "bench");
  }
  handle.sqlite.exec("ANALYZE");
  console.log(`\n${size.toLocaleString("en")} nodes × ${CHECKS} checks stored in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  if (TAGGED) {
    // what a real fleet carries: site, tier and owner tags, and a parent for most nodes (20 routers, 10 sites)
    handle.sqlite
      .prepare(
        `UPDATE nodes SET tags = json_object('site', 'site-' || (id % 10), 'tier', CASE WHEN id <= 20 THEN 'edge' ELSE 'app' END, 'owner', 'team-' || (id % 7)),
         parent_id = CASE WHEN id <= 20 THEN NULL ELSE 1 + (id % 20) END`,
      )
      .run();
    console.log("tagged: site, tier, owner on every node; a parent on every node past the first 20");
  }
  const summary = core.networkSummary({ limit: 2000 });
  const summaryAll = core.networkSummary({ limit: 10_000 });
  const page = core.nodesPage({ limit: 1000 });
  const rows: [string, () => unknown, unknown][] = [
    [`GET /api/v1/network/summary (default: ${summary.nodes.length} tiles)`, () => core.networkSummary({ limit: 2000 }), summary],
    [`GET /api/v1/network/summary?limit=10000 (${summaryAll.nodes.length} tiles)`, () => core.networkSummary({ limit: 10_000 }), summaryAll],
    [`GET /api/v1/network/summary?status=down`, () => core.networkSummary({ limit: 2000, status: "down" }), core.networkSummary({ limit: 2000, status: "down" })],
    [`GET /api/v1/network/summary?q=node-0001`, () => core.networkSummary({ limit: 2000, q: "node-0001" }), core.networkSummary({ limit: 2000, q: "node-0001" })],
    [`GET /api/v1/network/summary?group=site&limit=1 (group counts)`, () => core.networkSummary({ limit: 1, group: "site" }), core.networkSummary({ limit: 1, group: "site" })],
    [`old first load: GET /api/v1/nodes?limit=1000 (${page.nodes.length} nodes, 30 checks each)`, () => core.nodesPage({ limit: 1000 }), page],
    [`GET /api/v1/nodes/:id (60 checks)`, () => core.node(1, { checks: 60 }), core.node(1, { checks: 60 })],
  ];
  console.log(`counts ${JSON.stringify(summary.counts)}, total ${summary.total}, truncated ${summary.truncated}`);
  console.log(`${"answer".padEnd(72)} ${"JSON".padStart(10)} ${"gzip".padStart(10)} ${"p50".padStart(9)} ${"max".padStart(9)}`);
  for (const [name, fn, answer] of rows) {
    const json = JSON.stringify(answer);
    const r = time(name.includes("limit=10000") || name.includes("old") ? 5 : 15, fn);
    console.log(`${name.padEnd(72)} ${kb(Buffer.byteLength(json)).padStart(10)} ${kb(gzipSync(json).length).padStart(10)} ${ms(r.p50).padStart(9)} ${ms(r.max).padStart(9)}`);
  }
  handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
