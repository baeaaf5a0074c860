import { formatDuration } from "../../network/duration";
import type { RuleState, SecurityRule } from "../types";
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

/** A rule's settings in the rules file's words (README "Rule settings"), durations as the file writes them ("2m"). */
export type RuleSettings = Record<string, number | string | readonly string[]>;

/** One rule of the set: the part of the config it reads, how it is made from it, and its running settings. */
interface Slot {
  name: string;
  part: (c: RulesConfig) => unknown;
  make: (c: RulesConfig) => SecurityRule;
  settings: (rule: SecurityRule) => RuleSettings;
}

/** A slot whose `settings` reads the rule class it makes. */
function slot<R extends SecurityRule>(name: string, part: (c: RulesConfig) => unknown, make: (c: RulesConfig) => R, settings: (rule: R) => RuleSettings): Slot {
  return { name, part, make, settings: settings as (rule: SecurityRule) => RuleSettings };
}

const d = formatDuration;
const authSettings = (count: number, o: { windowMs: number; reorderMs: number }) => ({ failures: count, window: d(o.windowMs), reorder: d(o.reorderMs) });

const SLOTS: readonly Slot[] = [
  slot(BRUTE_FORCE_RULE, (c) => c.auth?.bruteForce, (c) => new BruteForceRule(c.auth?.bruteForce), (r) => authSettings(r.options.threshold, r.options)),
  slot(BRUTE_FORCE_SLOW_RULE, (c) => c.auth?.bruteForceSlow, (c) => new SlowBruteForceRule(c.auth?.bruteForceSlow), (r) => authSettings(r.options.threshold, r.options)),
  slot(PASSWORD_SPRAYING_RULE, (c) => c.auth?.passwordSpraying, (c) => new PasswordSprayingRule(c.auth?.passwordSpraying), ({ options: o }) => ({ accounts: o.minAccounts, window: d(o.windowMs), reorder: d(o.reorderMs) })),
  slot(DISTRIBUTED_ATTACK_RULE, (c) => c.auth?.distributedAttack, (c) => new DistributedAttackRule(c.auth?.distributedAttack), ({ options: o }) => ({
    failures: o.minFailures,
    sources: o.minSources,
    window: d(o.windowMs),
    reorder: d(o.reorderMs),
  })),
  slot(SUCCESS_AFTER_FAILURES_RULE, (c) => c.auth?.successAfterFailures, (c) => new SuccessAfterFailuresRule(c.auth?.successAfterFailures), (r) => authSettings(r.options.minFailures, r.options)),
  slot(PRIVILEGE_ESCALATION_RULE, (c) => c.auth?.privilegeEscalation, (c) => new PrivilegeEscalationRule(c.auth?.privilegeEscalation), (r) => authSettings(r.options.threshold, r.options)),
  slot(IDS_PRIORITY_RULE, (c) => c.ids?.priority, (c) => new IdsPriorityRule(c.ids?.priority), (r) => ({ max_priority: r.config.maxPriority })),
  slot(IDS_CAMPAIGN_RULE, (c) => c.ids?.campaign, (c) => new IdsCampaignRule(c.ids?.campaign), ({ config: o }) => ({ sources: o.minSources, window: d(o.windowMs) })),
  slot(IDS_PERSISTENT_SOURCE_RULE, (c) => c.ids?.persistentSource, (c) => new IdsPersistentSourceRule(c.ids?.persistentSource), ({ config: o }) => ({
    alerts: o.minAlerts,
    signatures: o.minSignatures,
    alerts_with_signatures: o.minAlertsWithSignatures,
    window: d(o.windowMs),
  })),
  slot(IDS_ENGINE_NOISE_RULE, (c) => c.ids?.engineNoise, (c) => new IdsEngineNoiseRule(c.ids?.engineNoise), ({ config: o }) => ({ events: o.minEvents, window: d(o.windowMs) })),
  slot(PORT_SCAN_RULE, (c) => c.ids?.portScan, (c) => new PortScanRule(c.ids?.portScan), ({ config: o }) => ({ ports: o.minPorts, hosts: o.minHosts, window: d(o.windowMs) })),
  slot(PAYMENT_VELOCITY_RULE, (c) => c.payments?.velocity, (c) => new PaymentVelocityRule(c.payments?.velocity), ({ config: o }) => ({
    transactions: o.maxTransactions,
    amount: o.maxAmount,
    amount_min_transactions: o.amountMinTransactions,
    window: d(o.windowMs),
    dimensions: o.dimensions,
    severity: o.severity,
  })),
  slot(CARD_TESTING_RULE, (c) => c.payments?.cardTesting, (c) => new CardTestingRule(c.payments?.cardTesting), ({ config: o }) => ({
    small_amount: o.smallAmount,
    small_attempts: o.minSmallAttempts,
    decline_ratio: o.minDeclineRatio,
    cards: o.minCards,
    window: d(o.windowMs),
    dimensions: o.dimensions,
  })),
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

  /** Every running rule's settings, by name, in the rules file's words: what thresholds are in force. */
  settings(): Record<string, RuleSettings> {
    return Object.fromEntries(this.built.map((b, i) => [b.name, SLOTS[i].settings(b.rule)]));
  }

  /** What each windowed rule holds and has dropped, by name (rules without windows are left out). */
  state(): Record<string, RuleState> {
    const out: Record<string, RuleState> = {};
    for (const b of this.built) if (b.rule.state) out[b.name] = b.rule.state();
    return out;
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
