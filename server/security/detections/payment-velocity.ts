import type { Severity } from "../../../lib/contracts/common";
import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { EPISODE_LATENESS_MS, EpisodeWindows, type Episode, type EpisodeReport, type WindowFigures } from "./ids-episodes";
import { MAX_EVIDENCE } from "./ids-support";
import { clip, fmtAmount, fmtDuration, fmtInt, plural } from "./ids-format";
import { amountOf, currencyOf, dimensionValue, PAYMENT_DIMENSIONS, type PaymentDimension } from "./payment-fields";

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

/** Keys a burst names at most (in its details and explanation); the rest are counted. */
export const MAX_BURST_KEYS = 20;

/** One key of a burst as the incident names it. */
interface BurstKey {
  dimension: PaymentDimension;
  value: string;
  transactions: number;
  tripped: string;
}

/**
 * One burst: the keys whose windows crossed over the same transactions. Shared by the episodes of
 * its keys (a WeakMap from episode to burst), so it lives exactly as long as one of them does.
 */
interface Burst {
  /** the incident's entity: the key that opened it, never changed while the burst lasts */
  entity: string;
  keys: Map<string, BurstKey>;
  /** keys that crossed past MAX_BURST_KEYS, counted only */
  more: number;
}

/** The order a burst's primary key is chosen in: account, then card, device, IP. */
const PRIORITY: ReadonlyMap<string, number> = new Map(PAYMENT_DIMENSIONS.map((d, i) => [d, i]));

const splitKey = (key: string): [PaymentDimension, string] => {
  const colon = key.indexOf(":");
  return [key.slice(0, colon) as PaymentDimension, key.slice(colon + 1)];
};
const keyText = (key: string, max = 64) => {
  const [dimension, value] = splitKey(key);
  return `${dimension} ${clip(value, max)}`;
};

/** A key's report in one flush, with what the rule says of it. */
interface Member {
  report: EpisodeReport;
  dimension: PaymentDimension;
  value: string;
  tripped: "count" | "amount" | "count and amount";
}

