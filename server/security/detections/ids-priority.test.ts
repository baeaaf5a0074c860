import { describe, expect, it } from "vitest";
import { alert, anomaly, batchesOf, chunks, feed, MIN, nthAddress, SEC, shuffled, T0, totals } from "./ids-fixtures";
import { IdsPriorityRule } from "./ids-priority";

const LOG4J = "ET EXPLOIT Apache log4j RCE Attempt (CVE-2021-44228)";

describe("ids_priority", () => {
  it("opens a critical incident at once for one priority-1 alert, keyed by sid and source", () => {
    const e = alert(T0, "198.51.100.7", LOG4J, { priority: 1, sid: 2034647, category: "Attempted Administrator Privilege Gain", dst: "10.0.0.9" });
    expect(new IdsPriorityRule().observe([e])).toEqual([
      {
        rule: "ids_priority",
        entity: "2034647:198.51.100.7",
        title: `Priority-1 IDS alert '${LOG4J}' from 198.51.100.7`,
        severity: "critical",
        firstSeen: T0,
        lastSeen: T0,
        increment: 1,
        explanation: `1 priority-1 alert '${LOG4J}' from 198.51.100.7 to 10.0.0.9 in 0 s; threshold: any alert of priority 1 or worse opens at once`,
        mitre: "T1190",
        evidence: [e.id],
        details: {
          signature: LOG4J,
          sid: 2034647,
          gid: 1,
          category: "Attempted Administrator Privilege Gain",
          priority: 1,
          source: "198.51.100.7",
          alerts: 1,
          distinctTargets: 1,
          topTargets: [{ value: "10.0.0.9", count: 1 }],
        },
      },
    ]);
  });

  it("opens nothing for priority 2 (just below), for alerts without a priority, or for engine events", () => {
    const rule = new IdsPriorityRule();
    const e = alert(T0, "198.51.100.7", LOG4J, { priority: 2, sid: 1 });
    const none = { ...alert(T0, "198.51.100.7", LOG4J, { sid: 1 }), attributes: { sid: 1 } };
    const engine = { ...anomaly(T0, "SURICATA STREAM ESTABLISHED invalid ack"), attributes: { priority: 1 } };
    expect(rule.observe([e, none, engine])).toEqual([]);
  });

  it("grows with later alerts: one report per signature and source per batch, counting occurrences", () => {
    const rule = new IdsPriorityRule();
    const batch = [
      alert(T0 + 2 * MIN, "198.51.100.7", LOG4J, { priority: 1, sid: 2034647, occurrences: 3 }),
      alert(T0, "198.51.100.7", LOG4J, { priority: 1, sid: 2034647 }),
      alert(T0 + MIN, "203.0.113.4", LOG4J, { priority: 1, sid: 2034647 }),
    ];
    const first = rule.observe(batch);
    expect(first.map((d) => [d.entity, d.increment, d.firstSeen, d.lastSeen])).toEqual([
      ["2034647:198.51.100.7", 4, T0, T0 + 2 * MIN],
      ["2034647:203.0.113.4", 1, T0 + MIN, T0 + MIN],
    ]);
    expect(first[0].evidence).toEqual([batch[1].id, batch[0].id]);
    expect(first[0].explanation).toBe(`4 priority-1 alerts '${LOG4J}' from 198.51.100.7 to 10.0.0.1 in 2 min; threshold: any alert of priority 1 or worse opens at once`);
    const later = rule.observe([alert(T0 + 3 * MIN, "198.51.100.7", LOG4J, { priority: 1, sid: 2034647 })]);
    expect(later.map((d) => [d.entity, d.increment])).toEqual([["2034647:198.51.100.7", 1]]);
  });

  it("keys by signature text when there is no sid, and by gid and sid for Snort's other generators", () => {
    const rule = new IdsPriorityRule();
    const noSid = { ...alert(T0, "198.51.100.7", "LOCAL ssh exploit"), attributes: { priority: 1 } };
    const gid = alert(T0, "198.51.100.7", "(port_scan) TCP portscan", { priority: 1, gid: 122, sid: 1 });
    expect(rule.observe([noSid, gid]).map((d) => d.entity)).toEqual(["122:1:198.51.100.7", "LOCAL ssh exploit:198.51.100.7"]);
  });

  it("counts the same far beyond: 1,000 alerts in batches add up to 1,000 with the true span", () => {
    const events = Array.from({ length: 1_000 }, (_, i) => alert(T0 + i * SEC, `203.0.113.${i % 4}`, LOG4J, { priority: 1, sid: 2034647 }));
    const t = totals(feed(new IdsPriorityRule(), chunks(events, 37)));
    expect(Object.values(t).reduce((n, x) => n + x.count, 0)).toBe(1_000);
    expect(t["ids_priority|2034647:203.0.113.0"]).toEqual({ count: 250, firstSeen: T0, lastSeen: T0 + 996 * SEC });
  });

  it("reports the identical result for a batch in any order", () => {
    const events = Array.from({ length: 50 }, (_, i) => alert(T0 + ((i * 7) % 50) * SEC, `203.0.113.${i % 3}`, LOG4J, { priority: 1, sid: 2034647, dst: `10.0.0.${i % 5}` }));
    const expected = new IdsPriorityRule().observe(events);
    expect(new IdsPriorityRule().observe([...events].reverse())).toEqual(expected);
    expect(new IdsPriorityRule().observe(shuffled(events))).toEqual(expected);
  });

  it("keeps no state between batches, even after 200,000 distinct signature and source pairs", () => {
    const rule = new IdsPriorityRule();
    const batches = batchesOf(200_000, 20_000, (i) => alert(T0 + i, nthAddress(i), LOG4J, { priority: i % 100 === 0 ? 1 : 3, sid: i }));
    expect([...batches].flatMap((b) => rule.observe(b))).toHaveLength(2_000);
    expect(Object.keys(rule).sort()).toEqual(["config", "name"]);
  });
});
