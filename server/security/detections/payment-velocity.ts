import type { Severity } from "../../../lib/contracts/common";
import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { EPISODE_LATENESS_MS, EpisodeWindows, type WindowFigures } from "./ids-episodes";
import { clip, fmtAmount, fmtDuration, plural } from "./ids-format";
import { PaymentBursts, splitKey, type BurstGroup } from "./payment-bursts";
import { amountOf, currencyOf, dimensionValue, isRefund, PAYMENT_DIMENSIONS, type PaymentDimension } from "./payment-fields";

export const PAYMENT_VELOCITY_RULE = "payment_velocity";

export interface PaymentVelocityConfig {
  /** transactions from one account, card, device or IP that trip the count threshold */
  maxTransactions: number;
  /** summed amount in one currency that trips the amount threshold … */
  maxAmount: number;
  /** … once there are at least this many transactions (one large payment is not velocity) */
  amountMinTransactions: number;
  windowMs: number;
  dimensions: readonly PaymentDimension[];
  severity: Severity;
  /** dimension values tracked at most, least recently seen forgotten first */
  maxKeys: number;
  /** units of state at most (see EpisodeOptions.maxWeight) */
  maxWeight: number;
}

/**
 * Defaults: 10 transactions, or 5,000 in one currency over at least 2 transactions, from one
 * account, card, device or IP within 10 min.
 */
export const PAYMENT_VELOCITY_DEFAULTS: PaymentVelocityConfig = {
  maxTransactions: 10,
  maxAmount: 5_000,
  amountMinTransactions: 2,
  windowMs: 10 * 60_000,
  dimensions: PAYMENT_DIMENSIONS,
  severity: "medium",
  maxKeys: 100_000,
  maxWeight: 500_000,
};

const largest = (sums: ReadonlyMap<string, number>): [string, number] | null => {
  let best: [string, number] | null = null;
  for (const [c, v] of sums) if (!best || v > best[1] || (v === best[1] && c < best[0])) best = [c, v];
  return best;
};

/**
 * Payment velocity: each dimension value (key `${dimension}:${value}`) is counted on its own, and
 * crosses when its transactions within `windowMs` reach the count or the amount threshold (the
 * explanation names which one tripped). Keys that cross over the same transactions are ONE burst
 * and report as one detection: a card used from one device and one IP by one account crosses on
 * all four keys at once, and that is one fraud case, not four. The burst's entity is its primary
 * key (account, else card, device, IP) among those that crossed together; the others are named in
 * the title, the explanation and `details.keys`, and a key that crosses later over transactions of
 * the burst joins it with a timeline note instead of opening another incident. Keys that share no
 * transaction are separate bursts. MITRE: none (fraud, not an ATT&CK technique).
 */
export class PaymentVelocityRule implements SecurityRule {
  readonly name = PAYMENT_VELOCITY_RULE;
  readonly config: PaymentVelocityConfig;
  private readonly windows: EpisodeWindows;
  private readonly bursts = new PaymentBursts();

  get horizonMs(): number {
    return this.config.windowMs + EPISODE_LATENESS_MS;
  }

  constructor(config: Partial<PaymentVelocityConfig> = {}) {
    this.config = { ...PAYMENT_VELOCITY_DEFAULTS, ...config };
    this.windows = new EpisodeWindows({
      windowMs: this.config.windowMs,
      qualifies: (f) => this.tripped(f) !== null,
      maxKeys: this.config.maxKeys,
      maxWeight: this.config.maxWeight,
      topMembers: 50,
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
      // a refund or chargeback is no spending: a merchant refunding ten items to one card is no burst
      if (e.kind !== "transaction" || isRefund(e)) continue;
      const amount = amountOf(e);
      const sums = amount !== null ? [[currencyOf(e), amount] as const] : undefined;
      for (const dimension of this.config.dimensions) {
        const value = dimensionValue(e, dimension);
        if (value !== null) this.windows.add(`${dimension}:${value}`, { time: e.time, weight: e.occurrences, id: e.id, sums });
      }
    }
    const reports = this.windows.flush();
    if (reports.length === 0) return [];
    return this.bursts
      .group(batch, reports, this.config.dimensions, (r) => this.tripped(r.episode.trigger) ?? "count")
      .map((g) => this.report(g))
      .sort((a, b) => a.firstSeen - b.firstSeen || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0));
  }

  private tripped(f: WindowFigures): "count" | "amount" | "count and amount" | null {
    const c = this.config;
    const count = f.weight >= c.maxTransactions;
    const top = largest(f.sums);
    const amount = f.weight >= c.amountMinTransactions && top !== null && top[1] >= c.maxAmount;
    return count && amount ? "count and amount" : count ? "count" : amount ? "amount" : null;
  }

  private report(g: BurstGroup): SecurityDetection {
    const c = this.config;
    const s = this.bursts.settle(g);
    const { dimension, value, tripped } = s.primary;
    const ep = s.primary.report.episode;
    const amounts = [...ep.sums].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const amountText = amounts.length ? ` totalling ${amounts.slice(0, 3).map(([cur, v]) => `${fmtAmount(v)} ${clip(cur, 12)}`).join(", ")}` : "";
    const trig = ep.trigger;
    const trigTop = largest(trig.sums);
    const trigText =
      tripped === "count"
        ? `${plural(trig.weight, "transaction")} in ${fmtDuration(trig.last - trig.first)}`
        : `${fmtAmount(trigTop?.[1] ?? 0)} ${clip(trigTop?.[0] ?? "", 12)} over ${plural(trig.weight, "transaction")} in ${fmtDuration(trig.last - trig.first)}`;
    const also = s.also(5, "transaction");
    const [entityDimension, entityValue] = splitKey(s.entity);
    return {
      rule: PAYMENT_VELOCITY_RULE,
      entity: s.entity,
      title: `Payment velocity: ${entityDimension} ${clip(entityValue, 64)}${s.titleOthers}`,
      severity: c.severity,
      firstSeen: s.firstSeen,
      lastSeen: s.lastSeen,
      increment: s.increment,
      explanation:
        `${plural(ep.weight, "transaction")}${amountText} from ${dimension} ${clip(value, 64)} over ${fmtDuration(ep.last - ep.first)}; ` +
        `${tripped} threshold tripped (${trigText}): threshold ${plural(c.maxTransactions, "transaction")} or ` +
        `${fmtAmount(c.maxAmount)} in one currency (over ${plural(c.amountMinTransactions, "transaction")} at least) in ${fmtDuration(c.windowMs)}` +
        (also ? `; the same transactions also crossed for ${also}` : ""),
      mitre: null,
      evidence: s.evidence,
      details: {
        dimension,
        value,
        transactions: ep.weight,
        amounts: Object.fromEntries(amounts.slice(0, 10)),
        tripped,
        trigger: { transactions: trig.weight, amounts: Object.fromEntries(trig.sums), spanMs: trig.last - trig.first },
        ...s.details,
      },
      ...(s.joined.length
        ? {
            notes: s.joined.map(
              (m) =>
                `${m.dimension} ${clip(m.value, 64)} crossed the velocity threshold too (${plural(m.report.episode.weight, "transaction")} in ` +
                `${fmtDuration(m.report.episode.last - m.report.episode.first)}, ${m.tripped}) over transactions of this burst: counted here, no incident of its own`,
            ),
          }
        : {}),
    };
  }
}
