import { describe, expect, it } from "vitest";
import { IdsCampaignRule } from "./ids-campaign";
import { alert, anomaly, batchesOf, chunks, feed, HOUR, MIN, nthAddress, shuffled, T0, totals } from "./ids-fixtures";

const SCAN = "ET SCAN Suspicious inbound to mySQL port 3306";
const LOG4J = "ET EXPLOIT Apache log4j RCE Attempt (CVE-2021-44228)";
const src = (i: number) => `198.51.100.${i}`;

/** One alert per source, source i at offsets[i]. */
const spread = (offsets: number[], f: { priority?: number; sid?: number; signature?: string } = {}) =>
  offsets.map((o, i) => alert(T0 + o, src(i + 1), f.signature ?? SCAN, { priority: f.priority ?? 2, sid: f.sid ?? 2010937 }));

/** 1,794 alerts of one signature from 53 sources over 58 h, in time order. */
function log4jCampaign() {
  return Array.from({ length: 1_794 }, (_, i) =>
    alert(T0 + Math.floor((i * 58 * HOUR) / 1_793), `203.0.113.${((i * 7) % 53) + 1}`, LOG4J, { priority: 1, sid: 2034647 }),
  );
}

describe("ids_campaign", () => {
  it("opens nothing for 9 sources within 24 h (just below)", () => {
    expect(new IdsCampaignRule().observe(spread([0, 1, 2, 3, 4, 5, 6, 7, 8].map((h) => h * HOUR)))).toEqual([]);
  });

  it("opens nothing for 10 sources spread over exactly 24 h, but does for 10 within 24 h less a millisecond", () => {
    const over = spread(Array.from({ length: 10 }, (_, i) => (i * 24 * HOUR) / 9));
    expect(new IdsCampaignRule().observe(over)).toEqual([]);
    const within = spread(Array.from({ length: 10 }, (_, i) => (i === 9 ? 24 * HOUR - 1 : i * HOUR)));
    expect(new IdsCampaignRule().observe(within).map((d) => d.increment)).toEqual([10]);
  });

  it("opens one incident per signature at 10 sources, with the exact count, times, figures and words", () => {
    const events = spread(Array.from({ length: 10 }, (_, i) => i * HOUR));
    const [d, ...rest] = new IdsCampaignRule().observe(events);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: "ids_campaign",
      entity: "2010937",
      title: `IDS campaign: '${SCAN}' from 10 sources`,
      severity: "high",
      firstSeen: T0,
      lastSeen: T0 + 9 * HOUR,
      increment: 10,
      mitre: "T1046",
      evidence: events.map((e) => e.id),
      explanation: `1 signature '${SCAN}' from 10 sources over 9 h (10 alerts; most from 198.51.100.1, 1); threshold 10 sources in 24 h`,
    });
    expect(d.details).toMatchObject({ signature: SCAN, sid: 2010937, worstPriority: 2, alerts: 10, distinctSources: 10, distinctApproximate: false });
    expect((d.details?.topSources as unknown[]).length).toBe(10);
  });

  it("grows far beyond the threshold: 1,794 alerts from 53 sources over 58 h add up to 1,794 in one incident", () => {
    const rule = new IdsCampaignRule();
    const reports = feed(rule, chunks(log4jCampaign(), 100));
    expect(totals(reports)).toEqual({ "ids_campaign|2034647": { count: 1_794, firstSeen: T0, lastSeen: T0 + 58 * HOUR } });
    const last = reports[reports.length - 1];
    expect(last.severity).toBe("critical");
    expect(last.mitre).toBe("T1190");
    expect(last.explanation).toBe(`1 signature '${LOG4J}' from 53 sources over 58 h (1,794 alerts; most from 203.0.113.1, 34); threshold 10 sources in 24 h`);
    expect(last.details).toMatchObject({ alerts: 1_794, distinctSources: 53 });
    expect((last.details?.topSources as { count: number }[]).map((t) => t.count)).toEqual([34, 34, 34, 34, 34, 34, 34, 34, 34, 34]);
  });

  it("gives the identical report for a batch in any order, and the same totals from late batches", () => {
    const events = log4jCampaign();
    const expected = new IdsCampaignRule().observe(events);
    expect(new IdsCampaignRule().observe([...events].reverse())).toEqual(expected);
    expect(new IdsCampaignRule().observe(shuffled(events))).toEqual(expected);
    const want = totals(expected);
    expect(totals(feed(new IdsCampaignRule(), chunks([...events].reverse(), 100)))).toEqual(want);
    expect(totals(feed(new IdsCampaignRule(), chunks(shuffled(events, 9), 64)))).toEqual(want);
  });

  it("rates severity by the worst priority seen: 1 critical, 2 high, 3 or none medium", () => {
    const tenHours = Array.from({ length: 10 }, (_, i) => i * HOUR);
    expect(new IdsCampaignRule().observe(spread(tenHours, { priority: 3 }))[0].severity).toBe("medium");
    const mixed = spread(tenHours, { priority: 3 });
    mixed[4] = alert(T0 + 4 * HOUR, src(5), SCAN, { priority: 1, sid: 2010937 });
    expect(new IdsCampaignRule().observe(mixed)[0].severity).toBe("critical");
  });

  it("never counts engine events as a campaign", () => {
    const events = Array.from({ length: 40 }, (_, i) => anomaly(T0 + i * MIN, "SURICATA STREAM ESTABLISHED invalid ack", src(i)));
    expect(new IdsCampaignRule().observe(events)).toEqual([]);
  });

  it("keeps its state within the caps over 200,000 distinct signatures, and over 200,000 sources of one", () => {
    const rule = new IdsCampaignRule({ maxSignatures: 2_000, maxWeight: 10_000 });
    for (const batch of batchesOf(200_000, 20_000, (i) => alert(T0 + i, "203.0.113.9", `SIG ${i}`, { sid: i }))) expect(rule.observe(batch)).toEqual([]);
    expect(rule.stats().keys).toBeLessThanOrEqual(2_000);
    expect(rule.stats().weight).toBeLessThanOrEqual(10_000);

    const one = new IdsCampaignRule({ maxWeight: 100_000 });
    const reports = feed(one, [...batchesOf(200_000, 20_000, (i) => alert(T0 + i, nthAddress(i), LOG4J, { sid: 2034647 }))]);
    expect(totals(reports)["ids_campaign|2034647"].count).toBe(200_000);
    const last = reports[reports.length - 1];
    // before the incident opens, a slot counts 4,096 sources at most (here the whole first batch
    // falls in one slot); after it, every new source is counted, while only the top are kept
    expect(last.details).toMatchObject({ distinctApproximate: true });
    expect(last.details?.distinctSources).toBe(200_000 - 20_000 + 4_096);
    expect(last.explanation).toContain("from ≈184,096 sources");
    expect((last.details?.topSources as unknown[]).length).toBe(10);
    expect(one.stats().weight).toBeLessThanOrEqual(100_000);
  });
});

describe("ids_campaign without a signature", () => {
  it("does not group alerts that name no signature and no sid into one campaign", () => {
    const rule = new IdsCampaignRule();
    const batch = Array.from({ length: 30 }, (_, i) => ({ ...alert(T0 + i, src(i + 1), SCAN, { priority: 2 }), signature: null, attributes: null }));
    expect(rule.observe(batch)).toEqual([]);
  });
});
