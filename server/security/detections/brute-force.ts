import type { RuleState, SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { FailureCounter, stateOf, flatKey, memoKey, serviceOf, sourceOf, takeFailures } from "./attempts";
import {
  BRUTE_FORCE_DEFAULTS,
  SLOW_BRUTE_FORCE_DEFAULTS,
  windowLimits,
  withDefaults,
  type BruteForceOptions,
  type SlowBruteForceOptions,
} from "./auth-config";
import { burstAround, displayName, evidenceIds, formatDuration, plural, tally, totalWeight } from "./report";
import { FAST_BURST, KeyedWindows, markSpans, REPORTED, type SpanSpec, type WindowEntry } from "./window";

export const BRUTE_FORCE_RULE = "brute_force";
export const BRUTE_FORCE_SLOW_RULE = "brute_force_slow";

/** Key per source and service: sshd's own lines and its PAM lines share the service "sshd" (one string per event for both rules). */
const keyOf = memoKey((e: StoredEvent): string | null => {
  const source = sourceOf(e);
  return source === null ? null : flatKey([serviceOf(e), source], ":");
});

/** Reports what `markSpans` newly flagged for one key, folded into one detection. */
function report(
  rule: string,
  entries: WindowEntry[],
  newly: WindowEntry[],
  o: { threshold: number; windowMs: number },
  words: { title: string; severity: SecurityDetection["severity"]; pace: string },
): SecurityDetection {
  const burst = burstAround(entries, newly, o.windowMs, REPORTED);
  const first = newly[0];
  const source = first.source!;
  const accounts = tally(burst.entries, (e) => e.account);
  const forAccounts = accounts.distinct ? ` for ${plural(accounts.distinct, "account")}` : "";
  // events sent without a service (Vigil's own JSON) say nothing rather than "(unknown)"
  const service = first.service === "unknown" ? "" : ` (${first.service})`;
  return {
    rule,
    entity: `${first.service}:${source}`,
    title: `${words.title} from ${displayName(source)}${service}`,
    severity: words.severity,
    firstSeen: first.time,
    lastSeen: newly[newly.length - 1].time,
    increment: totalWeight(newly),
    explanation:
      `${plural(burst.count, "failed login")}${forAccounts} from ${displayName(source)}${service} ` +
      `in ${formatDuration(burst.last - burst.first)}${words.pace}; threshold ${o.threshold} in ${formatDuration(o.windowMs)}`,
    mitre: "T1110.001",
    evidence: evidenceIds(newly),
    details: {
      failures: burst.count,
      added: totalWeight(newly),
      spanMs: burst.last - burst.first,
      burstFirstSeen: burst.first,
      burstLastSeen: burst.last,
      source,
      service: first.service,
      accounts,
      threshold: { failures: o.threshold, windowMs: o.windowMs },
    },
  };
}

/**
 * Brute force: at least `threshold` failures (default 8) from one source against one service within
 * `windowMs` (default 2 min, as Wazuh ships). Entity `service:source`; T1110.001; high.
 * The first report of a burst counts the whole span; later ones add each further failure of the
 * burst, so the incident's count is the number of failures in bursts.
 */
export class BruteForceRule implements SecurityRule {
  readonly name = BRUTE_FORCE_RULE;
  readonly options: BruteForceOptions;
  private readonly windows: KeyedWindows;
  private readonly counter: FailureCounter;
  private readonly spec: SpanSpec;

  get horizonMs(): number {
    return this.options.windowMs + this.options.reorderMs;
  }

  get leastReplayMs(): number {
    return Math.min(2 * this.options.windowMs, this.horizonMs);
  }

  constructor(options: Partial<BruteForceOptions> = {}) {
    this.options = withDefaults(BRUTE_FORCE_DEFAULTS, options);
    this.windows = new KeyedWindows(windowLimits(this.options));
    this.counter = new FailureCounter(this.options.maxConnections);
    this.spec = { windowMs: this.options.windowMs, minWeight: this.options.threshold };
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const out: SecurityDetection[] = [];
    for (const [key, t] of takeFailures(batch, this.counter, this.windows, keyOf)) {
      const entries = this.windows.entries(key);
      if (!entries) continue;
      const newly = markSpans(entries, t.from, t.to, this.spec, REPORTED);
      if (newly.length) out.push(report(this.name, entries, newly, this.options, { title: "Brute-force logins", severity: "high", pace: "" }));
      this.windows.prune(key);
    }
    return out;
  }

  state(): RuleState {
    return stateOf([this.windows], this.counter);
  }

  /** keys (service:source) held now */
  get trackedKeys(): number {
    return this.windows.size;
  }

  get trackedEntries(): number {
    return this.windows.entryCount;
  }

  get trackedConnections(): number {
    return this.counter.trackedConnections;
  }
}

/**
 * Slow brute force: at least `threshold` failures (default 20) from one source against one service
 * within `windowMs` (default 1 h), counting only failures that are not part of a fast burst (a span
 * the fast rule's threshold and window make). So a fast attack is the fast rule's alone, and this
 * one catches the attacker who stays under the fast rate. Entity `service:source`; T1110.001; medium.
 * Counts are never taken back: a failure this rule already counted that a late event later puts in
 * a fast burst stays counted here too.
 */
export class SlowBruteForceRule implements SecurityRule {
  readonly name = BRUTE_FORCE_SLOW_RULE;
  readonly options: SlowBruteForceOptions;
  private readonly windows: KeyedWindows;
  private readonly counter: FailureCounter;
  private readonly fast: SpanSpec;
  private readonly slow: SpanSpec;

  get horizonMs(): number {
    return this.options.windowMs + this.options.reorderMs;
  }

  get leastReplayMs(): number {
    return Math.min(2 * this.options.windowMs, this.horizonMs);
  }

  constructor(options: Partial<SlowBruteForceOptions> = {}) {
    this.options = withDefaults(SLOW_BRUTE_FORCE_DEFAULTS, options);
    const { fast } = this.options;
    if (!(fast.threshold >= 1 && fast.windowMs > 0 && fast.windowMs <= this.options.windowMs)) throw new Error("brute_force_slow: fast must be a threshold >= 1 within a window no longer than the slow one");
    this.windows = new KeyedWindows(windowLimits(this.options));
    this.counter = new FailureCounter(this.options.maxConnections);
    this.fast = { windowMs: fast.windowMs, minWeight: fast.threshold };
    this.slow = { windowMs: this.options.windowMs, minWeight: this.options.threshold, skip: (e) => (e.flags & FAST_BURST) !== 0 };
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const out: SecurityDetection[] = [];
    for (const [key, t] of takeFailures(batch, this.counter, this.windows, keyOf)) {
      const entries = this.windows.entries(key);
      if (!entries) continue;
      markSpans(entries, t.from, t.to, this.fast, FAST_BURST);
      const newly = markSpans(entries, t.from, t.to, this.slow, REPORTED);
      if (newly.length) {
        out.push(report(this.name, entries, newly, this.options, { title: "Slow brute-force logins", severity: "medium", pace: ", under the fast rate" }));
      }
      this.windows.prune(key);
    }
    return out;
  }

  state(): RuleState {
    return stateOf([this.windows], this.counter);
  }

  get trackedKeys(): number {
    return this.windows.size;
  }
}
