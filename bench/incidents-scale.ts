// Incident list at scale: 10,000 open incidents through the real ingest path (an in-memory core),
// then the cost of what the console does with them: the first answer (page + true counts + groups),
// a group's further page by cursor, folding a flood of live deltas, and building the list's lines.
// Usage: npx tsx bench/incidents-scale.ts [--incidents 10000]
import { performance } from "node:perf_hooks";
import { testCore, personOf } from "../server/test-support/core";
import { applyIncidents, mergeIncidentPage, type LiveIncidents } from "../lib/live/apply-incidents";
import { incidentItems } from "../components/incidents/incident-items";
import { incidentQuerySchema } from "../lib/contracts/incidents";

const i = process.argv.indexOf("--incidents");
const N = i > 0 ? Number(process.argv[i + 1]) : 10_000;
const T0 = Date.UTC(2026, 10, 21, 11, 0, 0);
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

function time<T>(runs: number, fn: () => T): { ms: number; value: T } {
  const samples: number[] = [];
  let value!: T;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    value = fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], value };
}

const { core, drain } = testCore();
let t = performance.now();
for (let from = 0; from < N; from += 500) {
  const events = [];
  for (let n = from; n < Math.min(N, from + 500); n++) for (let k = 0; k < 10; k++) events.push({ kind: "auth_failure", src_ip: ip(n), user: "root", time: T0 + n + k });
  core.ingestEvents(events, "bench");
}
drain("incidents");
console.log(`ingest: ${N} brute-force incidents from ${N * 10} events in ${(performance.now() - t).toFixed(0)} ms`);

const first = time(30, () => core.incidentsSnapshot(incidentQuerySchema.parse({ status: "active" })));
console.log(`first answer (200 rows, total, counts, groups): median ${first.ms.toFixed(2)} ms, ${JSON.stringify(first.value).length} bytes, total ${first.value.total}`);
const cursor = first.value.next_before!;
const page = time(30, () => core.incidentsSnapshot(incidentQuerySchema.parse({ status: "active", rule: "brute_force", pane: "security", before: cursor })));
console.log(`a group's next page by cursor: median ${page.ms.toFixed(2)} ms`);

// a live flood: 500 new incidents and 500 repeat hits on incidents the browser does not hold
let live: LiveIncidents = first.value;
const extra = [];
for (let n = N; n < N + 500; n++) for (let k = 0; k < 10; k++) extra.push({ kind: "auth_failure", src_ip: ip(n), user: "root", time: T0 + 20_000 + k });
for (let n = 0; n < 500; n++) extra.push({ kind: "auth_failure", src_ip: ip(n), user: "root", time: T0 + 30_000 });
core.ingestEvents(extra, "bench");
const deltas = drain("incidents");
t = performance.now();
live = applyIncidents(live, deltas);
console.log(`fold ${deltas.length} deltas into the live list: ${(performance.now() - t).toFixed(2)} ms; counts open ${live.counts.open} (server: ${core.incidentsSnapshot({ status: "active", limit: 1 }).counts.open}), unsure ${!!live.unsure}`);

// the browser holding every incident (a group scrolled to its end), then one acknowledgement
let before: string | null = live.next_before;
while (before) {
  const p = core.incidentsSnapshot(incidentQuerySchema.parse({ status: "active", before }));
  live = mergeIncidentPage(live, p.incidents);
  before = p.next_before;
}
const target = live.incidents[live.incidents.length - 1];
core.acknowledgeIncident(target.id, personOf("analyst"));
const ack = drain("incidents");
const fold1 = time(20, () => applyIncidents(live, ack));
console.log(`fold one acknowledgement into a list holding ${live.incidents.length} incidents: median ${fold1.ms.toFixed(2)} ms`);
const lines = time(20, () => incidentItems(live, new Set(["security/brute_force"])));
console.log(`build the list's lines (grouped, the group expanded, ${lines.value.items.length} lines): median ${lines.ms.toFixed(2)} ms`);
