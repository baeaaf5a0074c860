import { describe, expect, it } from "vitest";
import { chunks, fail, failures, incidents, MIN, SEC, shuffled, T0, totals } from "./auth-test-events";
import { PASSWORD_SPRAYING_RULE, PasswordSprayingRule } from "./spraying";

const spray = (accounts: number, t0 = T0, step = 30 * SEC, extra = {}) => failures(accounts, t0, step, (i) => ({ user: `user${i}`, ...extra }));

describe("password_spraying", () => {
  it("does not fire for one account fewer than the threshold, however many failures", () => {
    const log = [...spray(4), ...failures(40, T0, SEC, (i) => ({ user: `user${i % 4}` }))];
    expect(new PasswordSprayingRule().observe(log)).toEqual([]);
  });

  it("does not fire when the accounts spread wider than the window", () => {
    expect(new PasswordSprayingRule().observe(spray(5, T0, 151 * SEC))).toEqual([]); // 5 accounts over 10 min 4 s
  });

  it("fires once at the threshold with the exact count, times and explanation", () => {
    const log = spray(5);
    const [d, ...rest] = new PasswordSprayingRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: PASSWORD_SPRAYING_RULE,
      entity: "203.0.113.5",
      severity: "high",
      mitre: "T1110.003",
      increment: 5,
      firstSeen: T0,
      lastSeen: T0 + 2 * MIN,
      evidence: log.map((e) => e.id),
      explanation: "203.0.113.5 failed to log in to 5 accounts (5 failures, sshd) in 120 s; threshold 5 accounts in 10 min",
    });
    expect(d.details).toMatchObject({ accounts: { distinct: 5 }, services: { distinct: 1, top: [{ value: "sshd", count: 5 }] } });
  });

  it("spans services: the same source spraying sshd and an app is one spray", () => {
    const log = [...spray(3, T0, SEC, { service: "sshd" }), ...failures(2, T0 + 10 * SEC, SEC, (i) => ({ user: `app${i}`, service: "app" }))];
    const [d] = new PasswordSprayingRule().observe(log);
    expect(d).toMatchObject({ entity: "203.0.113.5", increment: 5 });
    expect(d.explanation).toContain("(5 failures, sshd, app)");
  });

  it("reports a large spray as one detection per batch with increments summing to every failure", () => {
    const log = spray(300, T0, SEC);
    const [d, ...rest] = new PasswordSprayingRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ increment: 300, firstSeen: T0, lastSeen: T0 + 299 * SEC });
    expect(d.evidence).toHaveLength(100);
    expect(d.details).toMatchObject({ accounts: { distinct: 300 } });
    expect((d.details!.accounts as { top: unknown[] }).top).toHaveLength(10);
    expect(totals(incidents(new PasswordSprayingRule(), chunks(log, 7)))).toEqual({
      [`${PASSWORD_SPRAYING_RULE}|203.0.113.5`]: { count: 300, firstSeen: T0, lastSeen: T0 + 299 * SEC },
    });
  });

  it("gives the same detection reversed or shuffled, and the same totals in small batches", () => {
    const log = [...spray(12, T0, 20 * SEC), ...spray(3, T0 + 30 * MIN), ...spray(6, T0 + 50 * MIN, 5 * SEC)];
    const once = new PasswordSprayingRule().observe(log);
    expect(new PasswordSprayingRule().observe([...log].reverse())).toEqual(once);
    expect(new PasswordSprayingRule().observe(shuffled(log, 9))).toEqual(once);
    const expected = totals(incidents(new PasswordSprayingRule(), [log]));
    expect(expected[`${PASSWORD_SPRAYING_RULE}|203.0.113.5`]).toEqual({ count: 18, firstSeen: T0, lastSeen: T0 + 50 * MIN + 25 * SEC });
    expect(totals(incidents(new PasswordSprayingRule(), chunks([...log].reverse(), 2)))).toEqual(expected);
    expect(totals(incidents(new PasswordSprayingRule(), chunks(shuffled(log, 4), 3)))).toEqual(expected);
  });

  it("detects a host-name source and counts occurrences", () => {
    const log = spray(5, T0, SEC, { src_ip: null, src_host: "scanner.example.com", occurrences: 3 });
    expect(new PasswordSprayingRule().observe(log)[0]).toMatchObject({ entity: "scanner.example.com", increment: 15 });
  });

  it("counts an invalid-user marker as an account tried, once per connection", () => {
    const log = Array.from({ length: 5 }, (_, i) => [
      fail(T0 + i * SEC, { user: `ghost${i}`, src_port: 6000 + i, attempt: false }),
      fail(T0 + i * SEC + 100, { user: `ghost${i}`, src_port: 6000 + i, attempt: false }),
    ]).flat();
    expect(new PasswordSprayingRule().observe(log)[0]).toMatchObject({ increment: 5, details: { accounts: { distinct: 5 } } });
  });

  it("ignores failures that name no account", () => {
    expect(new PasswordSprayingRule().observe(failures(20, T0, SEC, () => ({ user: null })))).toEqual([]);
  });

  it("keeps its state bounded", () => {
    const rule = new PasswordSprayingRule({ maxKeys: 1_000 });
    rule.observe(Array.from({ length: 20_000 }, (_, n) => fail(T0 + n, { src_ip: `10.1.${n >> 8}.${n & 255}`, user: `u${n}` })));
    expect(rule.trackedKeys).toBe(1_000);
  });
});
