// What each index on security_events costs the ingest (issue 9): a scratch database filled with
// realistic EVE alerts, copied once per variant (every index; each index dropped in turn; only the
// fingerprint index), then the same uploads inserted into each copy as SecurityStore inserts them
// (one transaction per upload), the variants taking turns upload by upload. Prints CPU-seconds per
// 100,000 rows per variant.
// Nothing here changes the schema of a real database.
// Usage: npx tsx bench/security-index-cost.ts [--prefill 200000] [--uploads 20] [--batch 4000] [--cache-mb 0]
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openDatabase } from "../db/client";
import { parseEveLine } from "../server/security/parsers/eve";
import type { ParsedEvent } from "../server/security/types";
import { flag } from "./support";
import { eveAlert } from "./security-lines";

const PREFILL = Math.floor(flag("prefill", 200_000));
const UPLOADS = Math.floor(flag("uploads", 20));
const BATCH = Math.floor(flag("batch", 4000));
const CACHE_MB = process.argv.includes("--cache-mb") ? Number(process.argv[process.argv.indexOf("--cache-mb") + 1]) : 0;

const INSERT = `INSERT INTO security_events (time, received_at, kind, severity, source, src_ip, dst_ip, user, signature, message, attributes,
  service, src_host, src_port, dst_port, proto, occurrences, fingerprint, raw)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(fingerprint) WHERE fingerprint IS NOT NULL DO NOTHING`;

function events(n: number, now: number): ParsedEvent[] {
  return Array.from({ length: n }, () => {
    const o = parseEveLine(eveAlert(now), { now });
    if (o.status !== "event") throw new Error("bench line not an event");
    return o.event;
  });
}

function insertAll(sqlite: Database.Database, batches: ParsedEvent[][], dedup = true): void {
  // without the fingerprint index there is nothing to dedup on: what that variant saves is the dedup itself
  const insert = sqlite.prepare(dedup ? INSERT : INSERT.slice(0, INSERT.indexOf("ON CONFLICT")));
  const receivedAt = Date.now();
  for (const batch of batches) {
    sqlite.transaction(() => {
      for (const e of batch) {
        insert.run(e.time, receivedAt, e.kind, e.severity, "suricata", e.src_ip, e.dst_ip, e.user, e.signature, e.message,
          e.attributes ? JSON.stringify(e.attributes) : null, e.service, e.src_host, e.src_port, e.dst_port, e.proto, e.occurrences, e.fingerprint || null, e.raw || null);
      }
    })();
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-bench-indexes-"));
try {
  const start = Date.now() - 3_600_000;
  const base = openDatabase(dir);
  const indexes = (base.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'security_events' AND sql IS NOT NULL ORDER BY name`).pluck().all() as string[]);
  console.log(`prefilling ${PREFILL.toLocaleString("en")} rows…`);
  for (let done = 0; done < PREFILL; done += 10_000) insertAll(base.sqlite, [events(Math.min(10_000, PREFILL - done), start + (done / PREFILL) * 3_000_000)]);
  base.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  base.close();
  const file = path.join(dir, "vigil.db");
  const uploads = Array.from({ length: UPLOADS }, (_, i) => events(BATCH, start + 3_000_000 + i * 100));

  const variants: { name: string; drop: string[] }[] = [
    { name: "all indexes", drop: [] },
    ...indexes.map((ix) => ({ name: `without ${ix}`, drop: [ix] })),
    { name: "fingerprint index only", drop: indexes.filter((ix) => ix !== "security_events_fingerprint") },
  ];
  console.log(`${UPLOADS} uploads of ${BATCH} rows into a copy per variant, the variants taking turns${CACHE_MB ? `, cache_size ${CACHE_MB} MB` : ""}`);
  // every variant open at once and each upload inserted into all of them in turn (a different one
  // first each time), so the load of other work on the machine falls on all variants alike
  const open = variants.map((v, i) => {
    const copy = path.join(dir, `variant-${i}.db`);
    copyFileSync(file, copy);
    const sqlite = new Database(copy);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    if (CACHE_MB) sqlite.pragma(`cache_size = ${-CACHE_MB * 1024}`);
    for (const ix of v.drop) sqlite.exec(`DROP INDEX ${ix}`);
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return { ...v, sqlite, micros: 0 };
  });
  for (const [u, upload] of uploads.entries()) {
    for (let k = 0; k < open.length; k++) {
      const v = open[(u + k) % open.length];
      const cpu0 = process.cpuUsage();
      insertAll(v.sqlite, [upload], !v.drop.includes("security_events_fingerprint"));
      const cpu = process.cpuUsage(cpu0);
      v.micros += cpu.user + cpu.system;
    }
  }
  const per100k = (micros: number) => (micros / 1e6 / (UPLOADS * BATCH)) * 100_000;
  const all = per100k(open[0].micros);
  for (const v of open) {
    const mine = per100k(v.micros);
    const saved = v.drop.length ? ` (saves ${(all - mine).toFixed(2)}, ${(((all - mine) / all) * 100).toFixed(0)} %)` : "";
    console.log(`${v.name.padEnd(52)} ${mine.toFixed(2)} CPU-s per 100,000 rows${saved}; at most ${Math.round((UPLOADS * BATCH) / (v.micros / 1e6)).toLocaleString("en")} rows/s on one core`);
    v.sqlite.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
