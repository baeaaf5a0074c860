import { describe, expect, it } from "vitest";
import { engineNoiseHint, IdsEngineNoiseRule } from "./ids-engine-noise";
import { alert, anomaly, batchesOf, chunks, feed, HOUR, MIN, SEC, shuffled, T0, totals } from "./ids-fixtures";

const INVALID_ACK = "SURICATA STREAM ESTABLISHED invalid ack";

/** n events of one type from one sensor-side source, `step` apart. */
const flood = (n: number, step: number, type = INVALID_ACK, src = "10.0.0.5") => Array.from({ length: n }, (_, i) => anomaly(T0 + i * step, type, src));

describe("ids_engine_noise", () => {
  it("only counts 999 events of one type in an hour (just below)", () => {
    const rule = new IdsEngineNoiseRule();
    expect(rule.observe(flood(999, 3 * SEC))).toEqual([]);
    expect(rule.counts()).toEqual({ events: 999, distinctTypes: 1, top: [{ value: INVALID_ACK, count: 999 }] });
  });

  it("opens ONE low-severity incident per type at 1,000 in an hour, saying what it likely is", () => {
    const events = flood(1_000, 3 * SEC);
    const [d, ...rest] = new IdsEngineNoiseRule().observe(events);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: "ids_engine_noise",
      entity: INVALID_ACK,
      title: `Engine noise: 1,000 stream-engine events '${INVALID_ACK}'`,
      severity: "low",
      firstSeen: T0,
      lastSeen: T0 + 999 * 3 * SEC,
      increment: 1_000,
      mitre: null,
      explanation: `1,000 stream-engine events '${INVALID_ACK}' in 50 min — likely NIC offloading or asymmetric routing, not an attack (most from 10.0.0.5, 1,000); threshold 1,000 in 1 h`,
    });
    expect(d.evidence).toEqual(events.slice(0, 100).map((e) => e.id));
  });

  it("grows far beyond with one report per type per batch: 1,204 events in batches add up to 1,204", () => {
    const reports = feed(new IdsEngineNoiseRule(), chunks(flood(1_204, 2 * SEC), 100));
    expect(reports.filter((d) => d.increment > 0).every((d) => d.entity === INVALID_ACK)).toBe(true);
    expect(totals(reports)).toEqual({ [`ids_engine_noise|${INVALID_ACK}`]: { count: 1_204, firstSeen: T0, lastSeen: T0 + 1_203 * 2 * SEC } });
    expect(reports[reports.length - 1].explanation).toMatch(/^1,204 stream-engine events '.*' in 40 min — /);
  });

  it("never folds real signatures in, however many", () => {
    const real = Array.from({ length: 5_000 }, (_, i) => alert(T0 + i * 100, "10.0.0.5", "ET POLICY curl User-Agent Outbound"));
    const rule = new IdsEngineNoiseRule();
    expect(rule.observe(real)).toEqual([]);
    expect(rule.counts().events).toBe(0);
  });

  it("groups per type: two types at 600 each open nothing", () => {
    const two = [...flood(600, 5 * SEC), ...flood(600, 5 * SEC, "SURICATA TCPv4 invalid checksum")];
    expect(new IdsEngineNoiseRule().observe(two)).toEqual([]);
  });

  it("names the likely cause by type", () => {
    expect(engineNoiseHint("SURICATA TCPv4 invalid checksum").hint).toMatch(/checksum offloading/);
    expect(engineNoiseHint("APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION").kind).toBe("app-layer");
    expect(engineNoiseHint("SURICATA SMTP invalid reply").kind).toBe("app-layer");
    expect(engineNoiseHint("SURICATA IPv4 truncated packet").kind).toBe("decoder");
  });

  it("gives the identical report for a batch in any order, and the same totals from late batches", () => {
    const events = [...flood(1_500, 2 * SEC), ...flood(300, 10 * SEC, "SURICATA TCPv4 invalid checksum", "10.0.0.6"), ...flood(1_100, 3 * SEC, INVALID_ACK, "10.0.0.7")].map(
      (e, i) => ({ ...e, time: e.time + (i % 7) * MIN }),
    );
    const expected = new IdsEngineNoiseRule().observe(events);
    expect(new IdsEngineNoiseRule().observe([...events].reverse())).toEqual(expected);
    expect(new IdsEngineNoiseRule().observe(shuffled(events))).toEqual(expected);
    expect(totals(feed(new IdsEngineNoiseRule(), chunks([...events].reverse(), 128)))).toEqual(totals(expected));
  });

  it("keeps its state within the caps over 200,000 distinct types", () => {
    const rule = new IdsEngineNoiseRule({ maxTypes: 2_000, maxWeight: 10_000 });
    for (const batch of batchesOf(200_000, 20_000, (i) => anomaly(T0 + i, `DECODER EVENT ${i}`))) expect(rule.observe(batch)).toEqual([]);
    expect(rule.stats().keys).toBeLessThanOrEqual(2_000);
    expect(rule.stats().weight).toBeLessThanOrEqual(10_000);
    expect(rule.counts(3).top).toHaveLength(3);
    expect(rule.counts().events).toBe(200_000);
  });

  it("opens again after a quiet hour, as a new episode of the same type", () => {
    const rule = new IdsEngineNoiseRule();
    const first = rule.observe(flood(1_000, SEC));
    const later = rule.observe(flood(1_000, SEC).map((e) => ({ ...e, id: e.id + 1e6, time: e.time + 3 * HOUR })));
    expect([first.length, later.length]).toEqual([1, 1]);
    expect(later[0].firstSeen).toBe(T0 + 3 * HOUR);
  });
});
