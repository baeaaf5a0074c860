// What the server's memory holds under the demo, without a browser or HTTP: the core on a file
// database in a temp directory, the demo simulator ticked by hand on a manual clock (--tick ms of
// demo time per tick, 100 as in the wall soak's 10x clock), as fast as the CPU allows. Every
// simulated --every minutes it prints, after a full GC: V8 heap used, external memory, RSS, RSS
// outside V8 (SQLite's page cache and the allocator), the database's size, the hub's replay items
// held and the active incidents. Run it twice with a different --replay (the hub's ring per stream)
// or --cache (SQLite page cache in MiB) to see each one's share.
// Usage: node --expose-gc --import tsx bench/server-growth.ts [--minutes 30] [--every 3] [--tick 100] [--replay 20000] [--cache 64]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { createCore } from "../server/core";
import { manualClock } from "../server/clock";
import { Hub } from "../server/live/hub";
import { Simulator } from "../server/simulator/simulator";
import { STREAMS } from "../lib/contracts/live";
import { flag } from "./support";

const MINUTES = flag("minutes", 30);
const EVERY = flag("every", 3);
const TICK_MS = Math.floor(flag("tick", 100));
const REPLAY = Math.floor(flag("replay", 20_000));
const CACHE_MIB = Math.floor(flag("cache", 64));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc --import tsx bench/server-growth.ts");
const mb = (b: number) => (b / 1048576).toFixed(1);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-growth-"));
const handle = openDatabase(dir);
handle.sqlite.pragma(`cache_size = -${CACHE_MIB * 1024}`);
const clock = manualClock(Date.now());
const hub = new Hub({ capacity: REPLAY });
const core = createCore(handle, { clock, hub, access: { secret: "growth-bench-secret-growth-bench-0123", publicUrl: "http://127.0.0.1:3000" } });
const sim = new Simulator(core, { tickMs: TICK_MS });

console.log(`server growth: ${MINUTES} min of a ${TICK_MS} ms demo tick, replay ${REPLAY} per stream, SQLite cache ${CACHE_MIB} MiB`);
console.log("minute  heap MB  external MB  RSS MB  RSS-V8 MB  db MB  replay items  active incidents  cpu s");
const ticksPerMinute = 60_000 / TICK_MS;
const cpu0 = process.cpuUsage();
for (let minute = 0; minute <= MINUTES; minute += EVERY) {
  if (minute > 0) {
    for (let t = 0; t < EVERY * ticksPerMinute; t++) {
      clock.advance(TICK_MS);
      sim.tick();
      hub.flush();
      // let the core's setImmediate work run (the notifications observer drains its queue so)
      await new Promise((r) => setImmediate(r));
    }
  }
  gc();
  const m = process.memoryUsage();
  const db = ["vigil.db", "vigil.db-wal"].reduce((s, f) => s + (fs.existsSync(path.join(dir, f)) ? fs.statSync(path.join(dir, f)).size : 0), 0);
  const replay = STREAMS.reduce((s, st) => s + Math.min(REPLAY, hub.head(st)), 0);
  const active = core.incidentsSnapshot({ status: "active", limit: 1 }).total;
  const cpu = process.cpuUsage(cpu0);
  if (process.env.GROWTH_SNAPSHOTS) (await import("node:v8")).writeHeapSnapshot(path.join(process.env.GROWTH_SNAPSHOTS, `growth-${minute}.heapsnapshot`));
  console.log(
    `${String(minute).padStart(6)}  ${mb(m.heapUsed).padStart(7)}  ${mb(m.external).padStart(11)}  ${mb(m.rss).padStart(6)}  ${mb(m.rss - m.heapTotal - m.external).padStart(9)}  ${mb(db).padStart(5)}  ${String(replay).padStart(12)}  ${String(active).padStart(16)}  ${((cpu.user + cpu.system) / 1e6).toFixed(1).padStart(5)}`,
  );
}
// the core's timers (notifications, sweeps) would run against a closed database: leave at once
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
