"use client";

import { useEffect, useState } from "react";

/** The time, ticking every `intervalMs` after mount; null while server-rendering and hydrating. The interval is cleared on unmount. */
export function useClock(intervalMs = 1_000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
