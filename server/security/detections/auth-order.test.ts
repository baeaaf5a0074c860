import { describe, expect, it } from "vitest";
import type { SecurityRule, StoredEvent } from "../types";
import { chunks, fail, failures, incidents, MIN, random, SEC, shuffled, success, T0, totals } from "./auth-test-events";
import { BruteForceRule, SlowBruteForceRule } from "./brute-force";
import { DistributedAttackRule } from "./distributed";
import { DetectionEngine } from "./engine";
import { RuleSet } from "./rules";
import { PasswordSprayingRule } from "./spraying";
import { SuccessAfterFailuresRule } from "./success-after-failures";

/**
 * A 55-minute auth log with every pattern the rules look for among ordinary traffic, with
 * "Invalid user" markers a second before their attempts and preauth disconnects a second after.
 */
function mixedLog(): StoredEvent[] {
  const r = random(42);
  const log: StoredEvent[] = [];
  // ordinary users: a typo now and then, then a login
  for (let u = 0; u < 40; u++) {
    const t = T0 + Math.floor(r() * 50 * MIN);
    const src = `192.0.2.${10 + u}`;
    if (r() < 0.5) log.push(fail(t, { src_ip: src, user: `staff${u}`, src_port: 40_000 + u }));
    log.push(success(t + 5 * SEC, { src_ip: src, user: `staff${u}` }));
  }
  // fast brute force with invalid-user markers, from one address
  for (let i = 0; i < 60; i++) {
    const t = T0 + 5 * MIN + i * 3 * SEC;
    const user = ["root", "admin", "test", "oracle", "ubuntu"][i % 5];
    if (i % 5 !== 0) log.push(fail(t - SEC, { src_ip: "203.0.113.5", src_port: 50_000 + i, user, attempt: false }));
    log.push(fail(t, { src_ip: "203.0.113.5", src_port: 50_000 + i, user }));
    if (i % 7 === 0) log.push(fail(t + SEC, { src_ip: "203.0.113.5", src_port: 50_000 + i, user, attempt: false })); // preauth disconnect
  }
  // PAM lines standing for several failures, from a host name
  log.push(...failures(4, T0 + 20 * MIN, 10 * SEC, () => ({ src_ip: null, src_host: "dsl-7.example.net", user: "root", occurrences: 3 })));
  // a slow attack from a host name: one failure every 2.5 minutes
  log.push(...failures(22, T0, 150 * SEC, (i) => ({ src_ip: null, src_host: "slow.example.org", user: `svc${i % 4}` })));
  // spraying over two services
  log.push(...failures(12, T0 + 30 * MIN, 20 * SEC, (i) => ({ src_ip: "198.51.100.77", user: `emp${i}`, service: i % 2 ? "app" : "sshd" })));
  // a distributed attack on one account
  log.push(...failures(24, T0 + 40 * MIN, 15 * SEC, (i) => ({ src_ip: `100.64.0.${1 + (i % 8)}`, user: "cfo" })));
  // failures, then a login from the same address
  log.push(...failures(6, T0 + 45 * MIN, 20 * SEC, () => ({ src_ip: "192.0.2.200", user: "deploy" })));
  log.push(success(T0 + 48 * MIN, { src_ip: "192.0.2.200", user: "deploy" }));
  return log;
}

const rules: [string, () => SecurityRule][] = [
  ["brute_force", () => new BruteForceRule()],
  ["brute_force_slow", () => new SlowBruteForceRule()],
  ["password_spraying", () => new PasswordSprayingRule()],
  ["distributed_attack", () => new DistributedAttackRule()],
  ["success_after_failures", () => new SuccessAfterFailuresRule()],
];

