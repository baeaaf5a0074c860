// A storm found by probes one node at a time (issue 10 "Storms", issue 8 "Floods collapse"): N
// managed nodes, then M of them failing one after another, each its own commit, as probes find
// them. Prints the server's time and CPU for the storm, the incident deltas it published and their
// JSON size (what every open console receives and the replay ring holds), and the storm's timeline.
// In process on an in-memory database; nothing is sent anywhere.
// Usage: npx tsx bench/storm-deltas.ts [nodes 1000] [storm 500]
import { testCore, personOf } from "../server/test-support/core";
import { fakeTimers } from "../server/test-support/fake-timers";
import { listedDelta } from "../server/live/hub";
import { nodeInputSchema } from "../server/network/definition";
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const timers = fakeTimers(T0);
const t = testCore({ clock: timers, network: { timers, configFile: null, watchConfig: false, maintenanceTickMs: 3_600_000 } });
const noc = personOf("noc");
const N = Number(process.argv[2] ?? 1000), STORM = Number(process.argv[3] ?? 500);
for (let i = 0; i < N; i++) t.core.createNode(nodeInputSchema.parse({ id: `n${i}`, failures_before_down: 1, successes_before_up: 1 }), noc);
await t.core.startNetwork();
let at = T0;
for (let i = 0; i < N; i++) t.core.ingestHeartbeats([{ node: `n${i}`, ok: true, time: at, latency_ms: 5 }], "api");
t.drain("incidents"); t.drain("network");
const t0 = performance.now(); const c0 = process.cpuUsage();
for (let i = 0; i < STORM; i++) { at += 50; t.core.ingestHeartbeats([{ node: `n${i}`, ok: false, time: at }], "api"); }
const ms = performance.now() - t0; const cpu = process.cpuUsage(c0);
const items = t.drain("incidents");
const bytes = items.reduce((s, x) => s + JSON.stringify(x).length, 0);
// what each open console is sent (server/live/socket.ts) and a reconnecting one replayed
const sent = items.reduce((s, x) => s + JSON.stringify(listedDelta("incidents", x)).length, 0);
console.log(`${STORM} nodes down one by one: ${ms.toFixed(0)} ms (${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU); incident deltas ${items.length}: ${(sent / 1e6).toFixed(2)} MB of JSON to each console (${(bytes / 1e6).toFixed(2)} MB whole, as the notifier reads them); incidents ${t.core.incidentsSnapshot({ status: "active", limit: 10 }).total}`);
const storm = t.core.incidentsSnapshot({ status: "active", limit: 10 }).incidents[0];
console.log(storm.title, "timeline", t.core.incident(storm.id)!.timeline.length);
await t.core.stopNetwork();
