import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../server/simulator/random";
import { openDatabase } from "../client";
import { createCore } from "../../server/core";
import { manualClock } from "../../server/clock";
import { Hub } from "../../server/live/hub";
import { prepareTallies } from "../../server/security/tallies";
import { testCore } from "../../server/test-support/core";
import { groupEventsFromRows } from "./security-groups";
import { binaryCompare, tallyBuckets, topByCount } from "./tally-sums";
import { GROUP_BY, type EventInput } from "../../lib/contracts/events";
import { SEVERITIES } from "../../lib/contracts/common";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** the same random history on every run */
const prng = seededRandom;

const kinds = ["ids_alert", "auth_failure", "transaction", "anomaly"] as const;

/** Random events around `now`: most in the last hours, some days back (late), a few a little ahead. */
function events(random: () => number, now: number, n: number, spreadMs = 3 * DAY): EventInput[] {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  return Array.from({ length: n }, (_, i) => {
    const back = random() < 0.6 ? random() * 3 * HOUR : random() * spreadMs;
    const host = random() < 0.1;
    return {
      kind: pick(kinds),
      severity: pick(SEVERITIES),
      time: Math.round(now - back + (random() < 0.02 ? 100_000 : 0)),
      ...(host ? { src_host: `h${Math.floor(random() * 5)}.example` } : random() < 0.9 ? { src_ip: `198.51.100.${Math.floor(random() * 12)}` } : {}),
      ...(random() < 0.8 ? { signature: `sig ${Math.floor(random() * 8)}` } : {}),
      ...(random() < 0.5 ? { user: pick(["root", "admin", "acct-1", "acct-2"]) } : {}),
      ...(random() < 0.85 ? { service: pick(["sshd", "suricata", "payments"]) } : {}),
      message: `m${i}`,
    };
  });
}

const RANK = `CASE "severity" WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END`;

/** Top sources, signatures and accounts of [since, until) counted over the stored rows, one by one: worst first, then count. */
function bruteTop(t: ReturnType<typeof testCore>, since: number, until: number, limit: number) {
  const top = (column: string) =>
    (
      t.handle.sqlite
        .prepare(
          `SELECT ${column} AS value, sum(occurrences) AS count, min(${RANK}) AS worst FROM security_events
            WHERE time >= ? AND time < ? AND ${column} IS NOT NULL GROUP BY 1 ORDER BY 3, 2 DESC, 1 LIMIT ?`,
        )
        .all(since, until, limit) as { value: string; count: number; worst: number }[]
    ).map((r) => ({ value: r.value, count: r.count, worst: SEVERITIES[r.worst] }));
  return { sources: top(`coalesce(src_ip, src_host)`), signatures: top(`signature`), users: top(`user`) };
}

function expectExact(t: ReturnType<typeof testCore>, since: number, until: number | undefined, label: string) {
  for (const by of GROUP_BY) {
    const q = { since, until, by, limit: 500 };
    const cached = t.core.eventGroups(q);
    const rows = groupEventsFromRows(t.handle.db, q);
    expect(rows.exact).toBe(true);
    expect({ ...cached, sources_exact: true }, `${label} by ${by}`).toEqual({ ...rows, sources_exact: true });
  }
  if (until !== undefined) {
    for (const limit of [3, 100]) {
      const top = t.core.securityTop({ since, until, limit });
      expect({ sources: top.sources, signatures: top.signatures, users: top.users }, `${label} top ${limit}`).toEqual(bruteTop(t, top.since, top.until, limit));
    }
  }
}

