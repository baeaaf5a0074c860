import type { SecurityRule } from "../types";
import type { AuthRulesConfig } from "./auth-config";
import { BruteForceRule, SlowBruteForceRule } from "./brute-force";
import { CardTestingRule, type CardTestingConfig } from "./card-testing";
import { DistributedAttackRule } from "./distributed";
import type { FlowRule } from "./engine";
import { IdsCampaignRule, type IdsCampaignConfig } from "./ids-campaign";
import { IdsEngineNoiseRule, type IdsEngineNoiseConfig } from "./ids-engine-noise";
import { IdsPersistentSourceRule, type IdsPersistentSourceConfig } from "./ids-persistent-source";
import { IdsPriorityRule, type IdsPriorityConfig } from "./ids-priority";
import { PaymentVelocityRule, type PaymentVelocityConfig } from "./payment-velocity";
import { PortScanRule, type PortScanConfig } from "./scan";
import { PasswordSprayingRule } from "./spraying";
import { SuccessAfterFailuresRule } from "./success-after-failures";

/** Thresholds of every rule; README "Detections and incidents" lists the defaults. */
export interface RulesConfig {
  auth?: AuthRulesConfig;
  ids?: {
    priority?: Partial<IdsPriorityConfig>;
    campaign?: Partial<IdsCampaignConfig>;
    persistentSource?: Partial<IdsPersistentSourceConfig>;
    engineNoise?: Partial<IdsEngineNoiseConfig>;
    portScan?: Partial<PortScanConfig>;
  };
  payments?: { velocity?: Partial<PaymentVelocityConfig>; cardTesting?: Partial<CardTestingConfig> };
}

/** The rules Vigil runs, with their thresholds. */
export function defaultRules(config: RulesConfig = {}): { events: SecurityRule[]; flows: FlowRule[] } {
  const auth = config.auth ?? {};
  const ids = config.ids ?? {};
  const payments = config.payments ?? {};
  const scan = new PortScanRule(ids.portScan);
  return {
    events: [
      new BruteForceRule(auth.bruteForce),
      new SlowBruteForceRule(auth.bruteForceSlow),
      new PasswordSprayingRule(auth.passwordSpraying),
      new DistributedAttackRule(auth.distributedAttack),
      new SuccessAfterFailuresRule(auth.successAfterFailures),
      new IdsPriorityRule(ids.priority),
      new IdsCampaignRule(ids.campaign),
      new IdsPersistentSourceRule(ids.persistentSource),
      new IdsEngineNoiseRule(ids.engineNoise),
      scan,
      new PaymentVelocityRule(payments.velocity),
      new CardTestingRule(payments.cardTesting),
    ],
    flows: [scan],
  };
}
