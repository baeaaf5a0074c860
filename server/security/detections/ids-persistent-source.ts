import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { EPISODE_LATENESS_MS, EpisodeWindows, type EpisodeReport } from "./ids-episodes";
import { priorityOf, sourceOf } from "./ids-fields";
import { clip, fmtDuration, fmtInt, mitreFor, plural, quote } from "./ids-format";
import { distinctText, earliestByKey } from "./ids-support";

export const IDS_PERSISTENT_SOURCE_RULE = "ids_persistent_source";

export interface IdsPersistentSourceConfig {
  /** alerts from one source that make it persistent on their own */
  minAlerts: number;
  /** or: this many distinct signatures … */
  minSignatures: number;
  /** … with at least this many alerts */
  minAlertsWithSignatures: number;
  windowMs: number;
  /** top signatures listed in details */
  topN: number;
  /** sources tracked at most, least recently seen forgotten first */
  maxSources: number;
  /** units of state at most (see EpisodeOptions.maxWeight) */
  maxWeight: number;
}

/** Defaults: 50 alerts, or 5 distinct signatures with 20 alerts, from one source within 24 h. */
export const IDS_PERSISTENT_SOURCE_DEFAULTS: IdsPersistentSourceConfig = {
  minAlerts: 50,
  minSignatures: 5,
  minAlertsWithSignatures: 20,
  windowMs: 24 * 3_600_000,
  topN: 10,
  maxSources: 50_000,
  maxWeight: 500_000,
};

const signatureOf = (e: StoredEvent) => (e.signature ?? "unnamed signature").slice(0, 200);

/**
 * A persistent source: one source behind many IDS alerts over hours opens one incident per source
 * with its top signatures. Severity high when any of its alerts has priority 1 or 2, else medium;
 * MITRE from the most frequent signature that maps to a technique.
 */
export class IdsPersistentSourceRule implements SecurityRule {
  readonly name = IDS_PERSISTENT_SOURCE_RULE;
  readonly config: IdsPersistentSourceConfig;
  private readonly windows: EpisodeWindows;

  get horizonMs(): number {
    return this.config.windowMs + EPISODE_LATENESS_MS;
  }

  constructor(config: Partial<IdsPersistentSourceConfig> = {}) {
    this.config = { ...IDS_PERSISTENT_SOURCE_DEFAULTS, ...config };
    const c = this.config;
    this.windows = new EpisodeWindows({
      windowMs: c.windowMs,
      qualifies: (f) => f.weight >= c.minAlerts || (f.distinct >= c.minSignatures && f.weight >= c.minAlertsWithSignatures),
      maxKeys: c.maxSources,
      maxWeight: c.maxWeight,
    });
  }

  stats() {
    return this.windows.stats();
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const alerts = batch.filter((e) => e.kind === "ids_alert" && sourceOf(e) !== null);
    for (const e of alerts) {
      this.windows.add(sourceOf(e)!, { time: e.time, weight: e.occurrences, id: e.id, member: signatureOf(e), worst: priorityOf(e) ?? 4 });
    }
    const named = earliestByKey(alerts, sourceOf);
    return this.windows.flush().map((r) => this.report(r, named.get(r.key)!));
  }

  private report(r: EpisodeReport, e: StoredEvent): SecurityDetection {
    const c = this.config;
    const ep = r.episode;
    const source = r.key;
    const top = ep.members.top(c.topN);
    const signatures = distinctText(ep.members.distinct, ep.members.distinctApproximate);
    const byCount = ep.trigger.weight >= c.minAlerts;
    const tripped = byCount
      ? `threshold ${plural(c.minAlerts, "alert")} in ${fmtDuration(c.windowMs)}`
      : `threshold ${plural(c.minSignatures, "signature")} with ${plural(c.minAlertsWithSignatures, "alert")} in ${fmtDuration(c.windowMs)}`;
    return {
      rule: IDS_PERSISTENT_SOURCE_RULE,
      entity: source,
      title: `Persistent IDS source ${clip(source, 64)}: ${plural(ep.weight, "alert")}, ${signatures} ${ep.members.distinct === 1 ? "signature" : "signatures"}`,
      severity: ep.worst <= 2 ? "high" : "medium",
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      increment: r.increment,
      explanation:
        `1 source ${clip(source, 64)} behind ${plural(ep.weight, "alert")} of ${signatures} ${ep.members.distinct === 1 ? "signature" : "signatures"} over ${fmtDuration(ep.last - ep.first)} ` +
        `(most ${quote(top[0]?.value ?? "?")}, ${fmtInt(top[0]?.count ?? 0)}); ${tripped}`,
      mitre: top.map((t) => mitreFor(t.value)).find((m) => m !== null) ?? null,
      evidence: r.evidence,
      details: {
        source,
        sourceHost: e.src_ip ? null : e.src_host,
        alerts: ep.weight,
        distinctSignatures: ep.members.distinct,
        distinctApproximate: ep.members.distinctApproximate,
        topSignatures: top,
        worstPriority: Number.isFinite(ep.worst) ? ep.worst : null,
        tripped: byCount ? "alerts" : "signatures",
      },
    };
  }
}
