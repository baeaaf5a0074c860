"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { ago } from "./format";

// One clock for the page. It is null while rendering on the server and during hydration, so no
// render depends on the clock (or the viewer's time zone) until the page is mounted: the server's
// HTML and the browser's first render agree, and there is no hydration mismatch.
const NowContext = createContext<number | null>(null);

/** Ticks the page's clock every `intervalMs` after mount. */
export function NowProvider({ children, intervalMs = 5_000 }: { children: ReactNode; intervalMs?: number }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

/** The page's clock, or null before mount (render nothing time-dependent then). */
export function useNow(): number | null {
  return useContext(NowContext);
}

/** Whether the page is mounted in the browser (the viewer's zone and locale are known). */
export function useMounted(): boolean {
  return useNow() !== null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Full date and time in the viewer's zone: 2026-11-21 10:04:05. */
export function localDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "3m ago", rendered after mount; the full time is in the title. */
export function Ago({ ms, prefix = "" }: { ms: number; prefix?: string }) {
  const now = useNow();
  return (
    <time dateTime={iso(ms)} title={now === null ? undefined : localDateTime(ms)}>
      {now === null ? "" : `${prefix}${ago(ms, now)}`}
    </time>
  );
}

/** A time in the viewer's zone, rendered after mount: date and time, or the time of day alone. */
export function LocalTime({ ms, date = true, className }: { ms: number; date?: boolean; className?: string }) {
  const mounted = useMounted();
  const text = mounted ? (date ? localDateTime(ms) : localDateTime(ms).slice(11)) : "";
  return (
    <time dateTime={iso(ms)} title={mounted ? localDateTime(ms) : undefined} className={className}>
      {text}
    </time>
  );
}
