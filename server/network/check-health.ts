// One check's health over its results: retries before down, successes before up, and degraded
// from failures, latency p95 or a baseline anomaly in its recent window. Pure; used by status.ts.
import { baselineFor, DEFAULT_BASELINE, initialBaseline, nextGap, observeLatency, withWindow, type BaselineOptions, type BaselineState, type BaselineVerdict } from "./baseline";

export type Health = "pending" | "up" | "degraded" | "down";

export interface CheckPolicy {
  /** failed results in a row that make the check down (default 3) */
  failures_before_down: number;
  /** passing results in a row that bring a down check back (default 2) */
  successes_before_up: number;
  /** p95 latency over the window above which the check is degraded; null for none */
  latency_threshold_ms: number | null;
  /** results the p95 and the failure count look at (default 10) */
  window: number;
  /** failed results in the window that make an up check degraded; 0 for never (default 1) */
  degraded_failures: number;
  /**
   * the latency baseline, or null to judge latency by the threshold only; "by_interval": the one
   * for the spacing of the check's own results (baselineFor), so pushed heartbeats every 5 minutes
   * and probes every 30 s are each judged as they were tuned
   */
  baseline: BaselineOptions | null | "by_interval";
  /** the baseline's window in samples, when not the options' own (a check's `baseline_window`) */
  baseline_window?: number | null;
}
export const DEFAULT_CHECK_POLICY: CheckPolicy = {
  failures_before_down: 3,
  successes_before_up: 2,
  latency_threshold_ms: null,
  window: 10,
  degraded_failures: 1,
  baseline: DEFAULT_BASELINE,
};

/** A check result as the status machine reads it. */
export interface StatusResult {
  check_id: string;
  /** when the check ran (its own start time), not when the result arrived */
  time: number;
  ok: boolean;
  latency_ms: number | null;
  error?: string;
}

export interface AnomalyFacts {
  value_ms: number;
  median_ms: number;
  mad_ms: number;
  score: number;
  window: number;
}

export interface CheckTrack {
  health: Health;
  /** why it is not up */
  reason: string | null;
  fails: number;
  oks: number;
  /** time of the first failure of the current failing run, and of the first success of the passing one */
  first_fail_at: number | null;
  first_ok_at: number | null;
  /** evidence time of the current health: first failure for down, first success back for up */
  since: number | null;
  last_ok: boolean | null;
  last_error: string | null;
  recent: { ok: boolean; latency: number | null }[];
  baseline: BaselineState | null;
  anomaly: AnomalyFacts | null;
  /** time of the newest result with a latency, and the smoothed spacing of those results (absent in states stored before) */
  sample_at?: number | null;
  gap_ms?: number | null;
}

export const initialTrack = (): CheckTrack => ({
  health: "pending",
  reason: null,
  fails: 0,
  oks: 0,
  first_fail_at: null,
  first_ok_at: null,
  since: null,
  last_ok: null,
  last_error: null,
  recent: [],
  baseline: null,
  anomaly: null,
});

/** Forgets runs in progress (entering maintenance), keeping the confirmed health. */
export function resetRuns(track: CheckTrack): void {
  track.fails = 0;
  track.oks = 0;
  track.first_fail_at = null;
  track.first_ok_at = null;
  track.recent = [];
  if (track.baseline) {
    track.baseline.outliers_in_row = 0;
    track.baseline.normals_in_row = 0;
    track.baseline.anomalous = false;
  }
  track.anomaly = null;
}

/** The p95 of numbers (nearest rank). */
export function p95(values: readonly number[]): number {
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

/** Applies one result to a check's track. Mutates `track`. */
export function applyResult(track: CheckTrack, r: StatusResult, policy: CheckPolicy): void {
  if (r.ok) {
    track.oks++;
    track.fails = 0;
    if (track.oks === 1) track.first_ok_at = r.time;
    track.first_fail_at = null;
  } else {
    track.fails++;
    track.oks = 0;
    if (track.fails === 1) track.first_fail_at = r.time;
    track.first_ok_at = null;
    track.last_error = r.error ?? "check failed";
  }
  track.last_ok = r.ok;
  let verdict: BaselineVerdict | null = null;
  if (policy.baseline && r.ok && r.latency_ms !== null) {
    if (track.sample_at != null) track.gap_ms = nextGap(track.gap_ms, r.time - track.sample_at);
    track.sample_at = track.sample_at == null ? r.time : Math.max(track.sample_at, r.time);
    track.baseline ??= initialBaseline();
    const options = policy.baseline === "by_interval" ? baselineFor(track.gap_ms) : policy.baseline;
    verdict = observeLatency(track.baseline, r.latency_ms, policy.baseline_window ? withWindow(options, policy.baseline_window) : options);
  }
  if (verdict?.anomalous && verdict.median !== null && (verdict.started || !track.anomaly)) {
    track.anomaly = { value_ms: verdict.value, median_ms: verdict.median, mad_ms: verdict.mad!, score: verdict.score!, window: verdict.samples };
  } else if (verdict && !verdict.anomalous) track.anomaly = null;

  let recovered = false;
  if (track.health === "down") {
    if (r.ok && track.oks >= policy.successes_before_up) {
      track.recent = [];
      recovered = true;
    } else {
      if (!r.ok) track.reason = `${track.last_error} (${track.fails} failed in a row)`;
      return;
    }
  } else if (!r.ok && track.fails >= policy.failures_before_down) {
    track.health = "down";
    track.since = track.first_fail_at;
    track.reason = `${track.last_error} (${track.fails} failed in a row)`;
    track.recent = [];
    return;
  }
  track.recent.push({ ok: r.ok, latency: r.latency_ms });
  if (track.recent.length > policy.window) track.recent.splice(0, track.recent.length - policy.window);
  const judged = judgeWindow(track, policy);
  // back from down at the first good check of the run that confirmed it; other changes at this result
  if (recovered) track.since = track.first_ok_at;
  else if (judged.health !== track.health) track.since = r.time;
  track.health = judged.health;
  track.reason = judged.reason;
}

function judgeWindow(track: CheckTrack, policy: CheckPolicy): { health: Health; reason: string | null } {
  const failed = track.recent.filter((x) => !x.ok).length;
  if (policy.degraded_failures > 0 && failed >= policy.degraded_failures) {
    const retry = track.fails > 0 ? `, failing ${track.fails} of ${policy.failures_before_down} before down` : "";
    return { health: "degraded", reason: `${failed} of the last ${track.recent.length} checks failed (last: ${track.last_error})${retry}` };
  }
  const latencies = track.recent.filter((x) => x.ok && x.latency !== null).map((x) => x.latency!);
  if (policy.latency_threshold_ms !== null && latencies.length > 0) {
    const p = p95(latencies);
    if (p > policy.latency_threshold_ms) return { health: "degraded", reason: `latency p95 ${round(p)} ms over ${policy.latency_threshold_ms} ms in the last ${latencies.length} checks` };
  }
  if (track.anomaly) return { health: "degraded", reason: anomalyReason(track.anomaly) };
  return { health: "up", reason: null };
}

/** Why a node is degraded by a latency anomaly: the value, the baseline and the window. */
export function anomalyReason(a: AnomalyFacts): string {
  const side = a.value_ms >= a.median_ms ? "above" : "below";
  return `latency ${round(a.value_ms)} ms far ${side} its baseline: median ${round(a.median_ms)} ms, MAD ${round(a.mad_ms)} ms over the last ${a.window} checks (robust z ${a.score.toFixed(1)})`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
