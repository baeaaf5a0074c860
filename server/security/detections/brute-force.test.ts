import { describe, expect, it } from "vitest";
import { chunks, fail, failures, incidents, MIN, SEC, shuffled, T0, totals } from "./auth-test-events";
import { BRUTE_FORCE_RULE, BRUTE_FORCE_SLOW_RULE, BruteForceRule, SlowBruteForceRule } from "./brute-force";

describe("brute_force", () => {
  it("does not fire one failure below the threshold", () => {
    expect(new BruteForceRule().observe(failures(7, T0, 10 * SEC))).toEqual([]);
  });

  it("does not fire when the threshold's failures spread wider than the window", () => {
    // 8 failures over 121 s: no 120 s span holds all 8
    expect(new BruteForceRule().observe(failures(8, T0, (121 * SEC) / 7))).toEqual([]);
  });

  it("fires once at the threshold with the exact count, the evidence's own times and an explanation", () => {
    const batch = failures(8, T0, 10 * SEC, (i) => ({ user: ["root", "admin", "oracle"][i % 3] }));
    const [d, ...rest] = new BruteForceRule().observe(batch);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: BRUTE_FORCE_RULE,
      entity: "sshd:203.0.113.5",
      severity: "high",
      mitre: "T1110.001",
      increment: 8,
      firstSeen: T0,
      lastSeen: T0 + 70 * SEC,
      evidence: batch.map((e) => e.id),
      explanation: "8 failed logins for 3 accounts from 203.0.113.5 (sshd) in 70 s; threshold 8 in 120 s",
    });
    expect(d.details).toMatchObject({ failures: 8, accounts: { distinct: 3, top: [{ value: "admin", count: 3 }, { value: "root", count: 3 }, { value: "oracle", count: 2 }] } });
  });

  it("reports a flood as one detection per batch whose increments sum to the true number of failures", () => {
    const log = failures(500, T0, SEC);
    const [d, ...rest] = new BruteForceRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ increment: 500, firstSeen: T0, lastSeen: T0 + 499 * SEC });
    expect(d.evidence).toEqual(log.slice(0, 100).map((e) => e.id));
    expect(d.explanation).toBe("500 failed logins for 1 account from 203.0.113.5 (sshd) in 8 min; threshold 8 in 120 s");

    const batched = incidents(new BruteForceRule(), chunks(log, 37));
    expect(batched.get(`${BRUTE_FORCE_RULE}|sshd:203.0.113.5`)).toEqual({ count: 500, firstSeen: T0, lastSeen: T0 + 499 * SEC, reports: 14 });
  });

  it("adds each further failure of a burst going on, and explains the burst so far", () => {
    const rule = new BruteForceRule();
    rule.observe(failures(8, T0, 10 * SEC));
    const [d] = rule.observe(failures(3, T0 + 80 * SEC, 10 * SEC));
    expect(d).toMatchObject({ increment: 3, firstSeen: T0 + 80 * SEC, lastSeen: T0 + 100 * SEC });
    expect(d.explanation).toBe("11 failed logins for 1 account from 203.0.113.5 (sshd) in 100 s; threshold 8 in 120 s");
  });

  it("reports again when the same source bursts again after its window emptied", () => {
    const rule = new BruteForceRule();
    expect(rule.observe(failures(8, T0, SEC))[0]).toMatchObject({ increment: 8 });
    expect(rule.observe([fail(T0 + 30 * MIN)])).toEqual([]);
    expect(rule.observe(failures(8, T0 + 60 * MIN, SEC))[0]).toMatchObject({ increment: 8, firstSeen: T0 + 60 * MIN, explanation: expect.stringMatching(/^8 failed logins/) });
  });

  it("gives the same detection for a batch in reversed or shuffled order", () => {
    const log = failures(40, T0, 3 * SEC, (i) => ({ user: `u${i % 4}` }));
    const sorted = new BruteForceRule().observe(log);
    expect(new BruteForceRule().observe([...log].reverse())).toEqual(sorted);
    expect(new BruteForceRule().observe(shuffled(log, 1))).toEqual(sorted);
  });

  it("gives the same incident totals and times for a log fed reversed or shuffled in small batches", () => {
    const log = [...failures(30, T0, 5 * SEC), ...failures(7, T0 + 10 * MIN, 30 * SEC), ...failures(12, T0 + 40 * MIN, 2 * SEC)];
    const expected = totals(incidents(new BruteForceRule(), [log]));
    expect(expected[`${BRUTE_FORCE_RULE}|sshd:203.0.113.5`]).toEqual({ count: 42, firstSeen: T0, lastSeen: T0 + 40 * MIN + 22 * SEC });
    expect(totals(incidents(new BruteForceRule(), chunks([...log].reverse(), 5)))).toEqual(expected);
    expect(totals(incidents(new BruteForceRule(), chunks(shuffled(log, 2), 4)))).toEqual(expected);
  });

  it("counts a late failure that completes a burst in event time", () => {
    const rule = new BruteForceRule();
    expect(rule.observe(failures(7, T0 + 10 * SEC, 10 * SEC))).toEqual([]);
    const late = fail(T0);
    expect(rule.observe([late])[0]).toMatchObject({ increment: 8, firstSeen: T0, lastSeen: T0 + 70 * SEC, evidence: expect.arrayContaining([late.id]) });
  });

  it("detects on a host-name source and names it", () => {
    const [d] = new BruteForceRule().observe(failures(8, T0, SEC, () => ({ src_ip: null, src_host: "ppp-12.dsl.example.net", service: "sshd" })));
    expect(d).toMatchObject({ entity: "sshd:ppp-12.dsl.example.net", title: "Brute-force logins from ppp-12.dsl.example.net (sshd)" });
    expect(d.explanation).toContain("from ppp-12.dsl.example.net (sshd)");
  });

  it("counts a line standing for several failures by its occurrences", () => {
    const lines = [fail(T0, { occurrences: 4 }), fail(T0 + SEC, { occurrences: 4 })];
    const [d] = new BruteForceRule().observe(lines);
    expect(d).toMatchObject({ increment: 8, evidence: lines.map((e) => e.id) });
    expect(new BruteForceRule().observe([fail(T0, { occurrences: 7 })])).toEqual([]);
  });

  it("counts a connection's markers and attempt once, and markers alone once per connection", () => {
    const withAttempts = Array.from({ length: 7 }, (_, i) => [
      fail(T0 + i * SEC, { src_port: 5000 + i, attempt: false }),
      fail(T0 + i * SEC + 500, { src_port: 5000 + i, attempt: true }),
      fail(T0 + i * SEC + 600, { src_port: 5000 + i, attempt: false }),
    ]).flat();
    expect(new BruteForceRule().observe(withAttempts)).toEqual([]);
    const markersOnly = Array.from({ length: 8 }, (_, i) => [
      fail(T0 + i * SEC, { src_port: 5000 + i, attempt: false }),
      fail(T0 + i * SEC + 600, { src_port: 5000 + i, attempt: false }),
    ]).flat();
    expect(new BruteForceRule().observe(markersOnly)[0]).toMatchObject({ increment: 8 });
  });

  it("keeps services apart, while sshd's PAM lines count with sshd", () => {
    const mixed = [...failures(4, T0, SEC, () => ({ service: "sshd" })), ...failures(4, T0 + 5 * SEC, SEC, () => ({ service: "app" }))];
    expect(new BruteForceRule().observe(mixed)).toEqual([]);
    const pam = [...failures(4, T0, SEC, () => ({ service: "sshd" })), ...failures(4, T0 + 5 * SEC, SEC, () => ({ service: "sshd", user: "oracle" }))];
    expect(new BruteForceRule().observe(pam)[0]).toMatchObject({ entity: "sshd:203.0.113.5", increment: 8 });
  });

  it("ignores failures with no source", () => {
    expect(new BruteForceRule().observe(failures(20, T0, SEC, () => ({ src_ip: null, service: "su" })))).toEqual([]);
  });

  it("keeps its state bounded: 200k distinct sources leave at most the key cap tracked", () => {
    const rule = new BruteForceRule();
    for (let b = 0; b < 20; b++) {
      const batch = Array.from({ length: 10_000 }, (_, i) => {
        const n = b * 10_000 + i;
        return fail(T0 + n, { src_ip: `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}` });
      });
      rule.observe(batch);
    }
    expect(rule.trackedKeys).toBe(rule.options.maxKeys);
    expect(rule.trackedEntries).toBeLessThanOrEqual(rule.options.maxEntries);
  });

  it("caps one flooding source's entries and still counts every failure of the flood", () => {
    const rule = new BruteForceRule({ maxEntriesPerKey: 50, maxEntries: 100 });
    const got = incidents(rule, chunks(failures(1_000, T0, 10), 100));
    expect(rule.trackedEntries).toBeLessThanOrEqual(50);
    expect(got.get(`${BRUTE_FORCE_RULE}|sshd:203.0.113.5`)?.count).toBe(1_000);
  });
});