describe("auth rules on a mixed log in any order", () => {
  const log = mixedLog();

  it("find what the log holds", () => {
    const all = Object.assign({}, ...rules.map(([, make]) => totals(incidents(make(), [log]))));
    expect(Object.keys(all).sort()).toEqual([
      "brute_force_slow|sshd:slow.example.org",
      "brute_force|sshd:203.0.113.5",
      "brute_force|sshd:dsl-7.example.net",
      "distributed_attack|sshd:cfo",
      "password_spraying|198.51.100.77",
      "password_spraying|203.0.113.5",
      "success_after_failures|192.0.2.200:deploy",
    ]);
    expect(all["brute_force|sshd:203.0.113.5"]).toEqual({ count: 60, firstSeen: T0 + 5 * MIN, lastSeen: T0 + 5 * MIN + 177 * SEC });
    expect(all["password_spraying|203.0.113.5"]).toEqual({ count: 60, firstSeen: T0 + 5 * MIN, lastSeen: T0 + 5 * MIN + 177 * SEC });
    expect(all["brute_force|sshd:dsl-7.example.net"]).toMatchObject({ count: 12 });
    expect(all["brute_force_slow|sshd:slow.example.org"]).toEqual({ count: 22, firstSeen: T0, lastSeen: T0 + 21 * 150 * SEC });
    expect(all["distributed_attack|sshd:cfo"]).toMatchObject({ count: 24 });
    expect(all["password_spraying|198.51.100.77"]).toMatchObject({ count: 12 });
    expect(all["success_after_failures|192.0.2.200:deploy"]).toEqual({ count: 1, firstSeen: T0 + 45 * MIN, lastSeen: T0 + 48 * MIN });
  });

  for (const [name, make] of rules) {
    it(`${name}: the same incidents for the log sorted, reversed, shuffled, and in batches of any size`, () => {
      const sorted = [...log].sort((a, b) => a.time - b.time);
      const expected = totals(incidents(make(), [sorted]));
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(totals(incidents(make(), [shuffled(log, 1)]))).toEqual(expected);
      expect(totals(incidents(make(), chunks([...sorted].reverse(), 7)))).toEqual(expected);
      expect(totals(incidents(make(), chunks(sorted, 1)))).toEqual(expected);
      for (const seed of [2, 3, 4]) expect(totals(incidents(make(), chunks(shuffled(log, seed), 5 + seed * 4)))).toEqual(expected);
    });
  }
});

describe("the slow attack the issue measured: 18 failures over 4 accounts in 6 minutes from one address", () => {
  // every rule Vigil runs with its defaults, as the server runs them
  const everyRule = (): SecurityRule => {
    const set = new RuleSet();
    const engine = new DetectionEngine(set.events, set.flows);
    return { name: "all", horizonMs: 0, observe: (batch) => engine.observe(batch) };
  };
  const attack = (n: number) =>
    Array.from({ length: n }, (_, i) => fail(T0 + Math.round((i * 6 * MIN) / (n - 1)), { src_ip: "203.0.113.9", src_port: 40_000 + i, user: ["root", "admin", "oracle", "ubuntu"][i % 4] }));

  it("opens one incident, brute_force_slow, from the first failure to the last, explained", () => {
    const log = attack(18);
    const [d, ...rest] = everyRule().observe(log);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: "brute_force_slow",
      entity: "sshd:203.0.113.9",
      increment: 18,
      firstSeen: T0,
      lastSeen: T0 + 6 * MIN,
      explanation: "18 failed logins for 4 accounts from 203.0.113.9 (sshd) in 6 min, under the fast rate; threshold 15 in 1 h",
    });
  });

  it("opens the same one incident for the attack shuffled, reversed, or one line at a time", () => {
    const log = attack(18);
    const expected = { "brute_force_slow|sshd:203.0.113.9": { count: 18, firstSeen: T0, lastSeen: T0 + 6 * MIN } };
    expect(totals(incidents(everyRule(), [log]))).toEqual(expected);
    expect(totals(incidents(everyRule(), [[...log].reverse()]))).toEqual(expected);
    expect(totals(incidents(everyRule(), chunks(log, 1)))).toEqual(expected);
    for (const seed of [1, 2, 3]) expect(totals(incidents(everyRule(), chunks(shuffled(log, seed), seed * 2)))).toEqual(expected);
  });

  it("opens nothing one failure below the threshold, in any order", () => {
    const log = attack(14);
    expect(totals(incidents(everyRule(), [log]))).toEqual({});
    expect(totals(incidents(everyRule(), chunks(shuffled(log, 7), 3)))).toEqual({});
  });
});
