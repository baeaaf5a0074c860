import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { EPISODE_LATENESS_MS, EpisodeWindows, type EpisodeReport, type WindowFigures } from "./ids-episodes";
import { clip, fmtAmount, fmtDuration, fmtInt, plural } from "./ids-format";
import { distinctText } from "./ids-support";
import { amountOf, dimensionValue, isDeclined, type PaymentDimension } from "./payment-fields";

export const CARD_TESTING_RULE = "card_testing";

export interface CardTestingConfig {
  /** an attempt of this amount or less (any currency) is a small one */
  smallAmount: number;
  /** small attempts from one source … */
  minSmallAttempts: number;
  /** … of which at least this share declined */
  minDeclineRatio: number;
  /** or: distinct cards from one source */
  minCards: number;
  windowMs: number;
  /** what a source is: the client address, the device, or both (each its own incident) */
  dimensions: readonly Extract<PaymentDimension, "ip" | "device">[];
  /** sources tracked at most, least recently seen forgotten first */
  maxSources: number;
  /** units of state at most (see EpisodeOptions.maxWeight) */
  maxWeight: number;
}

/**
 * Defaults: from one IP or device within 10 min, 10 attempts of 5 or less with half of them
 * declined, or 5 distinct cards (at any amount).
 */
export const CARD_TESTING_DEFAULTS: CardTestingConfig = {
  smallAmount: 5,
  minSmallAttempts: 10,
  minDeclineRatio: 0.5,
  minCards: 5,
  windowMs: 10 * 60_000,
  dimensions: ["ip", "device"],
  maxSources: 100_000,
  maxWeight: 500_000,
};

const SMALL = "small";
const SMALL_DECLINED = "small declined";
const DECLINED = "declined";

/**
 * Card testing: many small attempts with declines, or many cards, from one source (entity
 * `ip:…` or `device:…`). Severity high. MITRE: none, on purpose: this is payment fraud, which
 * ATT&CK does not model.
 */
export class CardTestingRule implements SecurityRule {
  readonly name = CARD_TESTING_RULE;
  readonly config: CardTestingConfig;
  private readonly windows: EpisodeWindows;

  get horizonMs(): number {
    return this.config.windowMs + EPISODE_LATENESS_MS;
  }

  constructor(config: Partial<CardTestingConfig> = {}) {
    this.config = { ...CARD_TESTING_DEFAULTS, ...config };
    this.windows = new EpisodeWindows({
      windowMs: this.config.windowMs,
      qualifies: (f) => this.tripped(f) !== null,
      maxKeys: this.config.maxSources,
      maxWeight: this.config.maxWeight,
      topMembers: 200,
    });
  }

  stats() {
    return this.windows.stats();
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    for (const e of batch) {
      if (e.kind !== "transaction") continue;
      const amount = amountOf(e);
      const small = amount !== null && amount <= this.config.smallAmount;
      const declined = isDeclined(e);
      const sums: [string, number][] = [];
      if (small) sums.push([SMALL, 1]);
      if (small && declined) sums.push([SMALL_DECLINED, 1]);
      if (declined) sums.push([DECLINED, 1]);
      const card = dimensionValue(e, "card");
      for (const dimension of this.config.dimensions) {
        const value = dimensionValue(e, dimension);
        if (value !== null) this.windows.add(`${dimension}:${value}`, { time: e.time, weight: e.occurrences, id: e.id, member: card, sums });
      }
    }
    return this.windows.flush().map((r) => this.report(r));
  }

  private tripped(f: WindowFigures): "small attempts" | "cards" | "small attempts and cards" | null {
    const c = this.config;
    const small = f.sums.get(SMALL) ?? 0;
    const declines = f.sums.get(SMALL_DECLINED) ?? 0;
    const bySmall = small >= c.minSmallAttempts && declines >= c.minDeclineRatio * small;
    const byCards = f.distinct >= c.minCards;
    return bySmall && byCards ? "small attempts and cards" : bySmall ? "small attempts" : byCards ? "cards" : null;
  }

  private report(r: EpisodeReport): SecurityDetection {
    const c = this.config;
    const ep = r.episode;
    const colon = r.key.indexOf(":");
    const dimension = r.key.slice(0, colon);
    const value = r.key.slice(colon + 1);
    const small = ep.sums.get(SMALL) ?? 0;
    const smallDeclined = ep.sums.get(SMALL_DECLINED) ?? 0;
    const declined = ep.sums.get(DECLINED) ?? 0;
    const cards = distinctText(ep.members.distinct, ep.members.distinctApproximate);
    const rate = small > 0 ? Math.round((100 * smallDeclined) / small) : 0;
    return {
      rule: CARD_TESTING_RULE,
      entity: r.key,
      title: `Card testing from ${dimension} ${clip(value, 64)}`,
      severity: "high",
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      increment: r.increment,
      explanation:
        `${plural(ep.weight, "attempt")} from ${dimension} ${clip(value, 64)} over ${fmtDuration(ep.last - ep.first)}: ` +
        `${fmtInt(small)} of ${fmtAmount(c.smallAmount)} or less, ${fmtInt(smallDeclined)} of them declined (${rate} %), ` +
        `${fmtInt(declined)} declined in all, ${cards} ${ep.members.distinct === 1 ? "card" : "cards"}; ${this.tripped(ep.trigger) ?? "cards"} threshold tripped: ` +
        `threshold ${plural(c.minSmallAttempts, "small attempt")} with ${Math.round(c.minDeclineRatio * 100)} % declined, or ${plural(c.minCards, "card")}, in ${fmtDuration(c.windowMs)}`,
      mitre: null,
      evidence: r.evidence,
      details: {
        dimension,
        value,
        attempts: ep.weight,
        smallAttempts: small,
        smallDeclined,
        declined,
        distinctCards: ep.members.distinct,
        distinctApproximate: ep.members.distinctApproximate,
        topCards: ep.members.top(10),
        tripped: this.tripped(ep.trigger),
      },
    };
  }
}
