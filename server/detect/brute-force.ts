import type { Detection } from "../incidents/service";

export interface BruteForceOptions {
  /** failures from one source within the window that make a burst */
  threshold?: number;
  windowMs?: number;
  /** sources tracked at most; the stalest are dropped beyond it */
  maxSources?: number;
}

interface SourceWindow {
  times: number[];
  firing: boolean;
}

export const BRUTE_FORCE_RULE = "brute_force";

/**
 * A burst of failed logins from one source address: `threshold` failures within `windowMs`
 * opens one incident keyed by the source; every further failure while the burst goes on adds
 * one to its count. Windows run on event time, so replayed logs detect the same as live ones.
 */
export class BruteForceDetector {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly maxSources: number;
  private readonly sources = new Map<string, SourceWindow>();

  constructor(options: BruteForceOptions = {}) {
    this.threshold = options.threshold ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxSources = options.maxSources ?? 50_000;
  }

  observe(event: { time: number; src_ip?: string | null; user?: string | null }): Detection | null {
    const ip = event.src_ip;
    if (!ip) return null;
    let w = this.sources.get(ip);
    if (!w) {
      if (this.sources.size >= this.maxSources) this.evictOldest();
      w = { times: [], firing: false };
    } else {
      this.sources.delete(ip); // re-insert below keeps the Map in least-recently-seen order
    }
    this.sources.set(ip, w);
    const horizon = event.time - this.windowMs;
    w.times.push(event.time);
    let drop = 0;
    while (drop < w.times.length && w.times[drop] <= horizon) drop++;
    if (drop) w.times.splice(0, drop);
    if (w.times.length > this.threshold) w.times.splice(0, w.times.length - this.threshold);

    if (w.times.length < this.threshold) {
      w.firing = false;
      return null;
    }
    const increment = w.firing ? 1 : w.times.length;
    w.firing = true;
    return {
      rule: BRUTE_FORCE_RULE,
      entity: ip,
      pane: "security",
      title: `Brute-force logins from ${ip}`,
      severity: "high",
      time: event.time,
      increment,
    };
  }

  get trackedSources(): number {
    return this.sources.size;
  }

  private evictOldest(): void {
    const oldest = this.sources.keys().next();
    if (!oldest.done) this.sources.delete(oldest.value);
  }
}
