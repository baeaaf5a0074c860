import type { StoredEvent } from "../types";
import type { Episode, EpisodeReport } from "./ids-episodes";
import { clip, fmtInt, plural } from "./ids-format";
import { MAX_EVIDENCE } from "./ids-support";
import { dimensionValue, PAYMENT_DIMENSIONS, type PaymentDimension } from "./payment-fields";

// Payment bursts, shared by payment_velocity and card_testing: each rule counts every key
// (`${dimension}:${value}`) on its own in EpisodeWindows, and the keys whose episodes cross over the
// same transactions are ONE burst, reported as one detection under one entity. One fraudster's
// card, device and IP crossing together is one case, not three incidents.
//
// - The burst's entity is its primary key among those that crossed together: account, then card,
//   device, IP. It never changes while the burst lasts.
// - A key that crosses later over transactions of the burst joins it (a timeline note), instead
//   of opening an incident of its own.
// - Keys that share no transaction in the batch they crossed in are separate bursts.
// - Across a restart, `resume` is told the active incidents, so a replay (whose chunks are not the
//   batches the events came in) files each key under the entity its incident already has.

/** Keys a burst names at most (in its details and explanation); the rest are counted. */
export const MAX_BURST_KEYS = 20;

/** One key of a burst as the incident names it (details.keys, with `key`). */
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

/** A key's report in one flush, with what the rule says of it. */
export interface BurstMember {
  report: EpisodeReport;
  dimension: PaymentDimension;
  value: string;
  /** which of the rule's thresholds the key's episode tripped, in words */
  tripped: string;
}

/** The reports of one flush that belong to one burst. */
export interface BurstGroup {
  burst: Burst;
  /** the burst was made in this flush (its incident opens now) */
  fresh: boolean;
  members: BurstMember[];
}

/** A burst as one detection reports it: see PaymentBursts.settle. */
export interface SettledBurst {
  entity: string;
  /** the key whose figures the detection tells: the entity when it reported, else the key that gained most */
  primary: BurstMember;
  /** keys that joined an already open burst in this flush (each a timeline note) */
  joined: BurstMember[];
  firstSeen: number;
  lastSeen: number;
  /** the entity's gain; while the entity gains nothing, the most any other key gained (each transaction once) */
  increment: number;
  /** the primary key's evidence first, then the other keys' (each id once) */
  evidence: number[];
  /** details.keys and details.more_keys */
  details: { keys: ({ key: string } & BurstKey)[]; more_keys?: number };
  /** " with card …, device …" after the entity in a title; "" for a burst of one key */
  titleOthers: string;
  /** the keys besides the primary one with their counts in `noun`s ("ip 192.0.2.4 (12 attempts), …"); "" when none */
  also(max: number, noun: string): string;
}

/** The order a burst's primary key is chosen in: account, then card, device, IP. */
const PRIORITY: ReadonlyMap<string, number> = new Map(PAYMENT_DIMENSIONS.map((d, i) => [d, i]));

export const splitKey = (key: string): [PaymentDimension, string] => {
  const colon = key.indexOf(":");
  return [key.slice(0, colon) as PaymentDimension, key.slice(colon + 1)];
};

/** "card **** 4242": a key in words, its value clipped. */
export const keyText = (key: string, max = 64) => {
  const [dimension, value] = splitKey(key);
  return `${dimension} ${clip(value, max)}`;
};

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A rule's bursts: which episode belongs to which burst, and the hints of a replay. */
export class PaymentBursts {
  private readonly bursts = new WeakMap<Episode, Burst>();
  /** key → the entity of the active incident that names it (resume): what a replay groups by */
  private hints = new Map<string, string>();

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

