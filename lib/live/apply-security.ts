import { RATE_WINDOW_MINUTES, type SecuritySnapshot, type RateBucket } from "../contracts/events";
import type { SecurityDelta } from "../contracts/live";
import type { Severity } from "../contracts/common";

/** Events kept in the browser's live list. */
export const LIVE_EVENT_CAP = 500;
const MINUTE = 60_000;

/** Prepends new events (newest first, capped) and counts them into the per-minute rate. */
export function applySecurity(snapshot: SecuritySnapshot, items: readonly SecurityDelta[]): SecuritySnapshot {
  if (items.length === 0) return snapshot;
  const fresh = items.map((i) => i.event).reverse();
  const events = fresh.concat(snapshot.events).slice(0, LIVE_EVENT_CAP);
  const counts = new Map(snapshot.rate.map((b) => [`${b.minute}|${b.severity}`, b.count]));
  let newest = snapshot.rate.reduce((m, b) => Math.max(m, b.minute), 0);
  for (const e of fresh) {
    const minute = Math.floor(e.time / MINUTE) * MINUTE;
    newest = Math.max(newest, minute);
    const key = `${minute}|${e.severity}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const horizon = newest - (RATE_WINDOW_MINUTES - 1) * MINUTE;
  const rate: RateBucket[] = [];
  for (const [key, count] of counts) {
    const [minute, severity] = key.split("|");
    if (Number(minute) >= horizon) rate.push({ minute: Number(minute), severity: severity as Severity, count });
  }
  rate.sort((a, b) => a.minute - b.minute);
  return { ...snapshot, events, rate };
}
