import { describe, expect, it } from "vitest";
import { BRUTE_FORCE_DEFAULTS, STATE_DEFAULTS, windowLimits, withDefaults } from "./auth-config";
import { BruteForceRule, SlowBruteForceRule } from "./brute-force";
import { DistributedAttackRule } from "./distributed";
import { PrivilegeEscalationRule } from "./privilege-escalation";
import { PasswordSprayingRule } from "./spraying";
import { SuccessAfterFailuresRule } from "./success-after-failures";

describe("auth rule options", () => {
  it("ship the documented defaults", () => {
    expect(new BruteForceRule().options).toMatchObject({ threshold: 8, windowMs: 120_000 });
    expect(new SlowBruteForceRule().options).toMatchObject({ threshold: 15, windowMs: 3_600_000, fast: { threshold: 8, windowMs: 120_000 } });
    expect(new PasswordSprayingRule().options).toMatchObject({ minAccounts: 5, windowMs: 600_000 });
    expect(new DistributedAttackRule().options).toMatchObject({ minFailures: 10, minSources: 5, windowMs: 600_000 });
    expect(new SuccessAfterFailuresRule().options).toMatchObject({ minFailures: 5, windowMs: 600_000 });
    expect(new PrivilegeEscalationRule().options).toMatchObject({ threshold: 7, windowMs: 300_000 });
    expect(STATE_DEFAULTS).toEqual({ reorderMs: 3_600_000, maxKeys: 32_000, maxEntriesPerKey: 1_000, maxEntries: 150_000, maxConnections: 32_000 });
  });

  it("keep a key for its window plus the tolerated disorder", () => {
    expect(windowLimits(BRUTE_FORCE_DEFAULTS).retentionMs).toBe(120_000 + 3_600_000);
  });

  it("refuse values that cannot work", () => {
    expect(() => withDefaults(BRUTE_FORCE_DEFAULTS, { threshold: 0 })).toThrow(/threshold/);
    expect(() => withDefaults(BRUTE_FORCE_DEFAULTS, { windowMs: Number.NaN })).toThrow(/windowMs/);
    expect(() => withDefaults(BRUTE_FORCE_DEFAULTS, { maxEntriesPerKey: 10, maxEntries: 5 })).toThrow(/maxEntriesPerKey/);
    expect(() => new SlowBruteForceRule({ fast: { threshold: 8, windowMs: 7_200_000 } })).toThrow(/fast/);
    expect(() => new PasswordSprayingRule({ minAccounts: -1 })).toThrow(/minAccounts/);
  });
});
