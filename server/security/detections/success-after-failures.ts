import type { RuleState, SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { entryOf, FailureCounter, sourceOf, stateOf, takeFailures, type Touched } from "./attempts";
import { SUCCESS_AFTER_FAILURES_DEFAULTS, windowLimits, withDefaults, type SuccessAfterFailuresOptions } from "./auth-config";
import { displayName, formatDuration, MAX_EVIDENCE, plural, tally, totalWeight } from "./report";
import { KeyedWindows, lowerBound, PAIRED, REPORTED, upperBound, type WindowEntry } from "./window";

export const SUCCESS_AFTER_FAILURES_RULE = "success_after_failures";

const keyOf = (e: StoredEvent): string | null => sourceOf(e);
/** Failures that are evidence: those that count, and those whose connection another one counts. */
const evidenceOf = (entries: WindowEntry[]) => entries.filter((f) => f.weight > 0 || f.flags & PAIRED);

interface Hit {
  success: WindowEntry;
  /** true when this batch flags the success; false when it only brings failures that precede a flagged one */
  fresh: boolean;
  /** the failures in the success's preceding window (evidence: counted or paired) */
  preceding: WindowEntry[];
  /** the failures this report adds as evidence: all of `preceding` when fresh, else the batch's late ones */
  shown: WindowEntry[];
}

/**
 * A successful login from a source that had at least `minFailures` failures (default 5, counted by
 * the auth counting rule, over every service and account) within `windowMs` (default 10 min) before
 * it, on event time: a success that arrives before its failures is caught when they arrive.
 * Entity `source:account`; critical; T1110 — likely a compromise.
 * Each flagged success counts 1 (the incident's count is the number of suspect logins); its
 * evidence is the success and the failures before it. Failures that arrive after their success
 * was flagged are reported too, with increment 0, so the incident's first_seen and evidence are
 * the same whatever order the log came in.
 */
export class SuccessAfterFailuresRule implements SecurityRule {
  readonly name = SUCCESS_AFTER_FAILURES_RULE;
  readonly options: SuccessAfterFailuresOptions;
  private readonly failures: KeyedWindows;
  private readonly successes: KeyedWindows;
  private readonly counter: FailureCounter;

  get horizonMs(): number {
    return this.options.windowMs + this.options.reorderMs;
  }

  get leastReplayMs(): number {
    return Math.min(2 * this.options.windowMs, this.horizonMs);
  }

  constructor(options: Partial<SuccessAfterFailuresOptions> = {}) {
    this.options = withDefaults(SUCCESS_AFTER_FAILURES_DEFAULTS, options);
    this.failures = new KeyedWindows(windowLimits(this.options));
    this.successes = new KeyedWindows(windowLimits(this.options));
    this.counter = new FailureCounter(this.options.maxConnections);
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const touched = takeFailures(batch, this.counter, this.failures, keyOf);
    for (const [source, t] of this.takeSuccesses(batch)) {
      const seen = touched.get(source);
      touched.set(source, seen ? { from: Math.min(seen.from, t.from), to: Math.max(seen.to, t.to), added: seen.added } : t);
    }
    const hits = new Map<string, Hit[]>();
    for (const [source, t] of touched) {
      for (const hit of this.check(source, t)) {
        const entity = `${source}:${hit.success.account ?? "-"}`;
        const list = hits.get(entity);
        if (list) list.push(hit);
        else hits.set(entity, [hit]);
      }
      this.failures.prune(source);
      this.successes.prune(source);
    }
    return [...hits].map(([entity, list]) => this.report(entity, list));
  }

  state(): RuleState {
    return stateOf([this.failures, this.successes], this.counter);
  }

  get trackedKeys(): number {
    return this.failures.size + this.successes.size;
  }

  /** The successes of one source that this batch flags, or whose preceding window it adds failures to. */
  private check(source: string, t: Touched): Hit[] {
    const W = this.options.windowMs;
    const successes = this.successes.entries(source);
    const failures = this.failures.entries(source);
    if (!successes || !failures) return [];
    // a success at ts looks back at failures in [ts - W, ts]: the batch's entries in [from, to] matter to successes up to to + W
    const a = lowerBound(successes, t.from);
    const b = upperBound(successes, t.to + W);
    if (a >= b) return [];
    const prefix = new Float64Array(failures.length + 1);
    for (let k = 0; k < failures.length; k++) prefix[k + 1] = prefix[k] + failures[k].weight;
    const hits: Hit[] = [];
    for (let k = a; k < b; k++) {
      const s = successes[k];
      const lo = lowerBound(failures, s.time - W);
      const hi = upperBound(failures, s.time);
      if (!(s.flags & REPORTED)) {
        if (prefix[hi] - prefix[lo] < this.options.minFailures) continue;
        s.flags |= REPORTED;
        const preceding = evidenceOf(failures.slice(lo, hi));
        hits.push({ success: s, fresh: true, preceding, shown: preceding });
      } else {
        const late = evidenceOf(t.added).filter((f) => f.time >= s.time - W && f.time <= s.time);
        if (late.length) hits.push({ success: s, fresh: false, preceding: evidenceOf(failures.slice(lo, hi)), shown: late });
      }
    }
    return hits;
  }

  private takeSuccesses(batch: readonly StoredEvent[]): Map<string, Touched> {
    const touched = new Map<string, Touched>();
    for (const e of batch) {
      if (e.kind !== "auth_success") continue;
      const source = sourceOf(e);
      if (source === null) continue;
      if (!this.successes.insert(source, entryOf(e, 1))) continue;
      const t = touched.get(source);
      touched.set(source, t ? { from: Math.min(t.from, e.time), to: Math.max(t.to, e.time), added: [] } : { from: e.time, to: e.time, added: [] });
    }
    return touched;
  }

  private report(entity: string, hits: Hit[]): SecurityDetection {
    const o = this.options;
    const fresh = hits.filter((h) => h.fresh);
    // the explanation tells of the latest newly flagged login (or of the latest one grown by late failures)
    const latest = fresh.at(-1) ?? hits[hits.length - 1];
    const s = latest.success;
    const source = s.source!;
    const preceding = latest.preceding;
    // evidence: the new logins, then the earliest failures each hit adds; at most MAX_EVIDENCE, earliest first
    const evidence = fresh.slice(0, MAX_EVIDENCE).map((h) => h.success);
    const picked = new Set<WindowEntry>();
    for (const h of hits) {
      for (const f of h.shown) {
        if (evidence.length >= MAX_EVIDENCE) break;
        if (!picked.has(f)) {
          picked.add(f);
          evidence.push(f);
        }
      }
    }
    evidence.sort((x, y) => x.time - y.time || x.id - y.id);
    let firstSeen = Infinity;
    let lastSeen = -Infinity;
    for (const h of hits) {
      firstSeen = Math.min(firstSeen, h.shown[0]?.time ?? h.success.time);
      lastSeen = Math.max(lastSeen, h.success.time);
    }
    const failed = totalWeight(preceding);
    const accounts = tally(preceding, (e) => e.account);
    const forAccounts = accounts.distinct ? ` for ${plural(accounts.distinct, "account")}` : "";
    const who = s.account ? displayName(s.account) : "an unnamed account";
    const more = fresh.length > 1 ? ` (${fresh.length} such logins)` : "";
    return {
      rule: this.name,
      entity,
      title: `Login as ${who} from ${displayName(source)} after repeated failures`,
      severity: "critical",
      firstSeen,
      lastSeen,
      increment: fresh.length,
      explanation:
        `${who} logged in from ${displayName(source)} (${s.service}) after ${plural(failed, "failed login")}${forAccounts} ` +
        `in the preceding ${formatDuration(s.time - (preceding[0]?.time ?? s.time))}${more}; ` +
        `threshold ${o.minFailures} in ${formatDuration(o.windowMs)}; likely compromise`,
      mitre: "T1110",
      evidence: evidence.map((e) => e.id),
      details: {
        logins: fresh.length,
        failures: failed,
        source,
        account: s.account === null ? null : displayName(s.account),
        service: s.service,
        accounts,
        services: tally(preceding, (e) => e.service),
        threshold: { failures: o.minFailures, windowMs: o.windowMs },
        note: "likely compromise",
      },
    };
  }
}
