import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { EPISODE_LATENESS_MS, EpisodeWindows, type EpisodeReport } from "./ids-episodes";
import { sourceOf, textAttr } from "./ids-fields";
import { fmtDuration, fmtInt, quote, clip } from "./ids-format";
import { TopCounter, type Counted } from "./ids-support";

export const IDS_ENGINE_NOISE_RULE = "ids_engine_noise";

export interface IdsEngineNoiseConfig {
  /** engine events of one type that are worth one low-severity incident */
  minEvents: number;
  windowMs: number;
  /** top sources listed in details */
  topN: number;
  /** event types tracked at most (windows and running counts) */
  maxTypes: number;
  /** units of state at most (see EpisodeOptions.maxWeight) */
  maxWeight: number;
}

/** Defaults: 1,000 events of one type within 1 h make one low-severity incident for that type. */
export const IDS_ENGINE_NOISE_DEFAULTS: IdsEngineNoiseConfig = {
  minEvents: 1_000,
  windowMs: 3_600_000,
  topN: 10,
  maxTypes: 10_000,
  maxWeight: 200_000,
};

/** What an engine event type most likely means, so nobody chases it as an attack. */
export function engineNoiseHint(type: string): { kind: string; hint: string } {
  if (/checksum/i.test(type)) return { kind: "decoder", hint: "likely NIC checksum offloading on the capture interface, not an attack" };
  if (/stream/i.test(type)) return { kind: "stream-engine", hint: "likely NIC offloading or asymmetric routing, not an attack" };
  if (/app.?layer|protocol|invalid.(reply|record|request|response)|_REPLY|_RECORD/i.test(type))
    return { kind: "app-layer", hint: "likely a protocol on an unexpected port or a one-sided capture, not an attack" };
  return { kind: "decoder", hint: "likely capture or decoding trouble, not an attack" };
}

const typeOf = (e: StoredEvent) => (e.signature ?? textAttr(e, "anomaly_type") ?? "unnamed anomaly").slice(0, 200);

/**
 * Decoder and stream-engine events (`ids_anomaly`: invalid checksums, stream anomalies, protocol
 * decode failures) are counted per type and never ranked above real signatures: only a flood of
 * one type (`minEvents` within `windowMs`) becomes ONE low-severity incident for that type, with
 * a hint at the likely cause. Real signatures (`ids_alert`) never enter here.
 */
export class IdsEngineNoiseRule implements SecurityRule {
  readonly name = IDS_ENGINE_NOISE_RULE;
  readonly config: IdsEngineNoiseConfig;
  private readonly windows: EpisodeWindows;
  private readonly totals: TopCounter;
  private events = 0;

  get horizonMs(): number {
    return this.config.windowMs + EPISODE_LATENESS_MS;
  }

  constructor(config: Partial<IdsEngineNoiseConfig> = {}) {
    this.config = { ...IDS_ENGINE_NOISE_DEFAULTS, ...config };
    const { minEvents } = this.config;
    this.windows = new EpisodeWindows({
      windowMs: this.config.windowMs,
      qualifies: (f) => f.weight >= minEvents,
      maxKeys: this.config.maxTypes,
      maxWeight: this.config.maxWeight,
      topMembers: 200,
    });
    this.totals = new TopCounter(this.config.maxTypes);
  }

  stats() {
    return this.windows.stats();
  }

  /** Engine events counted since start, and the most frequent types (what "only counted" means). */
  counts(n = 20): { events: number; distinctTypes: number; top: Counted[] } {
    return { events: this.events, distinctTypes: this.totals.distinct, top: this.totals.top(n) };
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    for (const e of batch) {
      if (e.kind !== "ids_anomaly") continue;
      const type = typeOf(e);
      this.events += e.occurrences;
      this.totals.add(type, e.occurrences);
      this.windows.add(type, { time: e.time, weight: e.occurrences, id: e.id, member: sourceOf(e) });
    }
    return this.windows.flush().map((r) => this.report(r));
  }

  private report(r: EpisodeReport): SecurityDetection {
    const ep = r.episode;
    const { kind, hint } = engineNoiseHint(r.key);
    const top = ep.members.top(this.config.topN);
    return {
      rule: IDS_ENGINE_NOISE_RULE,
      entity: r.key,
      title: `Engine noise: ${fmtInt(ep.weight)} ${kind} events ${quote(r.key, 100)}`,
      severity: "low",
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      increment: r.increment,
      explanation:
        `${fmtInt(ep.weight)} ${kind} events ${quote(r.key)} in ${fmtDuration(ep.last - ep.first)} — ${hint}` +
        `${top.length ? ` (most from ${clip(top[0].value, 64)}, ${fmtInt(top[0].count)})` : ""}; ` +
        `threshold ${fmtInt(this.config.minEvents)} in ${fmtDuration(this.config.windowMs)}`,
      mitre: null,
      evidence: r.evidence,
      details: {
        type: r.key,
        kind,
        events: ep.weight,
        distinctSources: ep.members.distinct,
        distinctApproximate: ep.members.distinctApproximate,
        topSources: top,
      },
    };
  }
}
