"use client";

import { useEffect, useRef, useState } from "react";

/** Events a second above which rows are no longer readable one by one. */
export const STORM_RATE = 50;
const WINDOW_S = 3;

/**
 * Whether events are arriving faster than a person can read: the live total grew by more than
 * STORM_RATE a second over each of the last three seconds. Sampled once a second, so a storm
 * costs nothing per event here. Returns the rate too (events a second, last second).
 */
export function useStorm(total: number): { storm: boolean; rate: number } {
  const totalRef = useRef(total);
  totalRef.current = total;
  const [state, setState] = useState({ storm: false, rate: 0 });
  useEffect(() => {
    const samples: number[] = [totalRef.current];
    const t = setInterval(() => {
      samples.push(totalRef.current);
      if (samples.length > WINDOW_S + 1) samples.shift();
      const steps = samples.slice(1).map((n, i) => n - samples[i]);
      const rate = steps.at(-1) ?? 0;
      const storm = steps.length === WINDOW_S && steps.every((d) => d > STORM_RATE);
      // leave storm mode only once a whole window was calm, so the view does not flicker
      setState((s) => {
        const next = storm || (s.storm && steps.some((d) => d > STORM_RATE));
        return s.storm === next && s.rate === rate ? s : { storm: next, rate };
      });
    }, 1000);
    return () => clearInterval(t);
  }, []);
  return state;
}
