"use client";

import { useEffect, useRef, useState } from "react";

/** More new active incidents than this within SURGE_WINDOW_MS is a flood, however few are active in all. */
export const SURGE_COUNT = 20;
const SURGE_WINDOW_MS = 10_000;
/** a flood's grouping holds this long after the last surge, so the list does not flap */
const SURGE_HOLD_MS = 30_000;

/**
 * Whether incidents are arriving faster than a person can read: the active total grew by more
 * than SURGE_COUNT within SURGE_WINDOW_MS. The clock is read in effects only, never in render.
 */
export function useFloodSurge(activeTotal: number | undefined): boolean {
  const [surge, setSurge] = useState(false);
  const last = useRef<number | undefined>(undefined);
  const arrivals = useRef<{ at: number; n: number }[]>([]);
  const hold = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (activeTotal === undefined) return;
    const before = last.current;
    last.current = activeTotal;
    if (before === undefined || activeTotal <= before) return;
    const now = Date.now();
    arrivals.current = arrivals.current.filter((a) => now - a.at < SURGE_WINDOW_MS);
    arrivals.current.push({ at: now, n: activeTotal - before });
    if (arrivals.current.reduce((sum, a) => sum + a.n, 0) <= SURGE_COUNT) return;
    setSurge(true);
    if (hold.current) clearTimeout(hold.current);
    hold.current = setTimeout(() => setSurge(false), SURGE_HOLD_MS);
  }, [activeTotal]);
  useEffect(() => () => void (hold.current && clearTimeout(hold.current)), []);
  return surge;
}
