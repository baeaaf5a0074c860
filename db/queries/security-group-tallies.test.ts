import { describe, expect, it } from "vitest";
import { seededRandom } from "../../server/simulator/random";
import { testCore } from "../../server/test-support/core";
import { RetentionPruner } from "../../server/ops/retention";
import { manualClock } from "../../server/clock";
import { groupEvents, groupEventsFromRows } from "./security-groups";
import { groupEventsFromTallies, tallyPieces } from "./security-group-tallies";
import { GROUP_BY, type EventInput, type GroupBy } from "../../lib/contracts/events";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** the same random history on every run */
const prng = seededRandom;

/**
 * A core holding a random history over the last 3.5 days (minute tallies are kept 2), stored in
 * shuffled batches (times out of order within and across batches), with events lacking a source,
 * signature, account or service, host-name sources, and syslog lines that stand for several
 * occurrences.
 */
function history(seed: number) {
  const t = testCore({ retentionDays: 7 });
  const now = t.clock.now();
  const random = prng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const kinds = ["ids_alert", "auth_failure", "transaction", "anomaly"] as const;
  const severities = ["critical", "high", "medium", "low", "info"] as const;
  const items: EventInput[] = [];
  for (let i = 0; i < 1500; i++) {
    // most events in the last hours, some days back, a few a little in the future
    const back = random() < 0.6 ? random() * 3 * HOUR : random() * 3.5 * DAY;
    const time = Math.round(now - back + (random() < 0.02 ? 200_000 : 0));
    const host = random() < 0.1;
    items.push({
      kind: pick(kinds),
      severity: pick(severities),
      time,
      ...(host ? { src_host: `h${Math.floor(random() * 5)}.example` } : random() < 0.9 ? { src_ip: `198.51.100.${Math.floor(random() * 12)}` } : {}),
      ...(random() < 0.8 ? { signature: `sig ${Math.floor(random() * 8)}` } : {}),
      ...(random() < 0.5 ? { user: pick(["root", "admin", "acct-1", "acct-2"]) } : {}),
      ...(random() < 0.85 ? { service: pick(["sshd", "suricata", "payments"]) } : {}),
      message: `m${i}`,
    });
  }
  // shuffled, stored in batches of varying size
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  for (let at = 0; at < items.length; ) {
    const n = 1 + Math.floor(random() * 300);
    expect(t.core.ingestEvents(items.slice(at, at + n), "test").rejected_total).toBe(0);
    at += n;
  }
  // "message repeated N times": one stored row, N occurrences
  const lines = Array.from({ length: 20 }, (_, i) => {
    const stamp = new Date(now - Math.floor(random() * 2 * HOUR)).toISOString();
    return `${stamp} bastion sshd[${i}]: message repeated ${2 + (i % 5)} times: [ Failed password for root from 203.0.113.${i % 3} port 22 ssh2]`;
  });
  expect(t.core.ingestLog("syslog", new TextEncoder().encode(lines.join("\n")), "text/plain").accepted).toBe(20);
  return { ...t, now, random };
}

