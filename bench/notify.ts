// npx tsx bench/notify.ts [--incidents 5000] [--endpoints 2]
// Notifications on a real SQLite file: what the hub's flush costs when it carries incident
// transitions (N opens, N growth deltas with no transition, N acknowledgements by one bulk action),
// each × E subscribed endpoints written to the outbox in slices, and the longest the event loop was
// held meanwhile; then the worker delivering every row to a
// local receiver that answers 200 (8 at once, 2 per endpoint), with the event loop's delay meanwhile.
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { openDatabase } from "../db/client";
import { createCore } from "../server/core";
import { IncidentService } from "../server/incidents/service";
import { systemClock } from "../server/clock";
import { Hub } from "../server/live/hub";
import { OffThreadCheckpointer } from "../server/ops/checkpointer";
import { personOf } from "../server/test-support/core";
import { endpointInputSchema } from "../lib/contracts/notify";
import type { Incident } from "../lib/contracts/incidents";
import { flag } from "./support";

const N = flag("incidents", 5_000);
const E = flag("endpoints", 2);

async function main() {
  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as { port: number }).port;

  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-notify-"));
  const handle = openDatabase(dir);
  // as the server runs: WAL checkpoints on a worker, not inside whichever commit crosses the threshold
  const checkpointer = OffThreadCheckpointer.start(handle.sqlite, 200);
  const hub = new Hub();
  const core = createCore(handle, { clock: systemClock, hub, access: { secret: "bench-secret-bench-secret-bench-secret-01", publicUrl: "http://vigil.test:3000" } });
  const admin = personOf("admin");
  for (let e = 0; e < E; e++) core.notify.endpoints.create(endpointInputSchema.parse({ name: `receiver ${e}`, url: `http://127.0.0.1:${port}/hook/${e}` }), admin);
  hub.onBatch(() => {}); // the socket layer's place
  /** The flush, then the observer's slices until every delta is read: total time and the longest the event loop was held. */
  const timedFlush = async () => {
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const s = performance.now();
    hub.flush();
    while (core.notify.stats().queued > 0) await new Promise((r) => setImmediate(r));
    const ms = performance.now() - s;
    lag.disable();
    return { ms, held: lag.max / 1e6 };
  };

  const service = new IncidentService(handle.db, systemClock);
  const t = Date.now();
  const opened: Incident[] = handle.sqlite.transaction(() =>
    Array.from({ length: N }, (_, i) => service.record({ rule: "brute_force", entity: `198.51.${i >> 8}.${i & 255}`, pane: "security", title: `incident ${i}`, severity: "high", time: t - i, increment: 1 })),
  )().filter((i): i is Incident => i !== null); // (a silenced detection opens nothing)
  // the hub splits flushes into batches of 2,000 items; each batch is one transaction of the observer
  const batch = async (items: Incident[]) => {
    hub.publish("incidents", items.map((incident) => ({ type: "incident" as const, incident })));
    return timedFlush();
  };
  const fmt = (t: { ms: number; held: number }) => `${t.ms.toFixed(0)} ms, event loop held at most ${t.held.toFixed(1)} ms at a time`;
  const openTimes = await batch(opened);
  console.log(`opens:        ${N} transitions × ${E} endpoints: ${fmt(openTimes)}; outbox pending ${core.notify.stats().pending}`);
  const growTimes = await batch(opened.map((i) => ({ ...i, count: i.count + 1 })));
  console.log(`growth:       ${N} deltas, no transition: ${fmt(growTimes)}`);
  const s = performance.now();
  const ack = core.bulkIncidents({ action: "acknowledge", filter: { status: "open" } }, personOf("analyst", "ana@bank.test"));
  const bulkMs = performance.now() - s;
  const ackFlush = await timedFlush();
  console.log(`acknowledge:  bulk of ${"succeeded" in ack ? ack.succeeded : "?"} in ${bulkMs.toFixed(0)} ms; reading its ${N} transitions: ${fmt(ackFlush)}; outbox pending ${core.notify.stats().pending}`);

  const total = core.notify.stats().pending;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const started = performance.now();
  await core.notify.start();
  while (core.notify.stats().pending > 0) await new Promise((r) => setTimeout(r, 100));
  await core.notify.idle();
  const ms = performance.now() - started;
  lag.disable();
  console.log(`delivery:     ${total} rows to a local 200 receiver in ${(ms / 1000).toFixed(1)} s = ${Math.round(total / (ms / 1000))} deliveries/s (received ${received}); event-loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`);
  await core.notify.stop();
  await checkpointer?.stop();
  handle.close();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