describe("tally sums (the cache behind top and groupings)", () => {
  it("answer what a count over the stored rows answers while ranges slide, late and out-of-order events land inside and outside them", () => {
    const t = testCore({ retentionDays: 7 });
    const random = prng(7);
    const ingest = (items: EventInput[]) => {
      for (let at = 0; at < items.length; ) {
        const n = 1 + Math.floor(random() * 200);
        expect(t.core.ingestEvents(items.slice(at, at + n), "test").rejected_total).toBe(0);
        at += n;
      }
    };
    ingest(events(random, t.clock.now(), 1500));
    for (let step = 0; step < 40; step++) {
      const now = t.clock.now();
      // the pane's ranges: a day ending now (ragged), an open hour, and a 2.5-day range with an hour edge
      expectExact(t, now - DAY, now, `step ${step} day`);
      expectExact(t, now - HOUR - 23_500, undefined, `step ${step} open hour`);
      expectExact(t, Math.floor((now - 2.5 * DAY) / MIN) * MIN + 17_000, now - 5 * MIN, `step ${step} 2.5 days`);
      // new events (some late by hours or days, some a little ahead), then the clock moves on by
      // seconds to more than an hour (a move, or a new range)
      ingest(events(random, now, 1 + Math.floor(random() * 60), 2 * DAY));
      t.clock.advance(step % 7 === 6 ? 2 * HOUR + 7_000 : Math.round(random() * 10 * MIN));
    }
  }, 120_000);

  it("stay exact when hour tallies are pruned (counting only what is still tallied)", async () => {
    const t = testCore({ retentionDays: 1, retention: { rollupRetentionMs: 2 * DAY } });
    const random = prng(11);
    expect(t.core.ingestEvents(events(random, t.clock.now(), 800, 20 * HOUR), "test").rejected_total).toBe(0);
    const since = t.clock.now() - 20 * HOUR;
    expectExact(t, since, t.clock.now(), "before");
    // a day and a half later: the range's oldest hour tallies pass the 2-day roll-up retention
    t.clock.advance(36 * HOUR);
    expect(t.core.ingestEvents(events(random, t.clock.now(), 200, 20 * HOUR), "test").rejected_total).toBe(0);
    const top = () => t.core.securityTop({ since, until: t.clock.now(), limit: 50 });
    const before = top();
    await t.core.prune();
    const pruned = t.handle.sqlite.prepare(`SELECT coalesce(sum(count), 0) AS n FROM event_tallies WHERE dim = 'src' AND span = ? AND bucket >= ?`).get(HOUR, since) as { n: number };
    const after = top();
    expect(after.sources.reduce((n, s) => n + s.count, 0)).toBeLessThan(before.sources.reduce((n, s) => n + s.count, 0));
    expect(after.sources.reduce((n, s) => n + s.count, 0)).toBeLessThanOrEqual(pruned.n);
    // the rows that are still stored are counted exactly
    expectExact(t, t.clock.now() - 20 * HOUR, t.clock.now(), "after prune");
  });

  it("count nothing of a batch whose outer transaction rolled back", () => {
    const t = testCore({ retentionDays: 7 });
    const now = t.clock.now();
    const one = (time: number, severity: EventInput["severity"] = "low"): EventInput => ({ kind: "ids_alert", severity, time, src_ip: "198.51.100.7", signature: "sig", message: "m" });
    t.core.ingestEvents([one(now - 5 * HOUR), one(now - 4 * HOUR)], "test");
    const top = () => t.core.securityTop({ since: now - DAY, until: now, limit: 5 }).sources;
    expect(top()).toEqual([{ value: "198.51.100.7", count: 2, worst: "low" }]);
    expect(() =>
      t.handle.sqlite.transaction(() => {
        t.core.ingestEvents([one(now - 5 * HOUR, "critical")], "test");
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    expect(top()).toEqual([{ value: "198.51.100.7", count: 2, worst: "low" }]);
    t.core.ingestEvents([one(now - 3 * HOUR, "high")], "test");
    expect(top()).toEqual([{ value: "198.51.100.7", count: 3, worst: "high" }]);
  });

  it("read again what another connection wrote to the same file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-tally-sums-"));
    const handle = openDatabase(dir);
    const clock = manualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
    try {
      const core = createCore(handle, { clock, hub: new Hub({ capacity: 100 }), access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" } });
      const now = clock.now();
      const one = (src: string, time: number): EventInput => ({ kind: "ids_alert", severity: "high", time, src_ip: src, signature: "sig", message: "m" });
      core.ingestEvents([one("198.51.100.1", now - 3 * HOUR), one("198.51.100.1", now - 2 * HOUR)], "test");
      const top = () => core.securityTop({ since: now - DAY, until: now, limit: 5 }).sources;
      expect(top()).toEqual([{ value: "198.51.100.1", count: 2, worst: "high" }]);
      // another process (a CLI import, say) tallies an event of an hour the cache holds
      const other = new Database(handle.file);
      prepareTallies(other)([{ time: now - 2 * HOUR, severity: "critical", src_ip: "198.51.100.1", src_host: null, signature: "sig", user: null, service: null, kind: "ids_alert", occurrences: 3 }]);
      other.close();
      expect(top()).toEqual([{ value: "198.51.100.1", count: 5, worst: "critical" }]);
    } finally {
      handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("splits a range into hour and minute buckets, refusing minute stretches that may be pruned", () => {
    const h = Date.UTC(2026, 10, 21, 10);
    expect(tallyBuckets(h + 5 * MIN, h + 3 * HOUR + 2 * MIN, 0)).toEqual([
      [MIN, h + 5 * MIN, h + HOUR],
      [HOUR, h + HOUR, h + 3 * HOUR],
      [MIN, h + 3 * HOUR, h + 3 * HOUR + 2 * MIN],
    ]);
    expect(tallyBuckets(h + 5 * MIN, Infinity, 0)).toEqual([
      [MIN, h + 5 * MIN, h + HOUR],
      [HOUR, h + HOUR, Infinity],
    ]);
    expect(tallyBuckets(h + 5 * MIN, h + 9 * MIN, 0)).toEqual([[MIN, h + 5 * MIN, h + 9 * MIN]]);
    expect(tallyBuckets(h + 5 * MIN, h + 2 * HOUR, h + 6 * MIN)).toBeNull();
    expect(tallyBuckets(h, h + 2 * HOUR, h + 6 * MIN)).toEqual([[HOUR, h, h + 2 * HOUR]]);
  });

  it("orders keys as SQLite does (UTF-8 bytes, null first) and keeps the largest", () => {
    expect(["b", "a", "\u{1F600}", "\uFFFD", "A"].sort(binaryCompare)).toEqual(["A", "a", "b", "\uFFFD", "\u{1F600}"]);
    const items = [
      { key: "b", count: 2 },
      { key: null, count: 2 },
      { key: "a", count: 2 },
      { key: "c", count: 5 },
      { key: "d", count: 1 },
    ];
    expect(topByCount(items, 3)).toEqual([items[3], items[1], items[2]]);
    expect(topByCount(items, 10).map((x) => x.key)).toEqual(["c", null, "a", "b", "d"]);
    expect(topByCount(items, 0)).toEqual([]);
  });
});
