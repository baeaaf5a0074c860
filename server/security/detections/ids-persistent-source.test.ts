import { describe, expect, it } from "vitest";
import { alert, anomaly, batchesOf, chunks, feed, HOUR, MIN, nthAddress, shuffled, T0, totals } from "./ids-fixtures";
import { IdsPersistentSourceRule } from "./ids-persistent-source";

const SOURCE = "45.155.205.233";
const SIGS = [
  "ET SCAN Suspicious inbound to MSSQL port 1433",
  "ET SCAN Suspicious inbound to mySQL port 3306",
  "ET DROP Dshield Block Listed Source group 1",
  "ET CINS Active Threat Intelligence Poor Reputation IP group 42",
  "ET SCAN Suspicious inbound to PostgreSQL port 5432",
  "ET SCAN Suspicious inbound to Oracle SQL port 1521",
];

/** n alerts from SOURCE every `step`, cycling through the first `sigs` signatures. */
const series = (n: number, step: number, sigs = 1, priority = 3) =>
  Array.from({ length: n }, (_, i) => alert(T0 + i * step, SOURCE, SIGS[i % sigs], { priority, sid: 2_400_000 + (i % sigs) }));

describe("ids_persistent_source", () => {
  it("opens nothing for 49 alerts of one signature in 24 h, nor for 19 alerts of 5 signatures (just below)", () => {
    expect(new IdsPersistentSourceRule().observe(series(49, 20 * MIN))).toEqual([]);
    expect(new IdsPersistentSourceRule().observe(series(19, 20 * MIN, 5))).toEqual([]);
    expect(new IdsPersistentSourceRule().observe(series(40, 20 * MIN, 4))).toEqual([]);
  });

  it("opens one incident for the source at 50 alerts, with the exact count, times and words", () => {
    const events = series(50, 10 * MIN);
    const [d, ...rest] = new IdsPersistentSourceRule().observe(events);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: "ids_persistent_source",
      entity: SOURCE,
      title: `Persistent IDS source ${SOURCE}: 50 alerts, 1 signature`,
      severity: "medium",
      firstSeen: T0,
      lastSeen: T0 + 49 * 10 * MIN,
      increment: 50,
      mitre: "T1046",
      explanation: `1 source ${SOURCE} behind 50 alerts of 1 signature over 8.2 h (most '${SIGS[0]}', 50); threshold 50 alerts in 24 h`,
    });
    expect(d.evidence).toEqual(events.map((e) => e.id));
    expect(d.details).toMatchObject({ alerts: 50, distinctSignatures: 1, tripped: "alerts", topSignatures: [{ value: SIGS[0], count: 50 }] });
  });

  it("opens at 20 alerts when they span 5 signatures, and says so", () => {
    const [d] = new IdsPersistentSourceRule().observe(series(20, 30 * MIN, 5));
    expect(d.increment).toBe(20);
    expect(d.explanation).toBe(
      `1 source ${SOURCE} behind 20 alerts of 5 signatures over 9.5 h (most '${SIGS[3]}', 4); threshold 5 signatures with 20 alerts in 24 h`,
    );
    expect(d.details).toMatchObject({ distinctSignatures: 5, tripped: "signatures" });
  });

  it("grows far beyond: 398 alerts over 58 h add up to 398, high once a priority-2 alert is among them", () => {
    const events = series(398, Math.floor((58 * HOUR) / 397), 6);
    events[200] = alert(events[200].time, SOURCE, "ET EXPLOIT Possible CVE-2021-41773 Apache path traversal", { priority: 2, sid: 2034124 });
    const reports = feed(new IdsPersistentSourceRule(), chunks(events, 25));
    expect(totals(reports)[`ids_persistent_source|${SOURCE}`]).toEqual({ count: 398, firstSeen: T0, lastSeen: events[397].time });
    expect(reports[0].severity).toBe("medium");
    const last = reports[reports.length - 1];
    expect(last.severity).toBe("high");
    expect(last.explanation).toMatch(/^1 source 45\.155\.205\.233 behind 398 alerts of 7 signatures over 58 h/);
  });

  it("gives the identical report for a batch in any order, and the same totals from late batches", () => {
    const events = series(398, Math.floor((58 * HOUR) / 397), 6).concat(series(30, 30 * MIN, 2).map((e) => ({ ...e, id: e.id + 1e6, src_ip: "192.0.2.1" })));
    const expected = new IdsPersistentSourceRule().observe(events);
    expect(expected).toHaveLength(1);
    expect(new IdsPersistentSourceRule().observe([...events].reverse())).toEqual(expected);
    expect(new IdsPersistentSourceRule().observe(shuffled(events))).toEqual(expected);
    expect(totals(feed(new IdsPersistentSourceRule(), chunks([...events].reverse(), 40)))).toEqual(totals(expected));
  });

  it("never counts engine events, and counts a host-name source as a source", () => {
    const noise = Array.from({ length: 100 }, (_, i) => anomaly(T0 + i * MIN, "SURICATA STREAM Packet with invalid ack", SOURCE));
    expect(new IdsPersistentSourceRule().observe(noise)).toEqual([]);
    const named = series(50, MIN).map((e) => ({ ...e, src_ip: null, src_host: "scanner.example.net" }));
    expect(new IdsPersistentSourceRule().observe(named).map((d) => d.entity)).toEqual(["scanner.example.net"]);
  });

  it("keeps its state within the caps over 200,000 distinct sources", () => {
    const rule = new IdsPersistentSourceRule({ maxSources: 2_000, maxWeight: 10_000 });
    for (const batch of batchesOf(200_000, 20_000, (i) => alert(T0 + i, nthAddress(i), SIGS[i % 6]))) expect(rule.observe(batch)).toEqual([]);
    expect(rule.stats().keys).toBeLessThanOrEqual(2_000);
    expect(rule.stats().weight).toBeLessThanOrEqual(10_000);
  });
});
