import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maintenanceWindowSchema } from "./maintenance";
import { DEFAULT_NODE_POLICY, evaluateNode, initialNodeState, NODE_STATUSES, type NodeState, type StatusResult, type Transition } from "./status";
import { intervalsFromChanges, standardUptime, uptime, uptimeFromChanges, type StatusChange, type StatusInterval } from "./uptime";

const MIN = 60_000;
const DAY = 86_400_000;
/** 2026-11-21 at hh:mm UTC */
const at = (hhmm: string) => Date.parse(`2026-11-21T${hhmm}:00Z`);
const DAY_RANGE = { from: at("00:00"), to: at("00:00") + DAY };
const iv = (status: StatusInterval["status"], from: string, to: string | null, reason?: string): StatusInterval => ({ status, from: at(from), to: to === null ? null : at(to), reason });

describe("uptime weighted by time", () => {
  it("counts a 10-minute outage seen by two checks as 10 minutes, as the status machine dates it", () => {
    // checks every 5 minutes; down after 2 failures, up at the first good check
    const policy = { ...DEFAULT_NODE_POLICY, failures_before_down: 2, successes_before_up: 1, baseline: null, flap: null };
    const check = (hhmm: string, ok: boolean): StatusResult => ({ check_id: "http", time: at(hhmm), ok, latency_ms: ok ? 20 : null, error: ok ? undefined : "HTTP 503" });
    let state: NodeState = initialNodeState();
    const transitions: Transition[] = [];
    for (const r of [check("00:00", true), check("09:55", true), check("10:00", false), check("10:05", false), check("10:10", true), check("10:15", true)]) {
      const e = evaluateNode(state, { results: [r], now: r.time }, policy);
      state = e.state;
      transitions.push(...e.transitions);
    }
    const figures = uptimeFromChanges(DAY_RANGE, { changes: transitions });
    expect(figures.down_ms).toBe(10 * MIN);
    expect(figures.up_ms).toBe(DAY - 10 * MIN);
    expect(figures.uptime_ratio).toBeCloseTo(1430 / 1440, 12);
    expect(figures.outages).toEqual([
      { start: at("10:00"), start_known: true, end: at("10:10"), duration_ms: 10 * MIN, in_range_ms: 10 * MIN, status: "down", cause: "http: HTTP 503 (2 failed in a row)" },
    ]);
  });

  it("takes maintenance out of both sides of the ratio and reports it, even over a down status", () => {
    const f = uptime(DAY_RANGE, [iv("up", "00:00", "02:00"), iv("maintenance", "02:00", "04:00", "maintenance: core swap"), iv("down", "03:00", "05:00", "tcp: refused"), iv("up", "05:00", null)]);
    expect(f).toMatchObject({ up_ms: 1260 * MIN, down_ms: 60 * MIN, maintenance_ms: 120 * MIN, unknown_ms: 0 });
    expect(f.uptime_ratio).toBeCloseTo(1260 / 1320, 12);
    // the outage begins when maintenance ends: the part under maintenance is not downtime
    expect(f.outages).toEqual([{ start: at("04:00"), start_known: true, end: at("05:00"), duration_ms: 60 * MIN, in_range_ms: 60 * MIN, status: "down", cause: "tcp: refused" }]);
    expect(f.by_status).toEqual({ up: 1260 * MIN, maintenance: 120 * MIN, down: 60 * MIN });
  });

  it("lays maintenance windows over the statuses (a recurring one at its local time)", () => {
    const nightly = maintenanceWindowSchema.parse({ start: "03:00", duration: "1h", tz: "Europe/Berlin", reason: "backup" });
    // Berlin is UTC+1 in November: 03:00 local is 02:00Z
    const f = uptime(DAY_RANGE, [iv("up", "00:00", "02:30"), iv("down", "02:30", "03:30"), iv("up", "03:30", null)], { maintenance: [nightly] });
    expect(f).toMatchObject({ maintenance_ms: 60 * MIN, down_ms: 30 * MIN, up_ms: 1350 * MIN });
    expect(f.outages.map((o) => [o.start, o.end])).toEqual([[at("03:00"), at("03:30")]]);
  });

  it("clips an outage spanning the start of the range, keeping its real start and length", () => {
    const f = uptimeFromChanges(DAY_RANGE, {
      before: { status: "down", since: at("00:00") - 60 * MIN, reason: "icmp: timeout" },
      changes: [{ to: "up", at: at("01:00") }],
    });
    expect(f.down_ms).toBe(60 * MIN);
    expect(f.up_ms).toBe(DAY - 60 * MIN);
    expect(f.outages).toEqual([{ start: at("00:00") - 60 * MIN, start_known: true, end: at("01:00"), duration_ms: 120 * MIN, in_range_ms: 60 * MIN, status: "down", cause: "icmp: timeout" }]);
  });

  it("leaves an outage open at the end of the range, or at `until`, with no end", () => {
    const changes: StatusChange[] = [{ to: "up", at: at("00:00") }, { to: "down", at: at("23:30"), reason: "dns: NXDOMAIN" }];
    const f = uptimeFromChanges(DAY_RANGE, { changes });
    expect(f.outages).toEqual([{ start: at("23:30"), start_known: true, end: null, duration_ms: 30 * MIN, in_range_ms: 30 * MIN, status: "down", cause: "dns: NXDOMAIN" }]);
    // asked at 23:40: 10 minutes down so far, the last 20 minutes of the range are unknown
    const now = uptimeFromChanges(DAY_RANGE, { changes }, { until: at("23:40") });
    expect(now).toMatchObject({ down_ms: 10 * MIN, unknown_ms: 20 * MIN, up_ms: (1440 - 30) * MIN });
    expect(now.outages[0]).toMatchObject({ end: null, duration_ms: 10 * MIN, in_range_ms: 10 * MIN });
  });

  it("marks an outage whose start nobody saw as starting at the range, start unknown", () => {
    const f = uptimeFromChanges(DAY_RANGE, { before: { status: "down", since: null }, changes: [{ to: "up", at: at("00:05") }] });
    expect(f.outages).toEqual([{ start: at("00:00"), start_known: false, end: at("00:05"), duration_ms: 5 * MIN, in_range_ms: 5 * MIN, status: "down", cause: "down" }]);
  });

  it("reports time with no data, pending or gaps as unknown and leaves it out of the ratio", () => {
    const f = uptime(DAY_RANGE, [iv("pending", "06:00", "06:10"), iv("up", "06:10", "12:00"), iv("down", "12:00", "12:30"), iv("up", "13:00", null)]);
    // 00:00-06:00 nothing, 06:00-06:10 pending, 12:30-13:00 a gap
    expect(f).toMatchObject({ unknown_ms: 400 * MIN, down_ms: 30 * MIN, up_ms: (1440 - 430) * MIN, maintenance_ms: 0 });
    expect(f.uptime_ratio).toBeCloseTo(1010 / 1040, 12);
    expect(f.outages.map((o) => o.end)).toEqual([at("12:30")]);
    expect(uptime(DAY_RANGE, []).uptime_ratio).toBeNull();
  });

  it("applies out-of-order changes in the order they were known, evidence reaching back winning", () => {
    // degraded judged at 10:02, then down confirmed at 10:03 dated by a first failure at 10:00
    const changes: StatusChange[] = [
      { to: "up", at: at("00:00"), confirmed_at: at("00:00") },
      { to: "degraded", at: at("10:02"), confirmed_at: at("10:02"), reason: "http: p95 900 ms over 300 ms" },
      { to: "down", at: at("10:00"), confirmed_at: at("10:03"), reason: "tcp: refused (3 failed in a row)" },
      { to: "up", at: at("10:20"), confirmed_at: at("10:21") },
    ];
    const expected = [iv("up", "00:00", "10:00"), iv("down", "10:00", "10:20", "tcp: refused (3 failed in a row)"), iv("up", "10:20", null)].map((x) => ({ ...x, reason: x.reason ?? null }));
    expect(intervalsFromChanges({ changes })).toEqual(expected);
    expect(intervalsFromChanges({ changes: [changes[3], changes[1], changes[0], changes[2]] })).toEqual(expected);
    // a later-known change at the same evidence time replaces the earlier one, leaving no empty interval
    const sameTime: StatusChange[] = [
      { to: "up", at: at("00:00") },
      { to: "degraded", at: at("10:00"), confirmed_at: at("10:00") },
      { to: "down", at: at("10:00"), confirmed_at: at("10:05") },
    ];
    expect(intervalsFromChanges({ changes: sameTime }).map((x) => [x.status, x.from, x.to])).toEqual([
      ["up", at("00:00"), at("10:00")],
      ["down", at("10:00"), null],
    ]);
    // a duplicate change does not split or lengthen anything
    expect(uptimeFromChanges(DAY_RANGE, { changes: [...changes, changes[2]] }).down_ms).toBe(20 * MIN);
  });

  it("counts overlapping duplicates once and the worse of two overlapping statuses", () => {
    const f = uptime(DAY_RANGE, [iv("up", "00:00", null), iv("down", "10:00", "10:10"), iv("down", "10:00", "10:10"), iv("down", "10:05", "10:15"), iv("degraded", "09:00", "11:00")]);
    expect(f.down_ms).toBe(15 * MIN);
    expect(f.outages).toHaveLength(1);
    expect(f.by_status).toEqual({ up: (1440 - 120) * MIN, degraded: 105 * MIN, down: 15 * MIN });
  });

  it("counts unreachable as down by default with its own cause, or as unknown when asked", () => {
    const intervals = [iv("up", "00:00", "08:00"), iv("unreachable", "08:00", "09:00", "its parent is down"), iv("down", "09:00", "09:30", "own failure"), iv("degraded", "09:30", null)];
    const strict = uptime(DAY_RANGE, intervals);
    expect(strict).toMatchObject({ down_ms: 90 * MIN, up_ms: 1350 * MIN });
    // unreachable then down is one outage, told by what it began with
    expect(strict.outages).toEqual([{ start: at("08:00"), start_known: true, end: at("09:30"), duration_ms: 90 * MIN, in_range_ms: 90 * MIN, status: "unreachable", cause: "its parent is down" }]);
    const owner = uptime(DAY_RANGE, intervals, { count: { unreachable: "unknown", degraded: "down" } });
    expect(owner).toMatchObject({ down_ms: (30 + 870) * MIN, unknown_ms: 60 * MIN, up_ms: 480 * MIN });
    expect(owner.outages.map((o) => [o.start, o.end, o.status])).toEqual([[at("09:00"), null, "down"]]);
  });

  it("gives 24 h, 7 d and 30 d figures up to now", () => {
    const now = at("12:00");
    const intervals: StatusInterval[] = [{ status: "up", from: now - 40 * DAY, to: null }, { status: "down", from: now - 3 * DAY, to: now - 3 * DAY + 60 * MIN }, { status: "down", from: now - 60 * MIN, to: now - 30 * MIN }];
    const f = standardUptime(now, intervals);
    expect([f["24h"].down_ms, f["7d"].down_ms, f["30d"].down_ms]).toEqual([30 * MIN, 90 * MIN, 90 * MIN]);
    expect(f["30d"].uptime_ratio).toBeCloseTo(1 - 90 / (30 * 1440), 12);
    expect(f["24h"].unknown_ms).toBe(0);
  });

  it("refuses an empty or inverted range", () => {
    expect(() => uptime({ from: 10, to: 10 }, [])).toThrow(RangeError);
    expect(() => uptime({ from: 10, to: Number.NaN }, [])).toThrow(RangeError);
  });
});

