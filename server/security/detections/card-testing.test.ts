import { describe, expect, it } from "vitest";
import { CardTestingRule } from "./card-testing";
import { batchesOf, chunks, feed, HOUR, MIN, nthAddress, SEC, shuffled, T0, totals, tx } from "./ids-fixtures";

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
          keys: [{ key: `ip:${IP}`, dimension: "ip", value: IP, transactions: 10, tripped: "small attempts" }],
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

  describe("one burst, one incident: the IP and the device of one source", () => {
    /** n small attempts from one device and IP, `step` apart from `from`, the first `declined` declined, cards from `card` */
    const source = (n: number, declined: number, who: { device: string; ip: string }, from = T0, step = 20 * SEC, card = (i: number) => `**** ${1000 + i}`) =>
      Array.from({ length: n }, (_, i) => tx(from + i * step, { ...who, card: card(i), amount: 1, outcome: i < declined ? "declined" : "approved" }));
    const keys = (d: { details?: Record<string, unknown> }) => (d.details?.keys as { key: string }[]).map((k) => k.key);
    const A = { device: "dev-A", ip: "203.0.113.5" };

    it("opens nothing when both the device and the IP stay just below (9 small attempts, all declined, 4 cards)", () => {
      expect(new CardTestingRule().observe(source(9, 9, A, T0, 20 * SEC, (i) => `**** ${i % 4}`))).toEqual([]);
    });

    it("opens one detection for a device and IP crossing over the same attempts: the device the entity, the IP named in title, explanation and keys", () => {
      const events = source(12, 8, A, T0, 20 * SEC, () => "**** 4242");
      const [d, ...rest] = new CardTestingRule().observe(events);
      expect(rest).toEqual([]);
      expect(d.entity).toBe("device:dev-A");
      expect(d.title).toBe("Card testing from device dev-A with ip 203.0.113.5");
      expect(d.increment).toBe(12);
      expect(d.evidence).toEqual(events.map((e) => e.id));
      expect(d.explanation).toBe(
        "12 attempts from device dev-A over 4 min: 12 of 5.00 or less, 8 of them declined (67 %), 8 declined in all, 1 card; small attempts threshold tripped: " +
          "threshold 10 small attempts with 50 % declined, or 5 cards, in 10 min; the same attempts also crossed for ip 203.0.113.5 (12 attempts)",
      );
      expect(d.details?.keys).toEqual([
        { key: "device:dev-A", dimension: "device", value: "dev-A", transactions: 12, tripped: "small attempts" },
        { key: "ip:203.0.113.5", dimension: "ip", value: "203.0.113.5", transactions: 12, tripped: "small attempts" },
      ]);
      expect(d.notes).toBeUndefined();
    });

    it("gives the same one detection for the burst reversed or shuffled, and one incident's totals fed out of order in small batches", () => {
      const events = source(30, 20, A, T0, 10 * SEC);
      const expected = new CardTestingRule().observe(events);
      expect(expected.map((d) => [d.entity, d.increment, keys(d)])).toEqual([["device:dev-A", 30, ["device:dev-A", "ip:203.0.113.5"]]]);
      expect(new CardTestingRule().observe([...events].reverse())).toEqual(expected);
      expect(new CardTestingRule().observe(shuffled(events))).toEqual(expected);
      for (const order of [[...events].reverse(), shuffled(events, 7)]) {
        expect(totals(feed(new CardTestingRule(), chunks(order, 3)))).toEqual({ "card_testing|device:dev-A": { count: 30, firstSeen: T0, lastSeen: T0 + 29 * 10 * SEC } });
      }
    });

    it("an IP just below its threshold is not named; its attempt that crosses later joins the device's incident with a timeline note", () => {
      // 10 attempts from dev-A, the first from another address: the device crosses at its 10th, the IP (9 attempts) stays below
      const events = source(11, 11, A, T0, 20 * SEC, () => "**** 4242").map((e, i) => (i === 0 ? { ...e, src_ip: "198.51.100.1" } : e));
      const rule = new CardTestingRule();
      const first = feed(rule, chunks(events.slice(0, 10), 1));
      expect(first.map((d) => [d.entity, d.increment, keys(d)])).toEqual([["device:dev-A", 10, ["device:dev-A"]]]);
      expect(first[0].title).toBe("Card testing from device dev-A");
      const [late] = rule.observe(events.slice(10));
      expect([late.entity, late.increment, keys(late), late.title]).toEqual(["device:dev-A", 1, ["device:dev-A", "ip:203.0.113.5"], "Card testing from device dev-A with ip 203.0.113.5"]);
      expect(late.notes).toEqual(["ip 203.0.113.5 crossed the card testing threshold too (10 attempts in 3 min, small attempts) over attempts of this burst: counted here, no incident of its own"]);
    });

    it("keeps separate sources apart: two devices with their own IPs in one shuffled batch are two detections", () => {
      const B = { device: "dev-B", ip: "198.51.100.9" };
      const events = [...source(10, 10, A), ...source(14, 7, B, T0 + 5 * SEC)];
      const reports = new CardTestingRule().observe(shuffled(events));
      expect(reports.map((d) => [d.entity, d.increment, keys(d)])).toEqual([
        ["device:dev-A", 10, ["device:dev-A", "ip:203.0.113.5"]],
        ["device:dev-B", 14, ["device:dev-B", "ip:198.51.100.9"]],
      ]);
    });

    it("two devices behind one busy IP stay two incidents; the IP is named in one of them, whatever the order", () => {
      const nat = "192.0.2.1";
      const events = [...source(10, 10, { device: "dev-A", ip: nat }), ...source(10, 10, { device: "dev-B", ip: nat }, T0 + 5 * SEC)];
      const reports = new CardTestingRule().observe(events);
      expect(reports.map((d) => [d.entity, d.increment, keys(d)])).toEqual([
        ["device:dev-A", 10, ["device:dev-A", `ip:${nat}`]],
        ["device:dev-B", 10, ["device:dev-B"]],
      ]);
      expect(new CardTestingRule().observe([...events].reverse())).toEqual(reports);
    });

    it("a source testing again an hour later is a burst of its own", () => {
      const rule = new CardTestingRule();
      expect(rule.observe(source(10, 10, A)).map((d) => [d.entity, d.notes])).toEqual([["device:dev-A", undefined]]);
      expect(rule.observe(source(10, 10, { device: "dev-C", ip: A.ip }, T0 + HOUR)).map((d) => [d.entity, keys(d), d.notes])).toEqual([["device:dev-C", ["device:dev-C", `ip:${A.ip}`], undefined]]);
    });

    it("with resume, a replay files the burst under the entity its active incident has (the IP, which crossed first), not the device", () => {
      // 10 attempts from the IP, the last 4 from dev-A too, then 6 more from both: replayed in one batch, the device would take the burst
      const events = [...source(6, 6, { device: "", ip: A.ip }), ...source(10, 10, A, T0 + 6 * 20 * SEC)].map((e) =>
        e.attributes?.device === "" ? { ...e, attributes: { ...e.attributes, device: undefined } } : e,
      );
      expect(new CardTestingRule().observe(events).map((d) => d.entity)).toEqual(["device:dev-A"]);
      const rule = new CardTestingRule();
      rule.resume([{ entity: `ip:${A.ip}`, details: { keys: [{ key: `ip:${A.ip}` }, { key: "device:dev-A" }] } }]);
      const replayed = rule.observe(events);
      expect(replayed.map((d) => [d.entity, keys(d)])).toEqual([[`ip:${A.ip}`, [`ip:${A.ip}`, "device:dev-A"]]]);
      rule.resume([]);
      // after the replay, the burst grows under the IP
      expect(rule.observe(source(2, 2, A, T0 + 16 * 20 * SEC)).map((d) => [d.entity, d.increment])).toEqual([[`ip:${A.ip}`, 2]]);
    });
  });
});
