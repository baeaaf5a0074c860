import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { EPISODE_LATENESS_MS, EpisodeWindows, type EpisodeReport } from "./ids-episodes";
import { intAttr, priorityOf, severityOfPriority, signatureKey, sourceOf, textAttr } from "./ids-fields";
import { clip, fmtDuration, fmtInt, mitreFor, plural, quote } from "./ids-format";
import { distinctText, earliestByKey } from "./ids-support";

export const IDS_CAMPAIGN_RULE = "ids_campaign";

export interface IdsCampaignConfig {
  /** distinct sources of one signature that make a campaign */
  minSources: number;
  /** within this span of event time */
  windowMs: number;
  /** top sources listed in details */
  topN: number;
  /** signatures tracked at most, least recently seen forgotten first */
  maxSignatures: number;
  /** units of state at most (see EpisodeOptions.maxWeight) */
  maxWeight: number;
}

/**
 * Defaults: one signature from 10 distinct sources within 24 h. Suricata and Snort thresholds
 * already rate-limit alerts, so campaigns show in hours, not in per-minute counts.
 */
export const IDS_CAMPAIGN_DEFAULTS: IdsCampaignConfig = {
  minSources: 10,
  windowMs: 24 * 3_600_000,
  topN: 10,
  maxSignatures: 20_000,
  maxWeight: 500_000,
};

/**
 * A signature campaign: one IDS signature seen from at least `minSources` distinct sources within
 * `windowMs` opens one incident per signature (entity: its sid, else its text); its later alerts
 * grow it while they come less than a window apart. Severity follows the worst priority seen
 * (1 critical, 2 high, else medium). Engine events (`ids_anomaly`) are not signatures and are
 * left to ids_engine_noise.
 */
export class IdsCampaignRule implements SecurityRule {
  readonly name = IDS_CAMPAIGN_RULE;
  readonly config: IdsCampaignConfig;
  private readonly windows: EpisodeWindows;

  get horizonMs(): number {
    return this.config.windowMs + EPISODE_LATENESS_MS;
  }

  constructor(config: Partial<IdsCampaignConfig> = {}) {
    this.config = { ...IDS_CAMPAIGN_DEFAULTS, ...config };
    const { minSources } = this.config;
    this.windows = new EpisodeWindows({
      windowMs: this.config.windowMs,
      qualifies: (f) => f.distinct >= minSources,
      maxKeys: this.config.maxSignatures,
      maxWeight: this.config.maxWeight,
    });
  }

  stats() {
    return this.windows.stats();
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    // an alert naming no signature (neither text nor sid) belongs to no campaign
    const alerts = batch.filter((e) => e.kind === "ids_alert" && sourceOf(e) !== null && (e.signature !== null || intAttr(e, "sid") !== null));
    for (const e of alerts) {
      this.windows.add(signatureKey(e), { time: e.time, weight: e.occurrences, id: e.id, member: sourceOf(e), worst: priorityOf(e) ?? 4 });
    }
    const named = earliestByKey(alerts, signatureKey);
    return this.windows.flush().map((r) => this.report(r, named.get(r.key)!));
  }

  private report(r: EpisodeReport, e: StoredEvent): SecurityDetection {
    const ep = r.episode;
    const signature = e.signature ?? `sid ${intAttr(e, "sid") ?? "?"}`;
    const category = textAttr(e, "category");
    const sources = distinctText(ep.members.distinct, ep.members.distinctApproximate);
    const top = ep.members.top(this.config.topN);
    return {
      rule: IDS_CAMPAIGN_RULE,
      entity: r.key,
      title: `IDS campaign: ${quote(signature, 100)} from ${sources} sources`,
      severity: severityOfPriority(ep.worst),
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      increment: r.increment,
      explanation:
        `1 signature ${quote(signature)} from ${sources} sources over ${fmtDuration(ep.last - ep.first)} ` +
        `(${plural(ep.weight, "alert")}; most from ${clip(top[0]?.value ?? "?", 64)}, ${fmtInt(top[0]?.count ?? 0)}); ` +
        `threshold ${plural(this.config.minSources, "source")} in ${fmtDuration(this.config.windowMs)}`,
      mitre: mitreFor(signature, category),
      evidence: r.evidence,
      details: {
        signature,
        sid: intAttr(e, "sid"),
        gid: intAttr(e, "gid"),
        category,
        worstPriority: Number.isFinite(ep.worst) ? ep.worst : null,
        alerts: ep.weight,
        distinctSources: ep.members.distinct,
        distinctApproximate: ep.members.distinctApproximate,
        topSources: top,
        trigger: { sources: ep.trigger.distinct, alerts: ep.trigger.weight, spanMs: ep.trigger.last - ep.trigger.first },
      },
    };
  }
}
