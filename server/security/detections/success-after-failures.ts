import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { entryOf, FailureCounter, sourceOf, takeFailures, type Touched } from "./attempts";
import { SUCCESS_AFTER_FAILURES_DEFAULTS, windowLimits, withDefaults, type SuccessAfterFailuresOptions } from "./auth-config";
import { displayName, formatDuration, MAX_EVIDENCE, plural, tally, totalWeight } from "./report";
import { KeyedWindows, lowerBound, REPORTED, upperBound, type WindowEntry } from "./window";

export const SUCCESS_AFTER_FAILURES_RULE = "success_after_failures";

const keyOf = (e: StoredEvent): string | null => sourceOf(e);

interface Hit {
  success: WindowEntry;
  /** the source's failures; those in [lo, hi) are this success's preceding window */
  all: WindowEntry[];
  lo: number;
  hi: number;
}

/**
 * A successful login from a source that had at least `minFailures` failures (default 5, counted by
 * the auth counting rule, over every service and account) within `windowMs` (default 10 min) before
 * it, on event time: a success that arrives before its failures is caught when they arrive.
 * Entity `source:account`; critical; T1110 — likely a compromise.
 * Each flagged success counts 1 (the incident's count is the number of suspect logins); its
 * evidence is the success and the failures before it.
 */
export class SuccessAfterFailuresRule implements SecurityRule {
  readonly name = SUCCESS_AFTER_FAILURES_RULE;
  readonly options: SuccessAfterFailuresOptions;
  private readonly failures: KeyedWindows;
  private readonly successes: KeyedWindows;
  private readonly counter: FailureCounter;

  constructor(options: Partial<SuccessAfterFailuresOptions> = {}) {
    this.options = withDefaults(SUCCESS_AFTER_FAILURES_DEFAULTS, options);
    this.failures = new KeyedWindows(windowLimits(this.options));
    this.successes = new KeyedWindows(windowLimits(this.options));
    this.counter = new FailureCounter(this.options.maxConnections);
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const W = this.options.windowMs;
    const touched = takeFailures(batch, this.counter, this.failures, keyOf);
    for (const [source, t] of this.takeSuccesses(batch)) {
      const seen = touched.get(source);
      touched.set(source, seen ? { from: Math.min(seen.from, t.from), to: Math.max(seen.to, t.to) } : t);
    }
    const hits = new Map<string, Hit[]>();
    for (const [source, t] of touched) {
      const successes = this.successes.entries(source);
      const failures = this.failures.entries(source);
      if (!successes || !failures) continue;
      // a success at ts looks back at failures in [ts - W, ts]: new failures in [from, to] matter to successes up to to + W
      const a = lowerBound(successes, t.from);
      const b = upperBound(successes, t.to + W);
      if (a >= b) continue;
      const prefix = new Float64Array(failures.length + 1);
      for (let k = 0; k < failures.length; k++) prefix[k + 1] = prefix[k] + failures[k].weight;
      for (let k = a; k < b; k++) {
        const s = successes[k];
        if (s.flags & REPORTED) continue;
        const lo = lowerBound(failures, s.time - W);
        const hi = upperBound(failures, s.time);
        if (prefix[hi] - prefix[lo] < this.options.minFailures) continue;
        s.flags |= REPORTED;
        const entity = `${source}:${s.account ?? "-"}`;
        const list = hits.get(entity) ?? [];
        list.push({ success: s, all: failures, lo, hi });
        hits.set(entity, list);
      }
    }
    return [...hits].map(([entity, list]) => this.report(entity, list));
  }

  get trackedKeys(): number {
    return this.failures.size + this.successes.size;
  }

  private takeSuccesses(batch: readonly StoredEvent[]): Map<string, Touched> {
    const touched = new Map<string, Touched>();
    for (const e of batch) {
      if (e.kind !== "auth_success") continue;
      const source = sourceOf(e);
      if (source === null) continue;
      const entry = { ...entryOf(e), weight: 1 };
      if (!this.successes.insert(source, entry)) continue;
      const t = touched.get(source);
      touched.set(source, t ? { from: Math.min(t.from, e.time), to: Math.max(t.to, e.time) } : { from: e.time, to: e.time });
    }
    for (const source of touched.keys()) this.successes.prune(source);
    return touched;
  }

  private report(entity: string, hits: Hit[]): SecurityDetection {
    const o = this.options;
    const latest = hits[hits.length - 1];
    const s = latest.success;
    const source = s.source!;
    const preceding = latest.all.slice(latest.lo, latest.hi).filter((f) => f.weight > 0);
    // evidence: the successes, then the earliest failures before them, at most MAX_EVIDENCE, earliest first
    const evidence = hits.slice(0, MAX_EVIDENCE).map((h) => h.success);
    const picked = new Set<WindowEntry>();
    for (const h of hits) {
      for (let k = h.lo; k < h.hi && evidence.length < MAX_EVIDENCE; k++) {
        const f = h.all[k];
        if (f.weight > 0 && !picked.has(f)) {
          picked.add(f);
          evidence.push(f);
        }
      }
    }
    evidence.sort((x, y) => x.time - y.time || x.id - y.id);
    let firstSeen = Infinity;
    let lastSeen = -Infinity;
    for (const h of hits) {
      let k = h.lo;
      while (k < h.hi && h.all[k].weight <= 0) k++;
      firstSeen = Math.min(firstSeen, k < h.hi ? h.all[k].time : h.success.time);
      lastSeen = Math.max(lastSeen, h.success.time);
    }
    const failed = totalWeight(preceding);
    const accounts = tally(preceding, (e) => e.account);
    const forAccounts = accounts.distinct ? ` for ${plural(accounts.distinct, "account")}` : "";
    const who = s.account ? displayName(s.account) : "an unnamed account";
    const more = hits.length > 1 ? ` (${hits.length} such logins)` : "";
    return {
      rule: this.name,
      entity,
      title: `Login as ${who} from ${displayName(source)} after repeated failures`,
      severity: "critical",
      firstSeen,
      lastSeen,
      increment: hits.length,
      explanation:
        `${who} logged in from ${displayName(source)} (${s.service}) after ${plural(failed, "failed login")}${forAccounts} ` +
        `in the preceding ${formatDuration(s.time - (preceding[0]?.time ?? s.time))}${more}; ` +
        `threshold ${o.minFailures} in ${formatDuration(o.windowMs)}; likely compromise`,
      mitre: "T1110",
      evidence: evidence.map((e) => e.id),
      details: {
        logins: hits.length,
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
