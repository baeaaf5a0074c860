import type { SecurityRule } from "../types";
import type { AuthRulesConfig } from "./auth-config";
import { BRUTE_FORCE_RULE, BRUTE_FORCE_SLOW_RULE, BruteForceRule, SlowBruteForceRule } from "./brute-force";
import { CARD_TESTING_RULE, CardTestingRule, type CardTestingConfig } from "./card-testing";
import { DISTRIBUTED_ATTACK_RULE, DistributedAttackRule } from "./distributed";
import type { FlowRule } from "./engine";
import { IDS_CAMPAIGN_RULE, IdsCampaignRule, type IdsCampaignConfig } from "./ids-campaign";
import { IDS_ENGINE_NOISE_RULE, IdsEngineNoiseRule, type IdsEngineNoiseConfig } from "./ids-engine-noise";
import { IDS_PERSISTENT_SOURCE_RULE, IdsPersistentSourceRule, type IdsPersistentSourceConfig } from "./ids-persistent-source";
import { IDS_PRIORITY_RULE, IdsPriorityRule, type IdsPriorityConfig } from "./ids-priority";
import { PAYMENT_VELOCITY_RULE, PaymentVelocityRule, type PaymentVelocityConfig } from "./payment-velocity";
import { PRIVILEGE_ESCALATION_RULE, PrivilegeEscalationRule } from "./privilege-escalation";
import { PORT_SCAN_RULE, PortScanRule, type PortScanConfig } from "./scan";
import { PASSWORD_SPRAYING_RULE, PasswordSprayingRule } from "./spraying";
import { SUCCESS_AFTER_FAILURES_RULE, SuccessAfterFailuresRule } from "./success-after-failures";

/** Thresholds of every rule; README "Detections and incidents" lists the defaults, VIGIL_RULES sets them (rules-config.ts). */
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

/** One rule of the set: the part of the config it reads, and how it is made from it. */
interface Slot {
  name: string;
  part: (c: RulesConfig) => unknown;
  make: (c: RulesConfig) => SecurityRule;
}

const SLOTS: readonly Slot[] = [
  { name: BRUTE_FORCE_RULE, part: (c) => c.auth?.bruteForce, make: (c) => new BruteForceRule(c.auth?.bruteForce) },
  { name: BRUTE_FORCE_SLOW_RULE, part: (c) => c.auth?.bruteForceSlow, make: (c) => new SlowBruteForceRule(c.auth?.bruteForceSlow) },
  { name: PASSWORD_SPRAYING_RULE, part: (c) => c.auth?.passwordSpraying, make: (c) => new PasswordSprayingRule(c.auth?.passwordSpraying) },
  { name: DISTRIBUTED_ATTACK_RULE, part: (c) => c.auth?.distributedAttack, make: (c) => new DistributedAttackRule(c.auth?.distributedAttack) },
  { name: SUCCESS_AFTER_FAILURES_RULE, part: (c) => c.auth?.successAfterFailures, make: (c) => new SuccessAfterFailuresRule(c.auth?.successAfterFailures) },
  { name: PRIVILEGE_ESCALATION_RULE, part: (c) => c.auth?.privilegeEscalation, make: (c) => new PrivilegeEscalationRule(c.auth?.privilegeEscalation) },
  { name: IDS_PRIORITY_RULE, part: (c) => c.ids?.priority, make: (c) => new IdsPriorityRule(c.ids?.priority) },
  { name: IDS_CAMPAIGN_RULE, part: (c) => c.ids?.campaign, make: (c) => new IdsCampaignRule(c.ids?.campaign) },
  { name: IDS_PERSISTENT_SOURCE_RULE, part: (c) => c.ids?.persistentSource, make: (c) => new IdsPersistentSourceRule(c.ids?.persistentSource) },
  { name: IDS_ENGINE_NOISE_RULE, part: (c) => c.ids?.engineNoise, make: (c) => new IdsEngineNoiseRule(c.ids?.engineNoise) },
  { name: PORT_SCAN_RULE, part: (c) => c.ids?.portScan, make: (c) => new PortScanRule(c.ids?.portScan) },
  { name: PAYMENT_VELOCITY_RULE, part: (c) => c.payments?.velocity, make: (c) => new PaymentVelocityRule(c.payments?.velocity) },
  { name: CARD_TESTING_RULE, part: (c) => c.payments?.cardTesting, make: (c) => new CardTestingRule(c.payments?.cardTesting) },
];

/** The names of every rule Vigil runs, in the order they run. */
export const RULE_NAMES: readonly string[] = SLOTS.map((s) => s.name);

/** A rule's part of the config as text, to tell a changed part from an unchanged one (a RegExp by its source). */
const fingerprint = (part: unknown) => JSON.stringify(part ?? {}, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v));

const isFlowRule = (rule: SecurityRule): rule is SecurityRule & FlowRule => typeof (rule as Partial<FlowRule>).observeFlows === "function";

/**
 * The rules Vigil runs, made from a config and remade from another without a restart: `update`
 * rebuilds only the rules whose part changed (they start with empty windows, so failures before the
 * change do not count towards the new threshold); the others keep their windows and open bursts.
 */
export class RuleSet {
  private built: { name: string; part: string; rule: SecurityRule }[];

  constructor(config: RulesConfig = {}) {
    this.built = SLOTS.map((s) => ({ name: s.name, part: fingerprint(s.part(config)), rule: s.make(config) }));
  }

  /**
   * Problems a config would meet, per rule (a rule refuses options that cannot work: a slow window
   * shorter than the fast one …), without changing the running set. Empty when it would apply.
   */
  static check(config: RulesConfig): { rule: string; message: string }[] {
    const out: { rule: string; message: string }[] = [];
    for (const s of SLOTS) {
      try {
        s.make(config);
      } catch (error) {
        out.push({ rule: s.name, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return out;
  }

  /** Applies a new config; answers the names of the rules it rebuilt. Throws, changing nothing, when a rule refuses it. */
  update(config: RulesConfig): string[] {
    const next = SLOTS.map((s, i) => {
      const part = fingerprint(s.part(config));
      return part === this.built[i].part ? this.built[i] : { name: s.name, part, rule: s.make(config) };
    });
    const rebuilt = next.filter((n, i) => n !== this.built[i]).map((n) => n.name);
    this.built = next;
    return rebuilt;
  }

  get events(): SecurityRule[] {
    return this.built.map((b) => b.rule);
  }

  /** The rules that also read flow records (the port scan rule). */
  get flows(): FlowRule[] {
    return this.built.map((b) => b.rule).filter(isFlowRule);
  }

  /** The running rule of that name. */
  get(name: string): SecurityRule | undefined {
    return this.built.find((b) => b.name === name)?.rule;
  }
}

/** The rules Vigil runs, with their thresholds. */
export function defaultRules(config: RulesConfig = {}): { events: SecurityRule[]; flows: FlowRule[] } {
  const set = new RuleSet(config);
  return { events: set.events, flows: set.flows };
}
