"use client";

import { useNow } from "@/components/ui/time";
import { localDateTime } from "@/components/ui/time";

/** "40s", "12m", "3h", "2d": how long, short enough for a tile. */
export function elapsed(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/**
 * How long a node has been in its status, rendered after mount (the page's clock): its own small
 * component, so the clock's tick re-renders this text and not the memoised tile around it.
 */
export function Since({ ms, className }: { ms: number; className?: string }) {
  const now = useNow();
  return (
    <time dateTime={new Date(ms).toISOString()} title={now === null ? undefined : `since ${localDateTime(ms)}`} className={className}>
      {now === null ? "" : elapsed(ms, now)}
    </time>
  );
}
