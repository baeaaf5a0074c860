import { describe, expect, it } from "vitest";
import { batchesOf, chunks, feed, HOUR, MIN, SEC, shuffled, T0, totals, tx } from "./ids-fixtures";
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
          keys: [{ key: "account:acct-7", dimension: "account", value: "acct-7", transactions: 10, tripped: "count" }],
        },
      },
    ]);
  });

  it("counts no refund or chargeback (a negative amount): ten refunds to one account in 10 min open nothing, nine payments and a refund neither", () => {
    expect(new PaymentVelocityRule().observe(burst(10, MIN, -20))).toEqual([]);
    expect(new PaymentVelocityRule().observe([...burst(9, MIN), tx(T0 + 9 * MIN + 1, { account: "acct-7", amount: -20, currency: "EUR" })])).toEqual([]);
    expect(new PaymentVelocityRule().observe([...burst(9, MIN), tx(T0 + 9 * MIN + 1, { account: "acct-7", amount: 20, currency: "EUR" })])).toHaveLength(1);
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

  it("watches each dimension on its own: a card, device and IP crossing over the same transactions are one burst", () => {
    const events = Array.from({ length: 10 }, (_, i) => tx(T0 + i * 30 * SEC, { account: `acct-${i % 2}`, card: "**** **** **** 4242", device: "dev-1", ip: "192.0.2.44" }));
    const reports = new PaymentVelocityRule().observe(events);
    expect(reports.map((d) => [d.entity, d.increment, d.title])).toEqual([
      ["card:**** **** **** 4242", 10, "Payment velocity: card **** **** **** 4242 with device dev-1, ip 192.0.2.44"],
    ]);
    expect(reports[0].details?.keys).toEqual([
      { key: "card:**** **** **** 4242", dimension: "card", value: "**** **** **** 4242", transactions: 10, tripped: "count" },
      { key: "device:dev-1", dimension: "device", value: "dev-1", transactions: 10, tripped: "count" },
      { key: "ip:192.0.2.44", dimension: "ip", value: "192.0.2.44", transactions: 10, tripped: "count" },
    ]);
  });

  describe("one burst, one incident", () => {
    /** n transactions of one account, card, device and IP, `step` apart from `from` */
    const fraud = (n: number, who: string, from = T0, step = 20 * SEC) =>
      Array.from({ length: n }, (_, i) => tx(from + i * step, { account: `acct-${who}`, card: `**** ${who}`, device: `dev-${who}`, ip: `198.51.100.${who.length}` }));

    it("opens one detection for account, card, device and IP crossing together, the account as entity and the others named", () => {
      const events = fraud(10, "7");
      const [d, ...rest] = new PaymentVelocityRule().observe(events);
      expect(rest).toEqual([]);
      expect(d.entity).toBe("account:acct-7");
      expect(d.title).toBe("Payment velocity: account acct-7 with card **** 7, device dev-7, ip 198.51.100.1");
      expect(d.increment).toBe(10);
      expect(d.evidence).toEqual(events.map((e) => e.id));
      expect(d.explanation).toMatch(/; the same transactions also crossed for card \*\*\*\* 7 \(10 transactions\), device dev-7 \(10 transactions\), ip 198\.51\.100\.1 \(10 transactions\)$/);
      expect((d.details?.keys as { key: string }[]).map((k) => k.key)).toEqual(["account:acct-7", "card:**** 7", "device:dev-7", "ip:198.51.100.1"]);
      expect(d.notes).toBeUndefined();
    });

    it("keeps truly separate bursts apart: two accounts with their own cards, devices and IPs in one batch are two detections", () => {
      const events = [...fraud(10, "1"), ...fraud(12, "22", T0 + 5 * SEC)];
      const reports = new PaymentVelocityRule().observe(shuffled(events));
      expect(reports.map((d) => [d.entity, d.increment, (d.details?.keys as unknown[]).length])).toEqual([
        ["account:acct-1", 10, 4],
        ["account:acct-22", 12, 4],
      ]);
    });

    it("fed one transaction at a time, reports under one entity and counts each transaction once (not once per key)", () => {
      const events = fraud(25, "7");
      const reports = feed(new PaymentVelocityRule(), chunks(events, 1));
      expect(totals(reports)).toEqual({ "payment_velocity|account:acct-7": { count: 25, firstSeen: T0, lastSeen: T0 + 24 * 20 * SEC } });
    });

    it("a key crossing later over the burst's transactions joins its incident with a timeline note; the entity stays", () => {
      // acct-7 pays with two cards: the account crosses at its 10th payment, card A only at its 10th
      const events = Array.from({ length: 16 }, (_, i) => tx(T0 + i * 20 * SEC, { account: "acct-7", card: i % 3 === 2 ? "**** B" : "**** A" }));
      const rule = new PaymentVelocityRule({ dimensions: ["account", "card"] });
      const reports = feed(rule, chunks(events, 1));
      expect(new Set(reports.map((d) => d.entity))).toEqual(new Set(["account:acct-7"]));
      expect(totals(reports)["payment_velocity|account:acct-7"].count).toBe(16);
      const noted = reports.filter((d) => d.notes);
      expect(noted).toHaveLength(1);
      expect(noted[0].notes).toEqual(["card **** A crossed the velocity threshold too (10 transactions in 4 min, count) over transactions of this burst: counted here, no incident of its own"]);
      expect((reports[reports.length - 1].details?.keys as { key: string }[]).map((k) => k.key)).toEqual(["account:acct-7", "card:**** A"]);
    });

    it("two accounts behind one busy IP stay two incidents; the IP is named in one of them", () => {
      const a = Array.from({ length: 10 }, (_, i) => tx(T0 + i * 20 * SEC, { account: "acct-a", card: "**** A", ip: "203.0.113.9" }));
      const b = Array.from({ length: 10 }, (_, i) => tx(T0 + i * 20 * SEC + 5 * SEC, { account: "acct-b", card: "**** B", ip: "203.0.113.9" }));
      const reports = new PaymentVelocityRule().observe([...a, ...b]);
      expect(reports.map((d) => [d.entity, d.increment, (d.details?.keys as { key: string }[]).map((k) => k.key)])).toEqual([
        ["account:acct-a", 10, ["account:acct-a", "card:**** A", "ip:203.0.113.9"]],
        ["account:acct-b", 10, ["account:acct-b", "card:**** B"]],
      ]);
      expect(new PaymentVelocityRule().observe([...b, ...a].reverse())).toEqual(reports);
    });

    it("a key that crosses over other transactions than the burst's is a burst of its own", () => {
      // acct-7's burst at T0; an hour later a different account's burst on the same card
      const first = Array.from({ length: 10 }, (_, i) => tx(T0 + i * 20 * SEC, { account: "acct-7", card: "**** A" }));
      const later = Array.from({ length: 10 }, (_, i) => tx(T0 + HOUR + i * 20 * SEC, { account: "acct-8", card: "**** A" }));
      const rule = new PaymentVelocityRule({ dimensions: ["account", "card"] });
      expect(rule.observe(first).map((d) => d.entity)).toEqual(["account:acct-7"]);
      expect(rule.observe(later).map((d) => d.entity)).toEqual(["account:acct-8"]);
    });
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
