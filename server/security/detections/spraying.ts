import type { RuleState, SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { FailureCounter, stateOf, sourceOf, takeFailures } from "./attempts";
import { PASSWORD_SPRAYING_DEFAULTS, windowLimits, withDefaults, type PasswordSprayingOptions } from "./auth-config";
import { burstAround, displayName, evidenceIds, formatDuration, plural, tally, totalWeight } from "./report";
import { KeyedWindows, markSpans, REPORTED, type SpanSpec, type WindowEntry } from "./window";

export const PASSWORD_SPRAYING_RULE = "password_spraying";

/** Only failures that name an account can spread over accounts. */
const keyOf = (e: StoredEvent): string | null => (e.user ? sourceOf(e) : null);

/**
 * Password spraying: one source failing against at least `minAccounts` distinct accounts (default 5)
 * within `windowMs` (default 10 min), over every service. Entity: the source; T1110.003; high.
 * Counts are failures, as for brute force: the first report counts the span, later ones each
 * further failure of the spray.
 */
export class PasswordSprayingRule implements SecurityRule {
  readonly name = PASSWORD_SPRAYING_RULE;
  readonly options: PasswordSprayingOptions;
  private readonly windows: KeyedWindows;
  private readonly counter: FailureCounter;
  private readonly spec: SpanSpec;

  get horizonMs(): number {
    return this.options.windowMs + this.options.reorderMs;
  }

  get leastReplayMs(): number {
    return Math.min(2 * this.options.windowMs, this.horizonMs);
  }

  constructor(options: Partial<PasswordSprayingOptions> = {}) {
    this.options = withDefaults(PASSWORD_SPRAYING_DEFAULTS, options);
    this.windows = new KeyedWindows(windowLimits(this.options));
    this.counter = new FailureCounter(this.options.maxConnections);
    this.spec = { windowMs: this.options.windowMs, minWeight: 1, minDistinct: this.options.minAccounts, distinct: (e) => e.account };
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const out: SecurityDetection[] = [];
    for (const [source, t] of takeFailures(batch, this.counter, this.windows, keyOf)) {
      const entries = this.windows.entries(source);
      if (!entries) continue;
      const newly = markSpans(entries, t.from, t.to, this.spec, REPORTED);
      if (newly.length) out.push(this.report(source, entries, newly));
      this.windows.prune(source);
    }
    return out;
  }

  private report(source: string, entries: WindowEntry[], newly: WindowEntry[]): SecurityDetection {
    const o = this.options;
    const burst = burstAround(entries, newly, o.windowMs, REPORTED);
    const accounts = tally(burst.entries, (e) => e.account);
    const services = tally(burst.entries, (e) => e.service);
    return {
      rule: this.name,
      entity: source,
      title: `Password spraying from ${displayName(source)}`,
      severity: "high",
      firstSeen: newly[0].time,
      lastSeen: newly[newly.length - 1].time,
      increment: totalWeight(newly),
      explanation:
        `${displayName(source)} failed to log in to ${plural(accounts.distinct, "account")} ` +
        `(${plural(burst.count, "failure")}, ${services.top.map((s) => s.value).join(", ")}) in ${formatDuration(burst.last - burst.first)}; ` +
        `threshold ${o.minAccounts} accounts in ${formatDuration(o.windowMs)}`,
      mitre: "T1110.003",
      evidence: evidenceIds(newly),
      details: {
        failures: burst.count,
        added: totalWeight(newly),
        spanMs: burst.last - burst.first,
        burstFirstSeen: burst.first,
        burstLastSeen: burst.last,
        source,
        accounts,
        services,
        threshold: { accounts: o.minAccounts, windowMs: o.windowMs },
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
