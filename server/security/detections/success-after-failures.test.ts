import { describe, expect, it } from "vitest";
import { chunks, fail, failures, incidents, MIN, SEC, shuffled, success, T0, totals } from "./auth-test-events";
import { SUCCESS_AFTER_FAILURES_RULE, SuccessAfterFailuresRule } from "./success-after-failures";

describe("success_after_failures", () => {
  it("does not fire after one failure fewer than the threshold", () => {
    expect(new SuccessAfterFailuresRule().observe([...failures(4, T0, 30 * SEC), success(T0 + 3 * MIN)])).toEqual([]);
  });

  it("does not fire when the failures are older than the window before the success", () => {
    expect(new SuccessAfterFailuresRule().observe([...failures(5, T0, SEC), success(T0 + 4 * SEC + 10 * MIN + 1)])).toEqual([]);
  });

  it("does not fire on failures that come after the success", () => {
    expect(new SuccessAfterFailuresRule().observe([success(T0), ...failures(8, T0 + SEC, SEC)])).toEqual([]);
  });

  it("fires at the threshold: critical, the evidence's own times, the failures and the login as evidence", () => {
    const fails = failures(5, T0, 30 * SEC, (i) => ({ user: i < 3 ? "root" : "admin" }));
    const login = success(T0 + 3 * MIN, { user: "admin" });
    const [d, ...rest] = new SuccessAfterFailuresRule().observe([...fails, login]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: SUCCESS_AFTER_FAILURES_RULE,
      entity: "203.0.113.5:admin",
      severity: "critical",
      mitre: "T1110",
      increment: 1,
      firstSeen: T0,
      lastSeen: T0 + 3 * MIN,
      evidence: [...fails, login].map((e) => e.id),
      explanation:
        "admin logged in from 203.0.113.5 (sshd) after 5 failed logins for 2 accounts in the preceding 3 min; threshold 5 in 10 min; likely compromise",
    });
    expect(d.details).toMatchObject({ failures: 5, note: "likely compromise", accounts: { distinct: 2, top: [{ value: "root", count: 3 }, { value: "admin", count: 2 }] } });
  });

  it("catches a success that arrived before the failures that precede it in event time", () => {
    const rule = new SuccessAfterFailuresRule();
    expect(rule.observe([success(T0 + 5 * MIN)])).toEqual([]);
    expect(rule.observe(failures(3, T0, SEC))).toEqual([]);
    const [d] = rule.observe(failures(2, T0 + MIN, SEC));
    expect(d).toMatchObject({ increment: 1, firstSeen: T0, lastSeen: T0 + 5 * MIN });
    // more late failures before the flagged login add evidence and count no second login
    const more = failures(2, T0 - MIN, SEC);
    expect(rule.observe(more)).toMatchObject([{ increment: 0, firstSeen: T0 - MIN, lastSeen: T0 + 5 * MIN, evidence: more.map((e) => e.id) }]);
    expect(rule.observe(failures(2, T0 + 6 * MIN, SEC))).toEqual([]); // after the login: nothing to add
  });

  it("folds several suspect logins of one batch into one report, and reports a later one again", () => {
    const rule = new SuccessAfterFailuresRule();
    const [d] = rule.observe([...failures(6, T0, SEC), success(T0 + MIN), success(T0 + 2 * MIN)]);
    expect(d).toMatchObject({ increment: 2, firstSeen: T0, lastSeen: T0 + 2 * MIN });
    expect(d.explanation).toContain("(2 such logins)");
    expect(rule.observe([success(T0 + 3 * MIN)])[0]).toMatchObject({ increment: 1, lastSeen: T0 + 3 * MIN });
  });

  it("keeps at most 100 evidence ids, the logins always among them", () => {
    const login = success(T0 + 9 * MIN);
    const [d] = new SuccessAfterFailuresRule().observe([...failures(300, T0, SEC), login]);
    expect(d.evidence).toHaveLength(100);
    expect(d.evidence.at(-1)).toBe(login.id);
    expect(d.explanation).toMatch(/^root logged in .* after 300 failed logins/);
  });

  it("gives the same incidents for the log reversed and shuffled in small batches", () => {
    const log = [
      ...failures(6, T0, 10 * SEC),
      success(T0 + 2 * MIN, { user: "alice" }),
      success(T0 + 3 * MIN, { user: "bob" }),
      ...failures(3, T0 + 30 * MIN, SEC),
      success(T0 + 31 * MIN, { user: "alice" }),
      ...failures(5, T0 + 20 * MIN, SEC, () => ({ src_ip: "192.0.2.9" })),
      success(T0 + 29 * MIN, { src_ip: "192.0.2.9", user: "carol" }),
    ];
    const expected = totals(incidents(new SuccessAfterFailuresRule(), [log]));
    expect(expected).toEqual({
      [`${SUCCESS_AFTER_FAILURES_RULE}|203.0.113.5:alice`]: { count: 1, firstSeen: T0, lastSeen: T0 + 2 * MIN },
      [`${SUCCESS_AFTER_FAILURES_RULE}|203.0.113.5:bob`]: { count: 1, firstSeen: T0, lastSeen: T0 + 3 * MIN },
      [`${SUCCESS_AFTER_FAILURES_RULE}|192.0.2.9:carol`]: { count: 1, firstSeen: T0 + 20 * MIN, lastSeen: T0 + 29 * MIN },
    });
    expect(totals(incidents(new SuccessAfterFailuresRule(), chunks([...log].reverse(), 2)))).toEqual(expected);
    expect(totals(incidents(new SuccessAfterFailuresRule(), chunks(shuffled(log, 6), 3)))).toEqual(expected);
  });

  it("detects on a host-name source and counts occurrences", () => {
    const host = { src_ip: null, src_host: "cable-7.isp.example" };
    const [d] = new SuccessAfterFailuresRule().observe([fail(T0, { ...host, occurrences: 5 }), success(T0 + MIN, host)]);
    expect(d).toMatchObject({ entity: "cable-7.isp.example:root", title: "Login as root from cable-7.isp.example after repeated failures" });
  });

  it("counts each connection's marker and attempt once", () => {
    const conn = (i: number) => [fail(T0 + i * SEC, { src_port: 8000 + i, attempt: false }), fail(T0 + i * SEC + 100, { src_port: 8000 + i })];
    const four = [0, 1, 2, 3].flatMap(conn);
    expect(new SuccessAfterFailuresRule().observe([...four, success(T0 + MIN)])).toEqual([]);
    expect(new SuccessAfterFailuresRule().observe([...four, ...conn(4), success(T0 + MIN)])).toHaveLength(1);
  });

  it("keeps its state bounded", () => {
    const rule = new SuccessAfterFailuresRule({ maxKeys: 1_000 });
    rule.observe(Array.from({ length: 20_000 }, (_, n) => (n % 2 ? success : fail)(T0 + n, { src_ip: `10.3.${n >> 8}.${n & 255}` })));
    expect(rule.trackedKeys).toBe(2_000);
  });
});
