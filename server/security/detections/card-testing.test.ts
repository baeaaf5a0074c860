import { describe, expect, it } from "vitest";
import { CardTestingRule } from "./card-testing";
import { batchesOf, chunks, feed, MIN, nthAddress, SEC, shuffled, T0, totals, tx } from "./ids-fixtures";

const IP = "192.0.2.44";
/** n attempts from IP, `step` apart; the first `declined` of them declined. */
const attempts = (n: number, declined: number, step = 20 * SEC, amount = 1, card = (i: number) => "**** 4242") =>
  Array.from({ length: n }, (_, i) => tx(T0 + i * step, { ip: IP, card: card(i), amount, outcome: i < declined ? "declined" : "approved" }));

describe("card_testing", () => {
  it("opens nothing for 10 small attempts with 4 declined, 9 small all declined, or 4 cards (just below)", () => {
    expect(new CardTestingRule().observe(attempts(10, 4))).toEqual([]);
    expect(new CardTestingRule().observe(attempts(9, 9))).toEqual([]);
    expect(new CardTestingRule().observe(attempts(4, 0, MIN, 50, (i) => `**** 000${i}`))).toEqual([]);
  });

  it("opens at 10 small attempts with half declined, high severity, no MITRE technique", () => {
    const events = attempts(10, 5);
    expect(new CardTestingRule().observe(events)).toEqual([
      {
        rule: "card_testing",
        entity: `ip:${IP}`,
        title: `Card testing from ip ${IP}`,
        severity: "high",
        firstSeen: T0,
        lastSeen: T0 + 9 * 20 * SEC,
        increment: 10,
        explanation:
          `10 attempts from ip ${IP} over 3 min: 10 of 5.00 or less, 5 of them declined (50 %), 5 declined in all, 1 card; small attempts threshold tripped: ` +
          "threshold 10 small attempts with 50 % declined, or 5 cards, in 10 min",
        mitre: null,
        evidence: events.map((e) => e.id),
        details: {
          dimension: "ip",
          value: IP,
          attempts: 10,
          smallAttempts: 10,
          smallDeclined: 5,
          declined: 5,
          distinctCards: 1,
          distinctApproximate: false,
          topCards: [{ value: "**** 4242", count: 10 }],
          tripped: "small attempts",
        },
      },
    ]);
  });

  it("opens at 5 distinct cards from one device, whatever the amounts", () => {
    const events = Array.from({ length: 5 }, (_, i) => tx(T0 + i * MIN, { device: "dev-9", card: `**** 000${i}`, amount: 49.99 }));
    const [d, ...rest] = new CardTestingRule().observe(events);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: "device:dev-9", increment: 5, details: expect.objectContaining({ tripped: "cards", distinctCards: 5 }) });
    expect(d.explanation).toMatch(/0 of 5\.00 or less, 0 of them declined \(0 %\), 0 declined in all, 5 cards; cards threshold tripped/);
  });

  it("grows far beyond: 300 attempts in batches add up to 300", () => {
    const reports = feed(new CardTestingRule(), chunks(attempts(300, 200, 2 * SEC, 0.5, (i) => `**** ${1000 + i}`), 25));
    expect(totals(reports)).toEqual({ [`card_testing|ip:${IP}`]: { count: 300, firstSeen: T0, lastSeen: T0 + 299 * 2 * SEC } });
  });

  it("gives the identical report for a batch in any order, and the same totals from late batches", () => {
    const events = [...attempts(30, 12, 15 * SEC), ...attempts(12, 12, 30 * SEC).map((e) => ({ ...e, src_ip: "198.51.100.3" }))].map((e, i) => ({
      ...e,
      time: e.time + (i % 4) * 5 * SEC,
    }));
    const expected = new CardTestingRule().observe(events);
    expect(expected.map((d) => d.entity)).toEqual([`ip:${IP}`, "ip:198.51.100.3"]);
    expect(new CardTestingRule().observe([...events].reverse())).toEqual(expected);
    expect(new CardTestingRule().observe(shuffled(events))).toEqual(expected);
    expect(totals(feed(new CardTestingRule(), chunks([...events].reverse(), 5)))).toEqual(totals(expected));
  });

  it("keeps its state within the caps over 200,000 distinct sources", () => {
    const rule = new CardTestingRule({ maxSources: 2_000, maxWeight: 10_000 });
    for (const batch of batchesOf(200_000, 20_000, (i) => tx(T0 + i, { ip: nthAddress(i), amount: 1, card: "**** 1", outcome: "declined" }))) {
      expect(rule.observe(batch)).toEqual([]);
    }
    expect(rule.stats().keys).toBeLessThanOrEqual(2_000);
    expect(rule.stats().weight).toBeLessThanOrEqual(10_000);
  });
});
