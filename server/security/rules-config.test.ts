import { describe, expect, it } from "vitest";
import { parseRulesConfig } from "./rules-config";
import { RuleSet } from "./detections/rules";
import { BruteForceRule, SlowBruteForceRule } from "./detections/brute-force";
import { PrivilegeEscalationRule } from "./detections/privilege-escalation";

const FILE = "/etc/vigil/rules.yaml";

/** The README's example: every rule with every knob at its default but the ones the comment names. */
const EXAMPLE = `# VIGIL_RULES=/etc/vigil/rules.yaml
brute_force: { failures: 8, window: 2m }
brute_force_slow: { failures: 15, window: 1h }
password_spraying: { accounts: 5, window: 10m }
distributed_attack: { failures: 10, sources: 5, window: 10m }
success_after_failures: { failures: 5, window: 10m }
privilege_escalation: { failures: 5, window: 10m }   # stricter than the default 7 in 5 min
ids_priority: { max_priority: 2 }                    # priority 2 opens at once too
ids_campaign: { sources: 10, window: 24h }
ids_persistent_source: { alerts: 50, signatures: 5, alerts_with_signatures: 20, window: 24h }
ids_engine_noise: { events: 1000, window: 1h }
port_scan: { ports: 20, hosts: 20, window: 60s }
payment_velocity: { transactions: 10, amount: 5000, amount_min_transactions: 2, window: 10m, dimensions: [account, card], severity: high }
card_testing: { small_amount: 5, small_attempts: 10, decline_ratio: 0.5, cards: 5, window: 10m, dimensions: [ip] }
`;

const problems = (text: string) => {
  const r = parseRulesConfig(text, FILE);
  if (r.ok) throw new Error("expected problems");
  return r.problems.map((p) => `${p.line}:${p.col} ${p.message}`);
};

