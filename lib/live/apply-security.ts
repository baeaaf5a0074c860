import { RATE_WINDOW_MINUTES } from "../contracts/values/events";
import type { SecuritySnapshot, RateBucket, SecurityEvent } from "../contracts/events";
import type { SecurityDelta } from "../contracts/live";
import type { Severity } from "../contracts/common";

/** Events kept in the browser's live head (older ones are paged from the server on scroll). */
export const LIVE_EVENT_CAP = 500;
const MINUTE = 60_000;
/** Storm groups are counted in slices of this many ms of event time; six make the last minute. */
export const GROUP_SLICE_MS = 10_000;
const GROUP_SLICES = 6;
/** Distinct signatures (and sources) counted per slice; the rest are counted as "other". */
export const GROUP_KEY_CAP = 200;
export const OTHER = "(other)";

/** Counts of one slice of event time, by signature and by source address. */
export interface GroupSlice {
  slice: number;
  count: number;
  signatures: Map<string, number>;
  sources: Map<string, number>;
}

/** The snapshot as the browser holds it: the server's fields plus groups folded from live events. */
export type LiveSecurity = SecuritySnapshot & { groups?: GroupSlice[] };

/** What an event is grouped by in a storm: its signature, else its kind. */
export const groupKey = (e: SecurityEvent): string => e.signature ?? e.kind;

const bump = (m: Map<string, number>, key: string) => {
  const k = m.has(key) || m.size < GROUP_KEY_CAP ? key : OTHER;
  m.set(k, (m.get(k) ?? 0) + 1);
};

/**
 * Folds live events into the snapshot: prepends them (newest first, capped), adds them to the
 * true total, the per-minute rate, the day's counts by severity and the storm groups.
 */
export function applySecurity(snapshot: LiveSecurity, items: readonly SecurityDelta[]): LiveSecurity {
  if (items.length === 0) return snapshot;
  const fresh = items.map((i) => i.event).reverse();
  const events = fresh.concat(snapshot.events).slice(0, LIVE_EVENT_CAP);
  const counts = new Map(snapshot.rate.map((b) => [`${b.minute}|${b.severity}`, b.count]));
  const day = { ...snapshot.counts.day };
  let newest = snapshot.rate.reduce((m, b) => Math.max(m, b.minute), 0);
  for (const e of fresh) {
    const minute = Math.floor(e.time / MINUTE) * MINUTE;
    newest = Math.max(newest, minute);
    const key = `${minute}|${e.severity}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    day[e.severity] = (day[e.severity] ?? 0) + 1;
  }
  const horizon = newest - (RATE_WINDOW_MINUTES - 1) * MINUTE;
  const rate: RateBucket[] = [];
  for (const [key, count] of counts) {
    const [minute, severity] = key.split("|");
    if (Number(minute) >= horizon) rate.push({ minute: Number(minute), severity: severity as Severity, count });
  }
  rate.sort((a, b) => a.minute - b.minute);
  // the last hour slides with the rate window; the day is only added to (it is re-read on reload)
  const hour = { ...snapshot.counts.hour };
  for (const s of Object.keys(hour) as Severity[]) hour[s] = 0;
  for (const b of rate) hour[b.severity] = (hour[b.severity] ?? 0) + b.count;
  return {
    ...snapshot,
    events,
    total: snapshot.total + fresh.length,
    rate,
    counts: { hour, day },
    groups: foldGroups(snapshot.groups ?? [], fresh),
  };
}

/** Adds events to the slices of their time, keeping the minute up to the newest slice. */
export function foldGroups(groups: readonly GroupSlice[], fresh: readonly SecurityEvent[]): GroupSlice[] {
  const bySlice = new Map<number, GroupSlice>();
  for (const g of groups) bySlice.set(g.slice, g);
  const touched = new Set<number>();
  for (const e of fresh) {
    const slice = Math.floor(e.time / GROUP_SLICE_MS) * GROUP_SLICE_MS;
    let g = bySlice.get(slice);
    if (!touched.has(slice)) {
      // copy on first write, so the previous state stays as it was
      g = g ? { slice, count: g.count, signatures: new Map(g.signatures), sources: new Map(g.sources) } : { slice, count: 0, signatures: new Map(), sources: new Map() };
      bySlice.set(slice, g);
      touched.add(slice);
    }
    g!.count += 1;
    bump(g!.signatures, groupKey(e));
    bump(g!.sources, e.src_ip ?? "–");
  }
  const newest = Math.max(...bySlice.keys());
  return [...bySlice.values()].filter((g) => g.slice > newest - GROUP_SLICES * GROUP_SLICE_MS).sort((a, b) => b.slice - a.slice);
}

/** The largest groups over the slices given (the last minute), largest first. */
export function topGroups(groups: readonly GroupSlice[], by: "signatures" | "sources", n: number): { key: string; count: number }[] {
  const sum = new Map<string, number>();
  for (const g of groups) for (const [k, c] of g[by]) sum.set(k, (sum.get(k) ?? 0) + c);
  return [...sum].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, n);
}
