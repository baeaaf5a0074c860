import { describe, expect, it } from "vitest";
import { testCore } from "../../server/test-support/core";
import { countMatchingEvents } from "./security";
import { eventQuerySchema, type EventQuery, type SecurityEvent } from "../../lib/contracts/events";

const KINDS = ["ids_alert", "auth_failure", "anomaly"] as const;
const SEVERITIES = ["high", "low", "info", "critical"] as const;

/** 2,500 events over the last 50 minutes of the test clock, ten to a millisecond (ties on time). */
function filled() {
  const t = testCore();
  const now = t.clock.now();
  const items = Array.from({ length: 2500 }, (_, i) => ({
    kind: KINDS[i % 3],
    severity: SEVERITIES[i % 4],
    time: now - 50 * 60_000 + Math.floor(i / 10) * 12_000,
    message: `event ${i}`,
  }));
  for (let i = 0; i < items.length; i += 1000) expect(t.core.ingestEvents(items.slice(i, i + 1000), "test").accepted).toBe(Math.min(1000, items.length - i));
  return { ...t, items };
}

const query = (raw: Record<string, string>): EventQuery => eventQuerySchema.parse(raw);

/** Follows next_before from the first page to the last. */
function walk(core: ReturnType<typeof testCore>["core"], raw: Record<string, string>) {
  const seen: SecurityEvent[] = [];
  const totals = new Set<number>();
  let before: string | null = null;
  let pages = 0;
  do {
    const page = core.events(query({ ...raw, ...(before ? { before } : {}) }));
    seen.push(...page.events);
    totals.add(page.total);
    expect(page.total_exact).toBe(true);
    before = page.next_before;
    pages += 1;
  } while (before && pages < 100);
  return { seen, totals, pages };
}

const newestFirst = (a: SecurityEvent, b: SecurityEvent) => b.time - a.time || b.id - a.id;

describe("paging through stored events with the cursor", () => {
  const { core, items } = filled();

  it("reaches every stored event exactly once, newest first by (time, id), and says when it is done", () => {
    const { seen, totals, pages } = walk(core, { limit: "300" });
    expect(pages).toBe(9);
    expect(seen).toHaveLength(items.length);
    expect(new Set(seen.map((e) => e.id)).size).toBe(items.length);
    expect(seen).toEqual([...seen].sort(newestFirst));
    expect(seen.at(-1)!.message).toBe("event 0");
    expect([...totals]).toEqual([items.length]);
  });

  it("keeps ties on time in id order across a page boundary", () => {
    // 10 events share each millisecond: a page of 7 ends inside a tie
    const first = core.events(query({ limit: "7" }));
    const second = core.events(query({ limit: "7", before: first.next_before! }));
    expect(first.events[0].time).toBe(first.events[6].time);
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual(core.events(query({ limit: "14" })).events.map((e) => e.id));
  });

  it.each<Record<string, string>>([{ kind: "auth_failure" }, { severity: "high" }, { kind: "anomaly", severity: "critical" }, { since: String(Date.UTC(2026, 10, 21, 11, 45)) }])(
    "with filter %o pages through the same events as one big answer, and its total is their number",
    (filter) => {
      const { seen, totals } = walk(core, { ...filter, limit: "97" });
      const all = core.events(query({ ...filter, limit: "1000" })).events;
      expect(all.length).toBeLessThan(1000);
      expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect([...totals]).toEqual([all.length]);
    },
  );

  it("answers an empty last page with no cursor past the oldest event", () => {
    const oldest = core.events(query({ limit: "1000", before: "0:0" }));
    expect(oldest).toMatchObject({ events: [], next_before: null });
  });

  it("refuses a cursor that is not time:id", () => {
    for (const before of ["abc", "1:2:3", "-1:5", "1.5:2", ""]) expect(eventQuerySchema.safeParse({ before }).success).toBe(false);
    expect(eventQuerySchema.parse({ before: "1795000000000:42" }).before).toEqual({ time: 1795000000000, id: 42 });
  });

  it("a bounded count says so instead of passing off the bound as the total", () => {
    expect(countMatchingEvents(core.handle.db, { severity: ["high"] }, 100)).toEqual({ total: 100, exact: false });
    expect(countMatchingEvents(core.handle.db, { severity: ["high"] })).toEqual({ total: 625, exact: true });
  });
});

describe("the security snapshot", () => {
  it("is the newest page, the true total, and counts by severity for the last hour and day from the rollup", () => {
    const { core, clock, items } = filled();
    // 40 more a few hours ago: in the day's counts, not the hour's
    expect(core.ingestEvents(Array.from({ length: 40 }, (_, i) => ({ kind: "anomaly", severity: "medium", time: clock.now() - 3 * 3_600_000 + i })), "test").accepted).toBe(40);
    const s = core.securitySnapshot();
    expect(s.events).toHaveLength(100);
    expect(s.total).toBe(items.length + 40);
    expect(s.counts.hour).toEqual({ critical: 625, high: 625, medium: 0, low: 625, info: 625 });
    expect(s.counts.day).toEqual({ critical: 625, high: 625, medium: 40, low: 625, info: 625 });
    const next = core.events(query({ limit: "100", before: s.next_before! }));
    expect(next.events[0].id).not.toBe(s.events[99].id);
    expect([...s.events, ...next.events]).toEqual(core.events(query({ limit: "200" })).events);
  });
});