describe("uptime properties", () => {
  const status = fc.constantFrom(...NODE_STATUSES);
  const interval = fc.record({ status, from: fc.integer({ min: -100, max: 1000 }), len: fc.integer({ min: 0, max: 400 }), open: fc.boolean() }).map(
    (x): StatusInterval => ({ status: x.status, from: x.from * MIN, to: x.open ? null : (x.from + x.len) * MIN, reason: `${x.status} from ${x.from}` }),
  );
  const counting = fc.record({ unreachable: fc.constantFrom("up", "down", "unknown"), degraded: fc.constantFrom("up", "down"), flapping: fc.constantFrom("up", "down", "unknown") } as const);
  const range = fc.tuple(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 1, max: 800 })).map(([a, len]) => ({ from: a * MIN, to: (a + len) * MIN }));

  it("splits the range exactly into up, down, maintenance and unknown, and outages add up to the downtime", () => {
    fc.assert(
      fc.property(range, fc.array(interval, { maxLength: 12 }), counting, (r, intervals, count) => {
        const f = uptime(r, intervals, { count });
        expect(f.up_ms + f.down_ms + f.maintenance_ms + f.unknown_ms).toBe(r.to - r.from);
        expect(f.outages.reduce((s, o) => s + o.in_range_ms, 0)).toBe(f.down_ms);
        for (const o of f.outages) expect(o.duration_ms).toBeGreaterThanOrEqual(o.in_range_ms);
        if (f.uptime_ratio !== null) expect(f.uptime_ratio).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it("does not depend on the order of the intervals", () => {
    fc.assert(
      fc.property(range, fc.array(interval, { maxLength: 10 }).chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length, maxLength: a.length }))), (r, [a, b]) => {
        const x = uptime(r, a);
        const y = uptime(r, b);
        expect({ ...y, outages: y.outages.map(({ cause, ...o }) => o) }).toEqual({ ...x, outages: x.outages.map(({ cause, ...o }) => o) });
      }),
    );
  });

  it("adds up over adjacent ranges: [a, c) is [a, b) plus [b, c)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), fc.array(interval, { maxLength: 10 }), (a, ab, bc, intervals) => {
        const [from, mid, to] = [a * MIN, (a + ab) * MIN, (a + ab + bc) * MIN];
        const whole = uptime({ from, to }, intervals);
        const left = uptime({ from, to: mid }, intervals);
        const right = uptime({ from: mid, to }, intervals);
        for (const k of ["up_ms", "down_ms", "maintenance_ms", "unknown_ms"] as const) expect(left[k] + right[k]).toBe(whole[k]);
      }),
    );
  });

  it("reads shuffled status changes the same when each was known at a distinct time", () => {
    const change = fc.record({ to: status, at: fc.integer({ min: 0, max: 1440 }), lag: fc.integer({ min: 0, max: 10 }) });
    fc.assert(
      fc.property(fc.uniqueArray(change, { maxLength: 15, selector: (c) => c.at + c.lag }).chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length, maxLength: a.length }))), ([a, b]) => {
        const toChanges = (xs: typeof a): StatusChange[] => xs.map((c) => ({ to: c.to, at: c.at * MIN, confirmed_at: (c.at + c.lag) * MIN }));
        expect(intervalsFromChanges({ changes: toChanges(b) })).toEqual(intervalsFromChanges({ changes: toChanges(a) }));
      }),
    );
  });
});
