"use client";

import { useEffect, useRef, useState } from "react";

/**
 * `value`, updated at most once per `ms` (the latest value wins). For views a person reads, not
 * follows frame by frame: the chart and the storm groups redraw once a second in a flood instead
 * of on every folded batch.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (Object.is(value, shown) || timer.current) return;
    const wait = Math.max(0, last.current + ms - performance.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = performance.now();
      setShown(latest.current);
    }, wait);
  }, [value, shown, ms]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return shown;
}
