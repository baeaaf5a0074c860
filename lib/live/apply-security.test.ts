import { describe, expect, it } from "vitest";
import { applySecurity, foldGroups, GROUP_KEY_CAP, LIVE_EVENT_CAP, OTHER, topGroups, type LiveSecurity } from "./apply-security";
import type { SecurityEvent, SeverityCounts } from "../contracts/events";

const event = (id: number, time = id * 1000, severity: SecurityEvent["severity"] = "low", over: Partial<SecurityEvent> = {}): SecurityEvent => ({
  id, time, kind: "ids_alert", severity, source: "t", src_ip: null, dst_ip: null, user: null, signature: null, message: null, attributes: null, service: null, src_host: null, src_port: null, dst_port: null, proto: null, occurrences: 1, ...over,
});
const zero = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
const snapshot = (over: Partial<LiveSecurity> = {}): LiveSecurity => ({
  epoch: "e", seq: 0, events: [], next_before: null, total: 0, rate: [], counts: { hour: zero(), day: zero() }, ...over,
});
const deltas = (events: SecurityEvent[]) => events.map((event) => ({ type: "event" as const, event }));

describe("applySecurity", () => {
  it("puts new events first, newest on top, within the cap", () => {
    const base = snapshot({ events: Array.from({ length: LIVE_EVENT_CAP }, (_, i) => event(LIVE_EVENT_CAP - i)), total: 10_000 });
    const s = applySecurity(base, deltas([event(1001), event(1002)]));
    expect(s.events.slice(0, 3).map((e) => e.id)).toEqual([1002, 1001, LIVE_EVENT_CAP]);
    expect(s.events).toHaveLength(LIVE_EVENT_CAP);
  });

  it("adds every new event to the true total, not to the length of the capped head", () => {
    const base = snapshot({ events: Array.from({ length: LIVE_EVENT_CAP }, (_, i) => event(LIVE_EVENT_CAP - i)), total: 123_456 });
    const s = applySecurity(base, deltas(Array.from({ length: 700 }, (_, i) => event(1000 + i))));
    expect(s.total).toBe(123_456 + 700);
    expect(s.events).toHaveLength(LIVE_EVENT_CAP);
  });

  it("counts new events into their minute and severity, the last hour and the day", () => {
    const s = applySecurity(snapshot({ rate: [{ minute: 60_000, severity: "high", count: 2 }], counts: { hour: { ...zero(), high: 2 }, day: { ...zero(), high: 9 } } }), deltas([event(1, 61_000, "high"), event(2, 125_000, "low")]));
    expect(s.rate).toEqual([
      { minute: 60_000, severity: "high", count: 3 },
      { minute: 120_000, severity: "low", count: 1 },
    ]);
    expect(s.counts.hour).toEqual({ ...zero(), high: 3, low: 1 });
    expect(s.counts.day).toEqual({ ...zero(), high: 10, low: 1 });
  });

  it("leaves the previous state untouched (the cache keeps it for structural sharing)", () => {
    const base = applySecurity(snapshot(), deltas([event(1, 1_000, "low", { signature: "ET A" })]));
    const before = JSON.stringify([...base.groups![0].signatures]);
    applySecurity(base, deltas([event(2, 2_000, "low", { signature: "ET A" })]));
    expect(JSON.stringify([...base.groups![0].signatures])).toBe(before);
    expect(base.total).toBe(1);
  });
});

describe("storm groups", () => {
  it("count the last minute by signature and by source, largest first", () => {
    const fresh = [
      ...Array.from({ length: 30 }, (_, i) => event(i, 600_000 + i, "high", { signature: "ET SCAN", src_ip: "203.0.113.7" })),
      ...Array.from({ length: 5 }, (_, i) => event(100 + i, 650_000 + i, "low", { src_ip: "198.51.100.1", kind: "auth_failure" })),
    ];
    const groups = foldGroups([], fresh);
    expect(topGroups(groups, "signatures", 5)).toEqual([{ key: "ET SCAN", count: 30 }, { key: "auth_failure", count: 5 }]);
    expect(topGroups(groups, "sources", 5)).toEqual([{ key: "203.0.113.7", count: 30 }, { key: "198.51.100.1", count: 5 }]);
  });

  it("keep only the newest minute of slices", () => {
    let groups = foldGroups([], [event(1, 0, "low", { signature: "old" })]);
    groups = foldGroups(groups, [event(2, 120_000, "low", { signature: "new" })]);
    expect(topGroups(groups, "signatures", 5)).toEqual([{ key: "new", count: 1 }]);
  });

  it("bound the distinct keys they hold: a flood of unique signatures lands in 'other'", () => {
    const fresh = Array.from({ length: GROUP_KEY_CAP + 50 }, (_, i) => event(i, 1_000, "low", { signature: `sig ${i}` }));
    const [slice] = foldGroups([], fresh);
    expect(slice.signatures.size).toBe(GROUP_KEY_CAP + 1);
    expect(slice.signatures.get(OTHER)).toBe(50);
    expect(slice.count).toBe(GROUP_KEY_CAP + 50);
  });
});