describe("brute_force_slow", () => {
  const slowLog = (n: number) => failures(n, T0, 3 * MIN); // one every 3 minutes: never 8 in 2 minutes

  it("does not fire one failure below the threshold", () => {
    expect(new SlowBruteForceRule().observe(slowLog(14))).toEqual([]);
  });

  it("fires at 15 failures within an hour that stay under the fast rate", () => {
    const log = slowLog(15);
    const [d, ...rest] = new SlowBruteForceRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: BRUTE_FORCE_SLOW_RULE,
      entity: "sshd:203.0.113.5",
      severity: "medium",
      mitre: "T1110.001",
      increment: 15,
      firstSeen: T0,
      lastSeen: T0 + 42 * MIN,
      explanation: "15 failed logins for 1 account from 203.0.113.5 (sshd) in 42 min, under the fast rate; threshold 15 in 1 h",
    });
    expect(new BruteForceRule().observe(log)).toEqual([]);
  });

  it("leaves a fast attack to the fast rule", () => {
    expect(new SlowBruteForceRule().observe(failures(100, T0, SEC))).toEqual([]);
  });

  it("counts only the failures outside fast bursts", () => {
    const log = [...failures(10, T0, SEC), ...failures(20, T0 + 3 * MIN, 2 * MIN)];
    const [d] = new SlowBruteForceRule().observe(log);
    expect(d).toMatchObject({ increment: 20, firstSeen: T0 + 3 * MIN, lastSeen: T0 + 41 * MIN });
  });

  it("gives the same totals for the log reversed and shuffled in batches", () => {
    // two slow streams and a fast burst between them, over 4 h: the rule is told to tolerate that much disorder
    const log = [...slowLog(25), ...failures(12, T0 + 2 * 60 * MIN, SEC), ...failures(22, T0 + 3 * 60 * MIN, 3 * MIN)];
    const make = () => new SlowBruteForceRule({ reorderMs: 4 * 60 * MIN });
    const expected = totals(incidents(make(), [log]));
    expect(expected).toEqual({ [`${BRUTE_FORCE_SLOW_RULE}|sshd:203.0.113.5`]: { count: 47, firstSeen: T0, lastSeen: T0 + 3 * 60 * MIN + 63 * MIN } });
    expect(totals(incidents(make(), chunks([...log].reverse(), 3)))).toEqual(expected);
    expect(totals(incidents(make(), chunks(shuffled(log, 5), 6)))).toEqual(expected);
  });

  it("detects on host names and counts occurrences", () => {
    const log = failures(10, T0, 5 * MIN, () => ({ src_ip: null, src_host: "gw.example.org", occurrences: 2 }));
    expect(new SlowBruteForceRule().observe(log)[0]).toMatchObject({ entity: "sshd:gw.example.org", increment: 20 });
  });

  it("keeps its state bounded", () => {
    const rule = new SlowBruteForceRule({ maxKeys: 1_000 });
    rule.observe(Array.from({ length: 20_000 }, (_, n) => fail(T0 + n, { src_ip: `10.0.${n >> 8}.${n & 255}`, user: `u${n}` })));
    expect(rule.trackedKeys).toBe(1_000);
  });
});
