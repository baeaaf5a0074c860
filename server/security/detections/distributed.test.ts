import { describe, expect, it } from "vitest";
import { chunks, fail, failures, incidents, MIN, SEC, shuffled, T0, totals } from "./auth-test-events";
import { DISTRIBUTED_ATTACK_RULE, DistributedAttackRule } from "./distributed";

/** `n` failures against `user`, cycling over `sources` sources. */
const attack = (n: number, sources: number, t0 = T0, step = 20 * SEC, extra = {}) =>
  failures(n, t0, step, (i) => ({ user: "alice", src_ip: `198.51.100.${1 + (i % sources)}`, ...extra }));

describe("distributed_attack", () => {
  it("does not fire with enough failures from one source too few", () => {
    expect(new DistributedAttackRule().observe(attack(30, 4))).toEqual([]);
  });

  it("does not fire with enough sources but one failure too few", () => {
    expect(new DistributedAttackRule().observe(attack(9, 5))).toEqual([]);
  });

  it("fires once at the threshold with the exact count, times and explanation", () => {
    const log = attack(10, 5);
    const [d, ...rest] = new DistributedAttackRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: DISTRIBUTED_ATTACK_RULE,
      entity: "sshd:alice",
      severity: "high",
      mitre: "T1110.001",
      increment: 10,
      firstSeen: T0,
      lastSeen: T0 + 180 * SEC,
      evidence: log.map((e) => e.id),
      explanation: "10 failed logins for alice (sshd) from 5 sources in 3 min; threshold 10 failures from 5 sources in 10 min",
    });
    expect(d.details).toMatchObject({ sources: { distinct: 5, top: [1, 2, 3, 4, 5].map((n) => ({ value: `198.51.100.${n}`, count: 2 })) } });
  });

  it("names no service for events sent without one (Vigil's own JSON), rather than \"(unknown)\"", () => {
    const [d] = new DistributedAttackRule().observe(attack(10, 5, T0, 20 * SEC, { service: null }));
    expect(d.title).toBe("Distributed attack on account alice");
    expect(d.explanation).toMatch(/^10 failed logins for alice from 5 sources/);
  });

  it("keeps accounts of different services apart", () => {
    const log = [...attack(5, 5, T0, SEC, { service: "sshd" }), ...attack(5, 5, T0, SEC, { service: "app" })];
    expect(new DistributedAttackRule().observe(log)).toEqual([]);
  });

  it("reports a long attack once per batch, increments summing to every failure", () => {
    const log = attack(400, 50, T0, SEC);
    const [d] = new DistributedAttackRule().observe(log);
    expect(d).toMatchObject({ increment: 400, firstSeen: T0, lastSeen: T0 + 399 * SEC, details: { sources: { distinct: 50 } } });
    expect(d.evidence).toEqual(log.slice(0, 100).map((e) => e.id));
    const batched = incidents(new DistributedAttackRule(), chunks(log, 33));
    expect(batched.get(`${DISTRIBUTED_ATTACK_RULE}|sshd:alice`)).toMatchObject({ count: 400, firstSeen: T0, lastSeen: T0 + 399 * SEC });
  });

  it("gives the same detection reversed or shuffled, and the same totals in small batches", () => {
    const log = [...attack(15, 6), ...attack(8, 8, T0 + 30 * MIN), ...attack(12, 5, T0 + 45 * MIN, 3 * SEC)];
    const once = new DistributedAttackRule().observe(log);
    expect(new DistributedAttackRule().observe([...log].reverse())).toEqual(once);
    expect(new DistributedAttackRule().observe(shuffled(log, 3))).toEqual(once);
    const expected = totals(incidents(new DistributedAttackRule(), [log]));
    expect(expected).toEqual({ [`${DISTRIBUTED_ATTACK_RULE}|sshd:alice`]: { count: 27, firstSeen: T0, lastSeen: T0 + 45 * MIN + 33 * SEC } });
    expect(totals(incidents(new DistributedAttackRule(), chunks([...log].reverse(), 4)))).toEqual(expected);
    expect(totals(incidents(new DistributedAttackRule(), chunks(shuffled(log, 8), 5)))).toEqual(expected);
  });

  it("counts host-name sources as distinct sources, and occurrences as failures", () => {
    const log = failures(5, T0, SEC, (i) => ({ user: "alice", src_ip: null, src_host: `host${i}.example.net`, occurrences: 2 }));
    const [d] = new DistributedAttackRule().observe(log);
    expect(d).toMatchObject({ increment: 10, details: { sources: { distinct: 5 } } });
    expect((d.details!.sources as { top: { value: string }[] }).top.map((s) => s.value)).toContain("host0.example.net");
  });

  it("counts a connection's marker and attempt once", () => {
    const log = Array.from({ length: 9 }, (_, i) => [
      fail(T0 + i * SEC, { user: "alice", src_ip: `198.51.100.${1 + (i % 5)}`, src_port: 7000 + i, attempt: false }),
      fail(T0 + i * SEC + 200, { user: "alice", src_ip: `198.51.100.${1 + (i % 5)}`, src_port: 7000 + i }),
    ]).flat();
    expect(new DistributedAttackRule().observe(log)).toEqual([]);
  });

  it("ignores failures without a source or an account", () => {
    const log = [...failures(10, T0, SEC, () => ({ user: "alice", src_ip: null })), ...failures(10, T0, SEC, (i) => ({ user: null, src_ip: `198.51.100.${i}` }))];
    expect(new DistributedAttackRule().observe(log)).toEqual([]);
  });

  it("keeps its state bounded", () => {
    const rule = new DistributedAttackRule({ maxKeys: 1_000 });
    rule.observe(Array.from({ length: 20_000 }, (_, n) => fail(T0 + n, { src_ip: `10.2.${n >> 8}.${n & 255}`, user: `u${n}` })));
    expect(rule.trackedKeys).toBe(1_000);
  });
});
