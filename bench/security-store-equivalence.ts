// Security store, this checkout against another: feeds both the same uploads (EVE, sshd, transactions,
// fast.log, then two re-sent) on a manual clock and compares what each stored, table by table
// (events, tallies, minutes, incidents, timeline, evidence links, search), and what each upload
// answered. For changes to the store that must not change behaviour. Prints "ALL SAME" or the first
// difference of each table. The other checkout needs its own node_modules (a hard-linked copy is enough).
// Usage: npx tsx bench/security-store-equivalence.ts --base DIR [--uploads 20]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { flag, root } from "./support";
import { FORMATS, upload } from "./security-lines";

const base = process.argv.includes("--base") ? process.argv[process.argv.indexOf("--base") + 1] : undefined;
if (!base) throw new Error("--base DIR: the checkout to compare with");
const A = path.resolve(base);
const B = root;
const n = Math.floor(flag("uploads", 20));
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const uploads: { format: keyof typeof FORMATS; bytes: Buffer }[] = [];
for (let i = 0; i < n; i++) {
  const format = (["suricata", "syslog", "suricata", "transactions", "fast"] as const)[i % 5];
  uploads.push({ format, bytes: Buffer.from(upload(4000, FORMATS[format].make, T0 + i * 100)) });
}
// re-send two uploads: duplicates
uploads.push(uploads[0], uploads[3]);
async function run(checkout: string) {
  const { openDatabase } = await import(path.join(checkout, "db/client.ts"));
  const { createCore } = await import(path.join(checkout, "server/core.ts"));
  const { manualClock } = await import(path.join(checkout, "server/clock.ts"));
  const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-equiv-"));
  const handle = openDatabase(dir, path.join(checkout, "db", "migrations"));
  const clock = manualClock(T0 + 1000);
  const core = createCore(handle, { clock, access: { secret: "bench-secret-bench-secret-bench-secret-0", publicUrl: "http://127.0.0.1:3000" } });
  const results: unknown[] = [];
  for (const u of uploads) {
    results.push(core.ingestLog(u.format, u.bytes, FORMATS[u.format].type));
    core.hub.flush();
    clock.advance(100);
  }
  const q = (sql: string) => handle.sqlite.prepare(sql).all();
  const dump: Record<string, unknown> = {
    results,
    incidents: q("SELECT * FROM incidents ORDER BY id"),
    timeline: q("SELECT * FROM incident_timeline ORDER BY id"),
    links: q("SELECT rowid, * FROM incident_events ORDER BY rowid"),
    textChanges: q("SELECT incident_id, count(*) n FROM incident_text_changes GROUP BY incident_id ORDER BY incident_id"),
    events: q("SELECT id, time, received_at, kind, severity, source, src_ip, dst_ip, user, signature, message, attributes, service, src_host, src_port, dst_port, proto, occurrences, fingerprint, raw FROM security_events ORDER BY id"),
    tallies: q("SELECT * FROM event_tallies ORDER BY dim, span, bucket, value"),
    minutes: q("SELECT * FROM event_minutes ORDER BY minute, severity"),
    search: q("SELECT rowid, * FROM incident_search('scan') ORDER BY rowid LIMIT 2000"),
  };
  handle.close();
  rmSync(dir, { recursive: true, force: true });
  return dump;
}
const a = await run(A);
const b = await run(B);
let same = true;
for (const k of Object.keys(a)) {
  const ha = createHash("sha1").update(JSON.stringify(a[k])).digest("hex"), hb = createHash("sha1").update(JSON.stringify(b[k])).digest("hex");
  const len = Array.isArray(a[k]) ? (a[k] as unknown[]).length : "";
  console.log(`${k.padEnd(12)} ${len} ${ha === hb ? "same" : "DIFFERENT"} (${path.basename(A)} against this checkout)`);
  if (ha === hb) continue;
  same = false;
  const x = a[k] as unknown[];
  const y = b[k] as unknown[];
  const i = Array.from({ length: Math.max(x.length, y.length) }, (_, j) => j).find((j) => JSON.stringify(x[j]) !== JSON.stringify(y[j]));
  if (i !== undefined) console.log(`  first difference at ${i}: ${JSON.stringify(x[i]).slice(0, 400)}\n  vs ${JSON.stringify(y[i]).slice(0, 400)}`);
}
console.log(same ? "ALL SAME" : "DIFFERENCES");
// the notifier's timers would outlive the closed databases
process.exit(same ? 0 : 1);
