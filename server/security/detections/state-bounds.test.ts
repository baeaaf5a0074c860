import { describe, expect, it } from "vitest";
import { SEC, T0, fail } from "./auth-test-events";
import { BruteForceRule } from "./brute-force";
import { flatKey } from "./attempts";
import { RuleSet } from "./rules";

// What the auth rules hold under a flood of distinct sources stays within their caps, what the
// caps drop is counted, and a source that keeps failing is still found through the flood
// (least recently touched keys go first). bench/auth-flood.ts prints what the caps cost in memory.
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

describe("auth rule state under a flood of distinct sources", () => {
  it("holds at most its caps of keys and connections and counts every key and connection it dropped", () => {
    const rule = new BruteForceRule({ maxKeys: 50, maxEntriesPerKey: 100, maxEntries: 500, maxConnections: 40 });
    const flood = Array.from({ length: 300 }, (_, i) => fail(T0 + i * SEC, { src_ip: ip(i), src_port: 1024 + i }));
    expect(rule.observe(flood)).toEqual([]);
    expect(rule.state()).toEqual({ keys: 50, entries: 50, connections: 40, evicted_keys: 250, late_entries: 0, evicted_connections: 260 });
  });

  it("counts a failure older than its key's horizon as late instead of holding it", () => {
    const rule = new BruteForceRule({ reorderMs: 60 * SEC });
    rule.observe([fail(T0 + 3_600 * SEC)]);
    rule.observe([fail(T0)]); // an hour before the key's latest: past 2 min + 1 min
    expect(rule.state()).toMatchObject({ keys: 1, entries: 1, late_entries: 1 });
  });

  it("still finds a source that fails more often than the cap's worth of other sources come by, while thousands of one-off sources push keys out", () => {
    // least recently touched first: a key survives while fewer than maxKeys other keys are touched
    // between two of its failures (the default 32,000)
    const rule = new BruteForceRule({ maxKeys: 100, maxEntriesPerKey: 100, maxEntries: 1_000, maxConnections: 100 });
    const found: string[] = [];
    let n = 0;
    for (let batch = 0; batch < 40; batch++) {
      const events = Array.from({ length: 80 }, () => fail(T0 + n * 125, { src_ip: ip(1_000 + n++) }));
      events.push(fail(T0 + n * 125, { src_ip: "198.51.100.7" })); // one a batch, 10 s apart: 8 within 2 min
      for (const d of rule.observe(events)) found.push(d.entity);
    }
    expect(new Set(found)).toEqual(new Set(["sshd:198.51.100.7"]));
    expect(rule.state().evicted_keys).toBe(40 * 80 + 1 - 100); // every distinct key but the 100 held
  });

  it("reports each windowed rule's state by name, and none for rules without windows", () => {
    const set = new RuleSet();
    set.events[0].observe([fail(T0, { src_ip: "203.0.113.9", src_port: 5 })]);
    const state = set.state();
    expect(Object.keys(state).sort()).toEqual(["brute_force", "brute_force_slow", "distributed_attack", "password_spraying", "privilege_escalation", "success_after_failures"]);
    expect(state.brute_force).toEqual({ keys: 1, entries: 1, connections: 1, evicted_keys: 0, late_entries: 0, evicted_connections: 0 });
  });
});

describe("flatKey", () => {
  it("joins its parts as the template literal did, so stored keys keep their meaning", () => {
    expect(flatKey(["pid", "bastion", 4242])).toBe("pid\u0000bastion\u00004242");
    expect(flatKey(["sshd", "203.0.113.5"], ":")).toBe("sshd:203.0.113.5");
  });
});
