import type { RuleState, SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { FailureCounter, stateOf, flatKey, serviceOf, sourceOf, takeFailures } from "./attempts";
import { DISTRIBUTED_ATTACK_DEFAULTS, windowLimits, withDefaults, type DistributedAttackOptions } from "./auth-config";
import { burstAround, displayName, evidenceIds, formatDuration, plural, tally, totalWeight } from "./report";
import { KeyedWindows, markSpans, REPORTED, type SpanSpec, type WindowEntry } from "./window";

export const DISTRIBUTED_ATTACK_RULE = "distributed_attack";

/** Key per account and service; a failure must name both an account and a source. */
const keyOf = (e: StoredEvent): string | null => (e.user && sourceOf(e) !== null ? flatKey([serviceOf(e), e.user], ":") : null);

/**
 * Distributed attack on one account: at least `minFailures` failures (default 10) against one
 * account of one service, from at least `minSources` distinct sources (default 5), within `windowMs`
 * (default 10 min). Entity `service:account`; high.
 *
 * MITRE T1110.001 (Password Guessing): many passwords tried against one account is guessing; that
 * the guesses come from many sources is the evasion of per-source limits, not another technique.
 * Spraying (T1110.003) is one password over many accounts, stuffing (T1110.004) known pairs over
 * many accounts; neither is this pattern.
 */
export class DistributedAttackRule implements SecurityRule {
  readonly name = DISTRIBUTED_ATTACK_RULE;
  readonly options: DistributedAttackOptions;
  private readonly windows: KeyedWindows;
  private readonly counter: FailureCounter;
  private readonly spec: SpanSpec;

  get horizonMs(): number {
    return this.options.windowMs + this.options.reorderMs;
  }

  get leastReplayMs(): number {
    return Math.min(2 * this.options.windowMs, this.horizonMs);
  }

  constructor(options: Partial<DistributedAttackOptions> = {}) {
    this.options = withDefaults(DISTRIBUTED_ATTACK_DEFAULTS, options);
    this.windows = new KeyedWindows(windowLimits(this.options));
    this.counter = new FailureCounter(this.options.maxConnections);
    this.spec = { windowMs: this.options.windowMs, minWeight: this.options.minFailures, minDistinct: this.options.minSources, distinct: (e) => e.source };
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const out: SecurityDetection[] = [];
    for (const [key, t] of takeFailures(batch, this.counter, this.windows, keyOf)) {
      const entries = this.windows.entries(key);
      if (!entries) continue;
      const newly = markSpans(entries, t.from, t.to, this.spec, REPORTED);
      if (newly.length) out.push(this.report(key, entries, newly));
      this.windows.prune(key);
    }
    return out;
  }

  private report(key: string, entries: WindowEntry[], newly: WindowEntry[]): SecurityDetection {
    const o = this.options;
    const burst = burstAround(entries, newly, o.windowMs, REPORTED);
    const sources = tally(burst.entries, (e) => e.source);
    const { account, service } = newly[0];
    // events sent without a service (Vigil's own JSON) say nothing rather than "(unknown)"
    const on = service === "unknown" ? "" : ` (${service})`;
    return {
      rule: this.name,
      entity: key,
      title: `Distributed attack on account ${displayName(account!)}${on}`,
      severity: "high",
      firstSeen: newly[0].time,
      lastSeen: newly[newly.length - 1].time,
      increment: totalWeight(newly),
      explanation:
        `${plural(burst.count, "failed login")} for ${displayName(account!)}${on} from ${plural(sources.distinct, "source")} ` +
        `in ${formatDuration(burst.last - burst.first)}; threshold ${o.minFailures} failures from ${o.minSources} sources in ${formatDuration(o.windowMs)}`,
      mitre: "T1110.001",
      evidence: evidenceIds(newly),
      details: {
        failures: burst.count,
        added: totalWeight(newly),
        spanMs: burst.last - burst.first,
        burstFirstSeen: burst.first,
        burstLastSeen: burst.last,
        account,
        service,
        sources,
        threshold: { failures: o.minFailures, sources: o.minSources, windowMs: o.windowMs },
      },
    };
  }

  state(): RuleState {
    return stateOf([this.windows], this.counter);
  }

  get trackedKeys(): number {
    return this.windows.size;
  }
}
