import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { EPISODE_LATENESS_MS, EpisodeWindows, type WindowFigures } from "./ids-episodes";
import { clip, fmtAmount, fmtDuration, fmtInt, plural } from "./ids-format";
import { distinctText } from "./ids-support";
import { PaymentBursts, splitKey, type BurstGroup } from "./payment-bursts";
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
  /** what a source is: the client address, the device, or both (crossing over the same attempts, one burst and one incident) */
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
 * Card testing: many small attempts with declines, or many cards, from one source. Each IP and
 * device (key `ip:…`, `device:…`) is counted on its own; keys that cross over the same attempts are
 * ONE burst and one detection (payment-bursts.ts): a tester's device and its address crossing
 * together are one case. The entity is the device, else the IP, among the keys that crossed
 * together; the other is named in the title, the explanation and `details.keys`, and a key that
 * crosses later over attempts of the burst joins it with a timeline note. Severity high. MITRE:
 * none, on purpose: this is payment fraud, which ATT&CK does not model.
 */
export class CardTestingRule implements SecurityRule {
  readonly name = CARD_TESTING_RULE;
  readonly config: CardTestingConfig;
  private readonly windows: EpisodeWindows;
  private readonly bursts = new PaymentBursts();

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

  /** The incidents still active at start (see PaymentBursts.resume). */
  resume(active: readonly { entity: string; details: Record<string, unknown> | null }[]): void {
    this.bursts.resume(active);
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
    const reports = this.windows.flush();
    if (reports.length === 0) return [];
    return this.bursts
      .group(batch, reports, this.config.dimensions, (r) => this.tripped(r.episode.trigger) ?? "cards")
      .map((g) => this.report(g))
      .sort((a, b) => a.firstSeen - b.firstSeen || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0));
  }

  private tripped(f: WindowFigures): "small attempts" | "cards" | "small attempts and cards" | null {
    const c = this.config;
    const small = f.sums.get(SMALL) ?? 0;
    const declines = f.sums.get(SMALL_DECLINED) ?? 0;
    const bySmall = small >= c.minSmallAttempts && declines >= c.minDeclineRatio * small;
    const byCards = f.distinct >= c.minCards;
    return bySmall && byCards ? "small attempts and cards" : bySmall ? "small attempts" : byCards ? "cards" : null;
  }

  private report(g: BurstGroup): SecurityDetection {
    const c = this.config;
    const s = this.bursts.settle(g);
    const { dimension, value, tripped } = s.primary;
    const ep = s.primary.report.episode;
    const small = ep.sums.get(SMALL) ?? 0;
    const smallDeclined = ep.sums.get(SMALL_DECLINED) ?? 0;
    const declined = ep.sums.get(DECLINED) ?? 0;
    const cards = distinctText(ep.members.distinct, ep.members.distinctApproximate);
    const rate = small > 0 ? Math.round((100 * smallDeclined) / small) : 0;
    const also = s.also(5, "attempt");
    const [entityDimension, entityValue] = splitKey(s.entity);
    return {
      rule: CARD_TESTING_RULE,
      entity: s.entity,
      title: `Card testing from ${entityDimension} ${clip(entityValue, 64)}${s.titleOthers}`,
      severity: "high",
      firstSeen: s.firstSeen,
      lastSeen: s.lastSeen,
      increment: s.increment,
      explanation:
        `${plural(ep.weight, "attempt")} from ${dimension} ${clip(value, 64)} over ${fmtDuration(ep.last - ep.first)}: ` +
        `${fmtInt(small)} of ${fmtAmount(c.smallAmount)} or less, ${fmtInt(smallDeclined)} of them declined (${rate} %), ` +
        `${fmtInt(declined)} declined in all, ${cards} ${ep.members.distinct === 1 ? "card" : "cards"}; ${tripped} threshold tripped: ` +
        `threshold ${plural(c.minSmallAttempts, "small attempt")} with ${Math.round(c.minDeclineRatio * 100)} % declined, or ${plural(c.minCards, "card")}, in ${fmtDuration(c.windowMs)}` +
        (also ? `; the same attempts also crossed for ${also}` : ""),
      mitre: null,
      evidence: s.evidence,
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
        ...s.details,
      },
      ...(s.joined.length
        ? {
            notes: s.joined.map(
              (m) =>
                `${m.dimension} ${clip(m.value, 64)} crossed the card testing threshold too (${plural(m.report.episode.weight, "attempt")} in ` +
                `${fmtDuration(m.report.episode.last - m.report.episode.first)}, ${m.tripped}) over attempts of this burst: counted here, no incident of its own`,
            ),
          }
        : {}),
    };
  }
}