describe("the rules file", () => {
  it("reads every rule's knobs into the rules' options", () => {
    const r = parseRulesConfig(EXAMPLE, FILE);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.rules).toHaveLength(13);
    expect(r.config.auth).toEqual({
      bruteForce: { threshold: 8, windowMs: 120_000 },
      bruteForceSlow: { threshold: 15, windowMs: 3_600_000, fast: { threshold: 8, windowMs: 120_000 } },
      passwordSpraying: { minAccounts: 5, windowMs: 600_000 },
      distributedAttack: { minFailures: 10, minSources: 5, windowMs: 600_000 },
      successAfterFailures: { minFailures: 5, windowMs: 600_000 },
      privilegeEscalation: { threshold: 5, windowMs: 600_000 },
    });
    expect(r.config.ids).toEqual({
      priority: { maxPriority: 2 },
      campaign: { minSources: 10, windowMs: 86_400_000 },
      persistentSource: { minAlerts: 50, minSignatures: 5, minAlertsWithSignatures: 20, windowMs: 86_400_000 },
      engineNoise: { minEvents: 1000, windowMs: 3_600_000 },
      portScan: { minPorts: 20, minHosts: 20, windowMs: 60_000 },
    });
    expect(r.config.payments).toEqual({
      velocity: { maxTransactions: 10, maxAmount: 5000, amountMinTransactions: 2, windowMs: 600_000, dimensions: ["account", "card"], severity: "high" },
      cardTesting: { smallAmount: 5, minSmallAttempts: 10, minDeclineRatio: 0.5, minCards: 5, windowMs: 600_000, dimensions: ["ip"] },
    });
    const set = new RuleSet(r.config);
    expect((set.get("privilege_escalation") as PrivilegeEscalationRule).options).toMatchObject({ threshold: 5, windowMs: 600_000 });
  });

  it("leaves every rule at its defaults for an empty file or a file of comments", () => {
    for (const text of ["", "# nothing changed yet\n", "{}"]) {
      const r = parseRulesConfig(text, FILE);
      expect(r).toEqual({ ok: true, config: { auth: {}, ids: {}, payments: {} }, rules: [] });
    }
  });

  it("tells the slow brute-force rule the fast rule's new threshold and window", () => {
    const r = parseRulesConfig("brute_force: { failures: 5 }\n", FILE);
    if (!r.ok) throw new Error("expected ok");
    const set = new RuleSet(r.config);
    expect((set.get("brute_force") as BruteForceRule).options).toMatchObject({ threshold: 5, windowMs: 120_000 });
    expect((set.get("brute_force_slow") as SlowBruteForceRule).options).toMatchObject({ threshold: 15, fast: { threshold: 5, windowMs: 120_000 } });
  });

  it("rejects an unknown rule at its line, naming the rules there are", () => {
    const [p] = problems("brute_force: { failures: 8 }\nbrute_forse:\n  failures: 3\n");
    expect(p).toMatch(/^2:1 unknown rule "brute_forse" \(rules: brute_force, brute_force_slow, .*privilege_escalation.*\)$/);
  });

  it("rejects an unknown setting at its name, naming the settings the rule takes", () => {
    expect(problems("privilege_escalation:\n  failures: 5\n  treshold: 3\n")).toEqual(['3:3 privilege_escalation: unknown setting "treshold" (settings: failures, window, reorder)']);
  });

  it("rejects bad values with the line and the reason", () => {
    const text = [
      "brute_force:",
      "  failures: 0", // 2
      "  window: 2", // 3: no unit
      "password_spraying: { accounts: 2.5 }", // 4
      "ids_campaign: { window: 30d }", // 5: over 7 days
      "card_testing: { decline_ratio: 1.5, dimensions: [card] }", // 6
      "payment_velocity: { severity: urgent }", // 7
      "port_scan: { window: 1h30x }", // 8
      "ids_priority: 1", // 9: not a mapping
      "",
    ].join("\n");
    const got = problems(text);
    expect(got).toHaveLength(9);
    expect(got[0]).toBe("2:13 brute_force.failures: must be at least 1");
    expect(got[1]).toMatch(/^3:11 brute_force\.window: invalid duration "2": a unit is needed/);
    expect(got[2]).toBe("4:32 password_spraying.accounts: must be a whole number");
    expect(got[3]).toMatch(/^5:25 ids_campaign\.window: 30d is outside 1s to 7d$/);
    expect(got[4]).toBe("6:32 card_testing.decline_ratio: must be at most 1 (all declined)");
    expect(got[5]).toMatch(/^6:50 card_testing\.dimensions\.0: .*"ip"\|"device"/);
    expect(got[6]).toMatch(/^7:31 payment_velocity\.severity: /);
    expect(got[7]).toMatch(/^8:22 port_scan\.window: invalid duration "1h30x"/);
    expect(got[8]).toMatch(/^9:15 ids_priority: .*object/);
  });

  it("rejects a slow window shorter than the fast one, at the window that makes it so", () => {
    const why = "brute_force_slow's window (5m) must be at least brute_force's (10m): the slow rule counts what the fast one leaves";
    expect(problems("brute_force: { window: 10m }\nbrute_force_slow:\n  window: 5m\n")).toEqual([`3:11 ${why}`]);
    expect(problems("brute_force_slow: { window: 5m }\nbrute_force: { window: 10m }\n")).toEqual([`1:29 ${why}`]);
    expect(problems("brute_force: { window: 2h }\n")).toEqual(["1:24 brute_force_slow's window (1h) must be at least brute_force's (2h): the slow rule counts what the fast one leaves"]);
  });

  it("rejects YAML that does not parse, and a rule written twice, at their lines", () => {
    expect(problems("brute_force:\n  failures: [8\n")[0]).toMatch(/^[23]:\d+ /);
    expect(problems("brute_force: { failures: 8 }\nbrute_force: { failures: 9 }\n")[0]).toMatch(/^2:1 .*[Mm]ap keys must be unique/);
  });

  it("reads JSON too", () => {
    const r = parseRulesConfig('{"privilege_escalation": {"failures": 4, "window": "2m"}}', FILE);
    expect(r).toMatchObject({ ok: true, config: { auth: { privilegeEscalation: { threshold: 4, windowMs: 120_000 } } } });
  });
});
