import type { SecurityRule } from "../types";
import type { AuthRulesConfig } from "./auth-config";
import { BruteForceRule, SlowBruteForceRule } from "./brute-force";
import { DistributedAttackRule } from "./distributed";
import type { FlowRule } from "./engine";
import { PasswordSprayingRule } from "./spraying";
import { SuccessAfterFailuresRule } from "./success-after-failures";

/** Thresholds of every rule; README "Detections" lists the defaults. */
export interface RulesConfig {
  auth?: AuthRulesConfig;
}

/** The rules Vigil runs, with their thresholds. */
export function defaultRules(config: RulesConfig = {}): { events: SecurityRule[]; flows: FlowRule[] } {
  const auth = config.auth ?? {};
  return {
    events: [
      new BruteForceRule(auth.bruteForce),
      new SlowBruteForceRule(auth.bruteForceSlow),
      new PasswordSprayingRule(auth.passwordSpraying),
      new DistributedAttackRule(auth.distributedAttack),
      new SuccessAfterFailuresRule(auth.successAfterFailures),
    ],
    flows: [],
  };
}
