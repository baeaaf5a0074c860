// Flap detection as Nagios computes it: the last 21 states, the 20 changes between them weighted
// linearly from 0.75 (oldest) to 1.25 (newest), as a percentage of 20; flapping starts at or
// above the high threshold and stops at or below the low one, and holds in between.

export const FLAP_HISTORY = 21;
const LOW_WEIGHT = 0.75;
const HIGH_WEIGHT = 1.25;

export interface FlapOptions {
  /** percent state change at or above which flapping starts (default 50) */
  high: number;
  /** percent state change at or below which it stops (default 25) */
  low: number;
}
export const DEFAULT_FLAP: FlapOptions = { high: 50, low: 25 };

export interface FlapState {
  /** oldest first, at most 21: true for a passing result */
  history: boolean[];
  flapping: boolean;
  percent: number;
}
export const initialFlap = (): FlapState => ({ history: [], flapping: false, percent: 0 });

/** The weighted percent state change of a history (oldest first); a short history is aligned to the newest end. */
export function percentStateChange(history: readonly boolean[]): number {
  const n = Math.min(history.length, FLAP_HISTORY);
  const from = history.length - n;
  let changes = 0;
  for (let i = 1; i < n; i++) {
    if (history[from + i] === history[from + i - 1]) continue;
    const x = i + (FLAP_HISTORY - n); // 1 … 20, 20 being the newest change
    changes += ((x - 1) * (HIGH_WEIGHT - LOW_WEIGHT)) / (FLAP_HISTORY - 2) + LOW_WEIGHT;
  }
  return (changes * 100) / (FLAP_HISTORY - 1);
}

/** Adds one result; says whether flapping started or stopped with it. Mutates `state`. */
export function recordFlap(state: FlapState, ok: boolean, options: FlapOptions = DEFAULT_FLAP): { started: boolean; stopped: boolean } {
  state.history.push(ok);
  if (state.history.length > FLAP_HISTORY) state.history.splice(0, state.history.length - FLAP_HISTORY);
  state.percent = percentStateChange(state.history);
  const was = state.flapping;
  if (state.percent >= options.high) state.flapping = true;
  else if (state.percent <= options.low) state.flapping = false;
  return { started: !was && state.flapping, stopped: was && !state.flapping };
}
