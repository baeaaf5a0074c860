// Security pane queries at scale (issue 8): a real SQLite file with 1M security events over the
// last 7 days (and their per-minute rollup), then the time of
//   - the pane's snapshot (newest page, exact total, rate, counts by severity for hour and day)
//   - a page of GET /api/v1/events from a cursor deep in history, with and without filters
//   - the filter's total (count through an index, bounded at COUNT_CAP)
// Usage: npx tsx bench/security-queries.ts [--events 1000000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../db/client";
import { countMatchingEvents, pageEvents } from "../db/queries/security";
import { createCore } from "../server/core";
import { Hub } from "../server/live/hub";
import { SEVERITIES } from "../lib/contracts/common";
import { EVENT_KINDS, eventQuerySchema, type EventFilter } from "../lib/contracts/events";

const i = process.argv.indexOf("--events");
const EVENTS = i < 0 ? 1_000_000 : Number(process.argv[i + 1]);
if (!Number.isSafeInteger(EVENTS) || EVENTS <= 0) throw new Error("--events needs a positive whole number");
const SPAN = 7 * 86_400_000 - 3_600_000;

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
function timeEach(n: number, fn: (k: number) => void) {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    fn(k);
    out.push(performance.now() - t);
  }
  out.sort((a, b) => a - b);
  return `p50 ${ms(out[Math.floor(n / 2)])}  p99 ${ms(out[Math.min(n - 1, Math.floor(n * 0.99))])}  max ${ms(out[n - 1])}`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-security-"));
const handle = openDatabase(dir);
const { db, sqlite } = handle;
const core = createCore(handle, { hub: new Hub({ capacity: 1000 }), access: { secret: "bench-secret-bench-secret-bench-secret-01" } });
const now = Date.now();
console.log(`data: ${dir}`);

try {
  let t = performance.now();
  const insert = sqlite.prepare(
    `INSERT INTO security_events (time, received_at, kind, severity, source, src_ip, signature, message) VALUES (?, ?, ?, ?, 'bench', ?, ?, ?)`,
  );
  const minute = sqlite.prepare(`INSERT INTO event_minutes (minute, severity, count) VALUES (?, ?, 1) ON CONFLICT (minute, severity) DO UPDATE SET count = count + 1`);
  for (let start = 0; start < EVENTS; start += 50_000) {
    sqlite.transaction(() => {
      for (let k = start; k < Math.min(EVENTS, start + 50_000); k++) {
        const time = now - SPAN + Math.floor((k * SPAN) / EVENTS);
        const severity = SEVERITIES[k % 5];
        insert.run(time, time, EVENT_KINDS[k % EVENT_KINDS.length], severity, `198.51.${(k >> 8) & 255}.${k & 255}`, `ET BENCH ${k % 400}`, `event ${k}`);
        minute.run(Math.floor(time / 60_000) * 60_000, severity);
      }
    })();
  }
  sqlite.exec("ANALYZE");
  console.log(`${EVENTS.toLocaleString("en")} events over 7 days inserted in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const snap = core.securitySnapshot();
  console.log(`snapshot: ${snap.events.length} events, total ${snap.total.toLocaleString("en")}, ${JSON.stringify(snap).length.toLocaleString("en")} bytes as JSON`);
  console.log(`  securitySnapshot()            ${timeEach(20, () => core.securitySnapshot())}`);

  // cursors spread through history: a page from anywhere costs the same
  const cursors = Array.from({ length: 50 }, (_, k) => ({ time: now - SPAN + Math.floor(((k + 0.5) * SPAN) / 50), id: EVENTS }));
  const filters: [string, EventFilter][] = [
    ["no filter", {}],
    ["kind=auth_failure", { kind: "auth_failure" }],
    ["severity=high", { severity: "high" }],
    ["kind+severity", { kind: "auth_failure", severity: "high" }],
    ["since 1 h", { since: now - 3_600_000 }],
  ];
  for (const [name, f] of filters) console.log(`  page of 200 from a cursor, ${name.padEnd(18)} ${timeEach(50, (k) => pageEvents(db, { ...f, before: cursors[k], limit: 200 }))}`);
  for (const [name, f] of filters) {
    const c = countMatchingEvents(db, f);
    console.log(`  total, ${name.padEnd(18)} = ${c.total.toLocaleString("en").padStart(9)}${c.exact ? "" : "+"}  ${timeEach(10, () => countMatchingEvents(db, f))}`);
  }
  // the whole HTTP answer's core (page + total), as GET /api/v1/events?before=… runs it
  const q = eventQuerySchema.parse({ before: `${cursors[25].time}:${EVENTS}`, limit: "200" });
  console.log(`  core.events(before, 200)      ${timeEach(20, () => core.events(q))}`);
  let walked = 0;
  t = performance.now();
  let before: string | null = `${now + 1}:${EVENTS + 1}`;
  while (before && walked < 100_000) {
    const page = pageEvents(db, { before: eventQuerySchema.parse({ before }).before, limit: 1000 });
    walked += page.events.length;
    before = page.next_before;
  }
  console.log(`  walking 100,000 events back in pages of 1,000 (no count): ${ms(performance.now() - t)}`);
} finally {
  handle.sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
