// Security ingest, this checkout against another (issue 9): one process loads both cores, each on
// its own file database, and hands them the same uploads in alternation, so whatever else runs on
// the machine slows both alike. Prints CPU-seconds per 100,000 events for each: on a shared
// 2-core machine, where separate runs of the other benches vary by ±20 %, the figure to compare.
// The other checkout needs its own node_modules (a hard-linked copy is enough), e.g.:
//   mkdir /tmp/base && git archive main | tar -x -C /tmp/base && cp -al node_modules /tmp/base/
// Usage: npx tsx bench/security-ingest-ab.ts --base /tmp/base [--uploads 40] [--batch 4000] [--phase eve|suricata|fast|syslog|transactions|mixed]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { flag, root } from "./support";
import { FORMATS, upload, type BenchFormat } from "./security-lines";

const UPLOADS = Math.floor(flag("uploads", 40));
const BATCH = Math.floor(flag("batch", 4000));
const arg = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const base = arg("base");
const asked = arg("phase") ?? "eve";
const phase = asked === "eve" ? "suricata" : asked;
if (phase !== "mixed" && !(phase in FORMATS)) throw new Error(`--phase: unknown phase ${asked}`);
if (!base) throw new Error("--base DIR: the checkout to compare with");

interface Side {
  name: string;
  dir: string;
  handle: { close(): void };
  core: { ingestLog(format: string, bytes: Uint8Array, type: string | null): { accepted: number }; hub: { flush(): void } };
  cpuMicros: number;
  events: number;
}

async function side(name: string, checkout: string): Promise<Side> {
  const url = (file: string) => pathToFileURL(path.join(checkout, file)).href;
  const { openDatabase } = await import(url("db/client.ts"));
  const { createCore } = await import(url("server/core.ts"));
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-bench-ab-"));
  const handle = openDatabase(dir, path.join(checkout, "db", "migrations"));
  const core = createCore(handle, { access: { secret: "bench-secret-bench-secret-bench-secret-0", publicUrl: "http://127.0.0.1:3000" } });
  return { name, dir, handle, core, cpuMicros: 0, events: 0 };
}

const sides = [await side("this checkout", root), await side(`base (${base})`, path.resolve(base))];
try {
  // stamped as a sensor writing 40,000 lines/s would stamp them, ending now
  const start = Date.now() - (UPLOADS * BATCH) / 40;
  for (let i = 0; i < UPLOADS; i++) {
    const format: BenchFormat = phase === "mixed" ? (i % 2 === 1 ? "syslog" : "suricata") : (phase as BenchFormat);
    const bytes = Buffer.from(upload(BATCH, FORMATS[format].make, start + (i * BATCH) / 40));
    // each goes first every other upload
    for (const s of i % 2 ? [...sides].reverse() : sides) {
      const cpu = process.cpuUsage();
      s.events += s.core.ingestLog(format, bytes, FORMATS[format].type).accepted;
      s.core.hub.flush();
      const used = process.cpuUsage(cpu);
      s.cpuMicros += used.user + used.system;
    }
  }
  console.log(`${UPLOADS} uploads of ${BATCH} ${phase === "mixed" ? "EVE alerts and sshd failures from 2,000 sources, alternating" : `${phase} lines`}, to both cores in turn`);
  for (const s of sides) console.log(`${s.name}: ${s.events.toLocaleString("en")} events, ${((s.cpuMicros / 1e6 / s.events) * 100_000).toFixed(2)} CPU-s per 100,000 events`);
} finally {
  for (const s of sides) {
    s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
}
