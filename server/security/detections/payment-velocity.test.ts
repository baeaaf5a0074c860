import { describe, expect, it } from "vitest";
import { batchesOf, chunks, feed, MIN, SEC, shuffled, T0, totals, tx } from "./ids-fixtures";
import { PaymentVelocityRule } from "./payment-velocity";

/** n transactions of `amount` from one account, `step` apart. */
const burst = (n: number, step: number, amount = 20, account = "acct-7", currency = "EUR") =>
  Array.from({ length: n }, (_, i) => tx(T0 + i * step, { account, amount, currency }));

describe("payment_velocity", () => {
  it("opens nothing for 9 transactions in 10 min, nor for 10 spread over exactly 10 min (just below)", () => {
    expect(new PaymentVelocityRule().observe(burst(9, MIN))).toEqual([]);
    expect(new PaymentVelocityRule().observe(burst(10, (10 * MIN) / 9))).toEqual([]);
  });

  it("opens at 10 transactions in 10 min, naming the count threshold and the figures", () => {
    const events = burst(10, MIN);
    expect(new PaymentVelocityRule().observe(events)).toEqual([
      {
        rule: "payment_velocity",
        entity: "account:acct-7",
        title: "Payment velocity: account acct-7",
        severity: "medium",
        firstSeen: T0,
        lastSeen: T0 + 9 * MIN,
        increment: 10,
        explanation:
          "10 transactions totalling 200.00 EUR from account acct-7 over 9 min; count threshold tripped (10 transactions in 9 min): " +
          "threshold 10 transactions or 5,000.00 in one currency (over 2 transactions at least) in 10 min",
        mitre: null,
        evidence: events.map((e) => e.id),
        details: {
          dimension: "account",
          value: "acct-7",
          transactions: 10,
          amounts: { EUR: 200 },
          tripped: "count",
          trigger: { transactions: 10, amounts: { EUR: 200 }, spanMs: 9 * MIN },
        },
      },
    ]);
  });

  it("opens at 5,000 in one currency over two transactions, naming the amount threshold", () => {
    const [d, ...rest] = new PaymentVelocityRule().observe([tx(T0, { account: "acct-9", amount: 2_500 }), tx(T0 + 5 * MIN, { account: "acct-9", amount: 2_500 })]);
    expect(rest).toEqual([]);
    expect(d.explanation).toBe(
      "2 transactions totalling 5,000.00 EUR from account acct-9 over 5 min; amount threshold tripped (5,000.00 EUR over 2 transactions in 5 min): " +
        "threshold 10 transactions or 5,000.00 in one currency (over 2 transactions at least) in 10 min",
    );
    expect(d.details).toMatchObject({ tripped: "amount", transactions: 2 });
  });

  it("opens nothing for one large payment, or for 5,000 split over two currencies", () => {
    expect(new PaymentVelocityRule().observe([tx(T0, { account: "a", amount: 6_217.26 })])).toEqual([]);
    expect(new PaymentVelocityRule().observe([tx(T0, { account: "a", amount: 3_000 }), tx(T0 + MIN, { account: "a", amount: 3_000, currency: "USD" })])).toEqual([]);
  });

  it("watches each dimension on its own: account, card, device and IP", () => {
    const events = Array.from({ length: 10 }, (_, i) => tx(T0 + i * 30 * SEC, { account: `acct-${i % 2}`, card: "**** **** **** 4242", device: "dev-1", ip: "192.0.2.44" }));
    expect(new PaymentVelocityRule().observe(events).map((d) => [d.entity, d.increment])).toEqual([
      ["card:**** **** **** 4242", 10],
      ["device:dev-1", 10],
      ["ip:192.0.2.44", 10],
    ]);
  });

  it("grows far beyond: 500 transactions in batches add up to 500, the explanation with the running figures", () => {
    const reports = feed(new PaymentVelocityRule(), chunks(burst(500, 3 * SEC, 15), 20));
    expect(totals(reports)).toEqual({ "payment_velocity|account:acct-7": { count: 500, firstSeen: T0, lastSeen: T0 + 499 * 3 * SEC } });
    expect(reports[reports.length - 1].explanation).toMatch(/^500 transactions totalling 7,500\.00 EUR from account acct-7 over 25 min; both|^500 transactions totalling 7,500\.00 EUR from account acct-7 over 25 min; count threshold tripped/);
  });

  it("gives the identical report for a batch in any order, and the same totals from late batches", () => {
    const events = [...burst(40, 20 * SEC), ...burst(12, 40 * SEC, 900, "acct-8"), ...burst(8, MIN, 10, "acct-1")].map((e, i) => ({ ...e, time: e.time + (i % 5) * 7 * SEC }));
    const expected = new PaymentVelocityRule().observe(events);
    expect(expected.map((d) => d.entity)).toEqual(["account:acct-7", "account:acct-8"]);
    expect(new PaymentVelocityRule().observe([...events].reverse())).toEqual(expected);
    expect(new PaymentVelocityRule().observe(shuffled(events))).toEqual(expected);
    expect(totals(feed(new PaymentVelocityRule(), chunks([...events].reverse(), 6)))).toEqual(totals(expected));
  });

  it("keeps its state within the caps over 200,000 distinct accounts", () => {
    const rule = new PaymentVelocityRule({ maxKeys: 2_000, maxWeight: 10_000 });
    for (const batch of batchesOf(200_000, 20_000, (i) => tx(T0 + i, { account: `acct-${i}` }))) expect(rule.observe(batch)).toEqual([]);
    expect(rule.stats().keys).toBeLessThanOrEqual(2_000);
    expect(rule.stats().weight).toBeLessThanOrEqual(10_000);
  });
});