describe("groupings from tallies", () => {
  it("answer exactly what the grouping over rows answers, for random ranges (minute-aligned or not, open-ended, days back) and every grouping", () => {
    for (const seed of [1, 2]) {
      const { handle, now, random } = history(seed);
      for (let k = 0; k < 30; k++) {
        const since = k % 5 === 0 ? Math.floor((now - random() * 3 * DAY) / MIN) * MIN : Math.round(now - random() * 3.2 * DAY);
        const until = k % 3 === 0 ? undefined : Math.round(since + random() * (k % 2 ? 2 * HOUR : 2 * DAY));
        for (const by of GROUP_BY) {
          const q = { since, until, by, limit: 500 };
          const tallied = groupEventsFromTallies(handle.db, q, now);
          const rows = groupEventsFromRows(handle.db, q);
          expect(rows.exact).toBe(true);
          expect(tallied, `seed ${seed} ${by} [${since}, ${until})`).not.toBeNull();
          const { sources_exact, ...counted } = tallied!;
          const { sources_exact: _s, ...expected } = rows;
          expect(counted, `seed ${seed} ${by} [${new Date(since).toISOString()}, ${until && new Date(until).toISOString()})`).toEqual(expected);
          expect(sources_exact).toBe(true);
        }
      }
    }
  }, 120_000);

  it("still answer exactly after a retention prune has removed old minute tallies", async () => {
    const { handle, now, core } = history(4);
    const report = await new RetentionPruner(handle.sqlite, manualClock(now), { retentionMs: 7 * DAY }).run();
    expect(report.tallies).toBeGreaterThan(0);
    const old = handle.sqlite.prepare(`SELECT count(*) AS n FROM event_tallies WHERE span = ? AND bucket < ?`).get(MIN, now - 2 * DAY) as { n: number };
    expect(old.n).toBe(0);
    for (const since of [now - 3 * DAY - 7 * MIN - 13, now - 2 * DAY - 30 * MIN + 5, now - 49 * HOUR]) {
      for (const by of ["src", "signature"] as GroupBy[]) {
        const q = { since, by, limit: 500 };
        expect(core.eventGroups(q)).toEqual(groupEventsFromRows(handle.db, q));
      }
    }
  });

  it("are used for a time range alone within the stored history; any other filter, or a range older than the retention, groups rows", () => {
    const { handle, now } = history(5);
    const tallies = { now, storedSince: now - 7 * DAY };
    const calls: string[] = [];
    const prepare = handle.sqlite.prepare.bind(handle.sqlite);
    handle.sqlite.prepare = ((source: string) => {
      calls.push(source);
      return prepare(source);
    }) as typeof handle.sqlite.prepare;
    const readsTallies = (q: Parameters<typeof groupEvents>[1]) => {
      calls.length = 0;
      groupEvents(handle.db, q, tallies);
      return calls.some((s) => s.includes("event_tallies"));
    };
    expect(readsTallies({ since: now - HOUR, by: "src", limit: 10 })).toBe(true);
    expect(readsTallies({ since: now - HOUR, until: now - MIN, by: "kind", limit: 10 })).toBe(true);
    expect(readsTallies({ since: now - HOUR, severity: ["high"], by: "src", limit: 10 })).toBe(false);
    expect(readsTallies({ since: now - HOUR, q: "root", by: "src", limit: 10 })).toBe(false);
    expect(readsTallies({ by: "src", limit: 10 })).toBe(false);
    expect(readsTallies({ since: now - 8 * DAY, by: "src", limit: 10 })).toBe(false);
  });

  it("count distinct sources over the newest rows only when the range holds more, and say so", () => {
    const t = testCore();
    const now = t.clock.now();
    const items = Array.from({ length: 3_200 }, (_, i) => ({ kind: "ids_alert", time: now - 3_200_000 + i * 1000, src_ip: `198.51.100.${i % 200}`, signature: "sig", message: `${i}` }));
    for (let at = 0; at < items.length; at += 1000) t.core.ingestEvents(items.slice(at, at + 1000), "test");
    const page = t.core.eventGroups({ since: now - 2 * HOUR, by: "signature", limit: 10 });
    expect(page).toMatchObject({ exact: true, sources_exact: false, rows: 3_200, groups: [{ key: "sig", count: 3_200, sources: 200 }] });
  });
});

describe("tallyPieces", () => {
  const now = Date.UTC(2026, 10, 21, 12, 0, 0);
  it("splits a range into rows for the sub-minute edges, minutes for the partial hours and hours for the rest", () => {
    expect(tallyPieces(now - 3 * HOUR - 90_500, now - 25_000, now)).toEqual({
      rows: [
        [now - 3 * HOUR - 90_500, now - 3 * HOUR - 60_000],
        [now - MIN, now - 25_000],
      ],
      hours: [[now - 3 * HOUR, now - HOUR]],
      minutes: [
        [now - 3 * HOUR - 60_000, now - 3 * HOUR],
        [now - HOUR, now - MIN],
      ],
    });
  });
  it("reads a range inside one minute from rows, and minutes past their retention from rows", () => {
    expect(tallyPieces(now - 50_000, now - 10_000, now)).toEqual({ rows: [[now - 50_000, now - 10_000]], minutes: [], hours: [] });
    const p = tallyPieces(now - 2 * DAY - 30 * MIN, Infinity, now);
    expect(p).toEqual({ rows: [[now - 2 * DAY - 30 * MIN, now - 2 * DAY]], minutes: [], hours: [[now - 2 * DAY, Infinity]] });
  });
});