interface Group {
  burst: Burst;
  /** the burst was made in this flush (its incident opens now) */
  fresh: boolean;
  members: Member[];
}

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
  private readonly bursts = new WeakMap<Episode, Burst>();
  /** key → the entity of the active incident that names it (resume): what a replay groups by */
  private hints = new Map<string, string>();

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

  /**
   * The incidents still active at start: which entity each key's burst is filed under. Without it a
   * replay, whose chunks are not the batches the events came in, could group a burst under another
   * key than the one its incident was opened for (a card that crossed before its account).
   * Forgotten at the next call (resume([]) once the replay is over).
   */
  resume(active: readonly { entity: string; details: Record<string, unknown> | null }[]): void {
    this.hints = new Map();
    for (const { entity, details } of active) {
      this.hints.set(entity, entity);
      const keys = Array.isArray(details?.keys) ? (details.keys as unknown[]) : [];
      for (const k of keys) {
        const key = (k as { key?: unknown } | null)?.key;
        if (typeof key === "string" && !this.hints.has(key)) this.hints.set(key, entity);
      }
    }
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    for (const e of batch) {
      if (e.kind !== "transaction") continue;
      const amount = amountOf(e);
      const sums = amount !== null ? [[currencyOf(e), amount] as const] : undefined;
      for (const dimension of this.config.dimensions) {
        const value = dimensionValue(e, dimension);
        if (value !== null) this.windows.add(`${dimension}:${value}`, { time: e.time, weight: e.occurrences, id: e.id, sums });
      }
    }
    const reports = this.windows.flush();
    if (reports.length === 0) return [];
    return this.group(batch, reports)
      .map((g) => this.report(g))
      .sort((a, b) => a.firstSeen - b.firstSeen || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0));
  }

  /**
   * The flush's reports as bursts. A key already in a burst stays in it; the others, primary
   * dimension first, join the burst whose keys share most of their transactions in this batch, or
   * start their own.
   */
  private group(batch: readonly StoredEvent[], reports: readonly EpisodeReport[]): Group[] {
    const byKey = new Map(reports.map((r) => [r.key, r]));
    // the batch's transactions that count in two reports or more link those keys
    const shared = new Map<string, string[][]>();
    for (const e of batch) {
      if (e.kind !== "transaction") continue;
      let keys: string[] | null = null;
      for (const dimension of this.config.dimensions) {
        const value = dimensionValue(e, dimension);
        const key = value === null ? null : `${dimension}:${value}`;
        const r = key === null ? undefined : byKey.get(key);
        if (r && e.time >= r.firstSeen && e.time <= r.lastSeen) (keys ??= []).push(key!);
      }
      if (keys && keys.length > 1) for (const k of keys) (shared.get(k) ?? shared.set(k, []).get(k)!).push(keys);
    }
    const groups: Group[] = [];
    const groupOf = new Map<string, Group>();
    const byBurst = new Map<Burst, Group>();
    const member = (r: EpisodeReport): Member => {
      const [dimension, value] = splitKey(r.key);
      return { report: r, dimension, value, tripped: this.tripped(r.episode.trigger) ?? "count" };
    };
    const loose: EpisodeReport[] = [];
    for (const r of reports) {
      const burst = this.bursts.get(r.episode);
      if (!burst) {
        loose.push(r);
        continue;
      }
      let g = byBurst.get(burst);
      if (!g) groups.push((g = { burst, fresh: false, members: [] })), byBurst.set(burst, g);
      g.members.push(member(r));
      groupOf.set(r.key, g);
    }
    loose.sort((a, b) => PRIORITY.get(splitKey(a.key)[0])! - PRIORITY.get(splitKey(b.key)[0])! || b.increment - a.increment || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const r of loose) {
      const votes = new Map<Group, number>();
      for (const keys of shared.get(r.key) ?? []) {
        const seen = new Set<Group>();
        for (const k of keys) {
          const g = groupOf.get(k);
          if (g && !seen.has(g)) seen.add(g), votes.set(g, (votes.get(g) ?? 0) + 1);
        }
      }
      let g: Group | undefined = undefined;
      // a key filed under an active incident joins that incident's burst (see resume)
      const hinted = this.hints.get(r.key);
      if (hinted !== undefined) g = groups.find((x) => x.burst.entity === hinted);
      // the burst sharing most transactions; of equals, the one whose entity sorts first (any input order gives the same)
      else for (const [candidate, n] of votes) if (!g || n > votes.get(g)! || (n === votes.get(g)! && candidate.burst.entity < g.burst.entity)) g = candidate;
      if (!g) {
        g = { burst: { entity: hinted ?? r.key, keys: new Map(), more: 0 }, fresh: true, members: [] };
        groups.push(g);
        byBurst.set(g.burst, g);
      }
      g.members.push(member(r));
      groupOf.set(r.key, g);
      this.bursts.set(r.episode, g.burst);
    }
    return groups;
  }

  private tripped(f: WindowFigures): "count" | "amount" | "count and amount" | null {
    const c = this.config;
    const count = f.weight >= c.maxTransactions;
    const top = largest(f.sums);
    const amount = f.weight >= c.amountMinTransactions && top !== null && top[1] >= c.maxAmount;
    return count && amount ? "count and amount" : count ? "count" : amount ? "amount" : null;
  }

  private report(g: Group): SecurityDetection {
    const c = this.config;
    const burst = g.burst;
    const joined: Member[] = [];
    for (const m of g.members) {
      const known = burst.keys.get(m.report.key);
      if (!known && m.report.key !== burst.entity && burst.keys.size >= MAX_BURST_KEYS) {
        burst.more++;
        continue;
      }
      if (!known && !g.fresh) joined.push(m);
      burst.keys.set(m.report.key, { dimension: m.dimension, value: m.value, transactions: m.report.episode.weight, tripped: m.tripped });
    }
    // the figures of the primary key when it reported, else of the key that gained most
    const primary = g.members.find((m) => m.report.key === burst.entity) ?? [...g.members].sort((a, b) => b.report.increment - a.report.increment)[0];
    const { dimension, value } = primary;
    const ep = primary.report.episode;
    const tripped = primary.tripped;
    const amounts = [...ep.sums].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const amountText = amounts.length ? ` totalling ${amounts.slice(0, 3).map(([cur, v]) => `${fmtAmount(v)} ${clip(cur, 12)}`).join(", ")}` : "";
    const trig = ep.trigger;
    const trigTop = largest(trig.sums);
    const trigText =
      tripped === "count"
        ? `${plural(trig.weight, "transaction")} in ${fmtDuration(trig.last - trig.first)}`
        : `${fmtAmount(trigTop?.[1] ?? 0)} ${clip(trigTop?.[0] ?? "", 12)} over ${plural(trig.weight, "transaction")} in ${fmtDuration(trig.last - trig.first)}`;
    // the title names the keys besides the entity; the explanation, told from the primary key, the keys besides that one
    const others = [...burst.keys.keys()].filter((k) => k !== burst.entity);
    const also = [...burst.keys.keys()].filter((k) => k !== primary.report.key);
    const alsoText = (max: number) =>
      also
        .slice(0, max)
        .map((k) => `${keyText(k, 32)} (${plural(burst.keys.get(k)!.transactions, "transaction")})`)
        .join(", ") + (also.length > max || burst.more ? ` and ${fmtInt(also.length - Math.min(max, also.length) + burst.more)} more` : "");
    const titleOthers = others.length ? ` with ${others.slice(0, 3).map((k) => keyText(k, 24)).join(", ")}${others.length > 3 || burst.more ? " …" : ""}` : "";
    const [entityDimension, entityValue] = splitKey(burst.entity);
    return {
      rule: PAYMENT_VELOCITY_RULE,
      entity: burst.entity,
      title: `Payment velocity: ${entityDimension} ${clip(entityValue, 64)}${titleOthers}`,
      severity: c.severity,
      firstSeen: Math.min(...g.members.map((m) => m.report.firstSeen)),
      lastSeen: Math.max(...g.members.map((m) => m.report.lastSeen)),
      // the incident counts its entity's transactions; while the entity gains nothing, what its other keys gain
      increment: g.members.some((m) => m.report.key === burst.entity) ? primary.report.increment : Math.max(...g.members.map((m) => m.report.increment)),
      explanation:
        `${plural(ep.weight, "transaction")}${amountText} from ${dimension} ${clip(value, 64)} over ${fmtDuration(ep.last - ep.first)}; ` +
        `${tripped} threshold tripped (${trigText}): threshold ${plural(c.maxTransactions, "transaction")} or ` +
        `${fmtAmount(c.maxAmount)} in one currency (over ${plural(c.amountMinTransactions, "transaction")} at least) in ${fmtDuration(c.windowMs)}` +
        (also.length ? `; the same transactions also crossed for ${alsoText(5)}` : ""),
      mitre: null,
      evidence: evidenceOf(g.members, primary),
      details: {
        dimension,
        value,
        transactions: ep.weight,
        amounts: Object.fromEntries(amounts.slice(0, 10)),
        tripped,
        trigger: { transactions: trig.weight, amounts: Object.fromEntries(trig.sums), spanMs: trig.last - trig.first },
        keys: [...burst.keys].map(([key, k]) => ({ key, ...k })),
        ...(burst.more ? { more_keys: burst.more } : {}),
      },
      ...(joined.length
        ? {
            notes: joined.map(
              (m) =>
                `${m.dimension} ${clip(m.value, 64)} crossed the velocity threshold too (${plural(m.report.episode.weight, "transaction")} in ` +
                `${fmtDuration(m.report.episode.last - m.report.episode.first)}, ${m.tripped}) over transactions of this burst: counted here, no incident of its own`,
            ),
          }
        : {}),
    };
  }

}

/** The primary key's evidence first, then the other keys' (each id once), at most MAX_EVIDENCE. */
function evidenceOf(members: readonly Member[], primary: Member): number[] {
  const out = new Set(primary.report.evidence);
  for (const m of members) for (const id of m.report.evidence) if (out.size < MAX_EVIDENCE) out.add(id);
  return [...out].slice(0, MAX_EVIDENCE);
}