  /**
   * The flush's reports as bursts. A key already in a burst stays in it; the others, primary
   * dimension first, join the burst whose keys share most of their transactions in this batch, or
   * start their own. `tripped` says which threshold a report's episode tripped.
   */
  group(batch: readonly StoredEvent[], reports: readonly EpisodeReport[], dimensions: readonly PaymentDimension[], tripped: (r: EpisodeReport) => string): BurstGroup[] {
    const byKey = new Map(reports.map((r) => [r.key, r]));
    // the batch's transactions that count in two reports or more link those keys
    const shared = new Map<string, string[][]>();
    for (const e of batch) {
      if (e.kind !== "transaction") continue;
      let keys: string[] | null = null;
      for (const dimension of dimensions) {
        const value = dimensionValue(e, dimension);
        const key = value === null ? null : `${dimension}:${value}`;
        const r = key === null ? undefined : byKey.get(key);
        if (r && e.time >= r.firstSeen && e.time <= r.lastSeen) (keys ??= []).push(key!);
      }
      if (keys && keys.length > 1) for (const k of keys) (shared.get(k) ?? shared.set(k, []).get(k)!).push(keys);
    }
    const groups: BurstGroup[] = [];
    const groupOf = new Map<string, BurstGroup>();
    const byBurst = new Map<Burst, BurstGroup>();
    const member = (r: EpisodeReport): BurstMember => {
      const [dimension, value] = splitKey(r.key);
      return { report: r, dimension, value, tripped: tripped(r) };
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
    loose.sort((a, b) => PRIORITY.get(splitKey(a.key)[0])! - PRIORITY.get(splitKey(b.key)[0])! || b.increment - a.increment || byText(a.key, b.key));
    for (const r of loose) {
      const votes = new Map<BurstGroup, number>();
      for (const keys of shared.get(r.key) ?? []) {
        const seen = new Set<BurstGroup>();
        for (const k of keys) {
          const g = groupOf.get(k);
          if (g && !seen.has(g)) seen.add(g), votes.set(g, (votes.get(g) ?? 0) + 1);
        }
      }
      let g: BurstGroup | undefined = undefined;
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

  /** Records the group's keys in its burst (new ones past MAX_BURST_KEYS only counted) and says what to report. */
  settle(g: BurstGroup): SettledBurst {
    const burst = g.burst;
    const joined: BurstMember[] = [];
    // the entity first, so details.keys starts with it (in a replay the entity may be a hinted key that sorts later)
    const members = [...g.members].sort((a, b) => Number(b.report.key === burst.entity) - Number(a.report.key === burst.entity));
    for (const m of members) {
      const known = burst.keys.get(m.report.key);
      if (!known && m.report.key !== burst.entity && burst.keys.size >= MAX_BURST_KEYS) {
        burst.more++;
        continue;
      }
      if (!known && !g.fresh) joined.push(m);
      burst.keys.set(m.report.key, { dimension: m.dimension, value: m.value, transactions: m.report.episode.weight, tripped: m.tripped });
    }
    const own = g.members.find((m) => m.report.key === burst.entity);
    const primary = own ?? [...g.members].sort((a, b) => b.report.increment - a.report.increment)[0];
    // the title names the keys besides the entity; the explanation, told from the primary key, the keys besides that one
    const others = [...burst.keys.keys()].filter((k) => k !== burst.entity);
    const also = [...burst.keys.keys()].filter((k) => k !== primary.report.key);
    return {
      entity: burst.entity,
      primary,
      joined,
      firstSeen: Math.min(...g.members.map((m) => m.report.firstSeen)),
      lastSeen: Math.max(...g.members.map((m) => m.report.lastSeen)),
      increment: own ? own.report.increment : Math.max(...g.members.map((m) => m.report.increment)),
      evidence: evidenceOf(g.members, primary),
      details: { keys: [...burst.keys].map(([key, k]) => ({ key, ...k })), ...(burst.more ? { more_keys: burst.more } : {}) },
      titleOthers: others.length ? ` with ${others.slice(0, 3).map((k) => keyText(k, 24)).join(", ")}${others.length > 3 || burst.more ? " …" : ""}` : "",
      also: (max, noun) =>
        also.length === 0
          ? ""
          : also
              .slice(0, max)
              .map((k) => `${keyText(k, 32)} (${plural(burst.keys.get(k)!.transactions, noun)})`)
              .join(", ") + (also.length > max || burst.more ? ` and ${fmtInt(also.length - Math.min(max, also.length) + burst.more)} more` : ""),
    };
  }
}

/** The primary key's evidence first, then the other keys' (each id once), at most MAX_EVIDENCE. */
function evidenceOf(members: readonly BurstMember[], primary: BurstMember): number[] {
  const out = new Set(primary.report.evidence);
  for (const m of members) for (const id of m.report.evidence) if (out.size < MAX_EVIDENCE) out.add(id);
  return [...out].slice(0, MAX_EVIDENCE);
}
