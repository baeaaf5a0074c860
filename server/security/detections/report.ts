import { lowerBound, type WindowEntry } from "./window";

/** Evidence ids a report carries at most. */
export const MAX_EVIDENCE = 100;
/** Members listed in a report's details at most. */
export const TOP_MEMBERS = 10;
/** Account and host names are attacker-chosen: shown at most this long in explanations and details. */
export const MAX_NAME = 64;

/** "70 s", "12 min", "1 h", "2 h 30 min". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 180) return `${s} s`;
  const min = Math.round(ms / 60_000);
  if (min < 120) return min % 60 === 0 ? `${min / 60} h` : `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A name cut to `MAX_NAME` characters (with an ellipsis): plain text, shown as data, never markup. */
export function displayName(name: string): string {
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}

export interface MemberTally {
  distinct: number;
  /** the most frequent members, most first (ties by name), at most `TOP_MEMBERS` */
  top: { value: string; count: number }[];
}

/** Counts (by weight) the members `pick` gives for the entries. */
export function tally(entries: readonly WindowEntry[], pick: (e: WindowEntry) => string | null): MemberTally {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const m = pick(e);
    if (m !== null && e.weight > 0) counts.set(m, (counts.get(m) ?? 0) + e.weight);
  }
  const top = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_MEMBERS)
    .map(([value, count]) => ({ value: displayName(value), count }));
  return { distinct: counts.size, top };
}

/** Ids of the first `MAX_EVIDENCE` entries (given earliest first). */
export function evidenceIds(entries: readonly WindowEntry[]): number[] {
  return entries.slice(0, MAX_EVIDENCE).map((e) => e.id);
}

export function totalWeight(entries: readonly WindowEntry[]): number {
  let n = 0;
  for (const e of entries) n += e.weight;
  return n;
}

/** The burst a report belongs to, as far as the window still holds it: its flagged entries (paired ones included). */
export interface Burst {
  first: number;
  last: number;
  count: number;
  entries: WindowEntry[];
}

function indexOf(entries: readonly WindowEntry[], e: WindowEntry): number {
  for (let k = lowerBound(entries, e.time); k < entries.length && entries[k].time === e.time; k++) if (entries[k] === e) return k;
  return -1;
}

/**
 * The flagged entries around `newly` (earliest first) that belong to the same burst: flagged
 * entries no more than `windowMs` apart from one to the next. A burst ends when its window empties.
 */
export function burstAround(entries: readonly WindowEntry[], newly: readonly WindowEntry[], windowMs: number, flag: number): Burst {
  let a = indexOf(entries, newly[0]);
  let b = indexOf(entries, newly[newly.length - 1]);
  if (a < 0 || b < 0) return { first: newly[0].time, last: newly[newly.length - 1].time, count: totalWeight(newly), entries: [...newly] };
  for (let k = a - 1, edge = entries[a].time; k >= 0 && edge - entries[k].time <= windowMs; k--) {
    if (entries[k].flags & flag) {
      a = k;
      edge = entries[k].time;
    }
  }
  for (let k = b + 1, edge = entries[b].time; k < entries.length && entries[k].time - edge <= windowMs; k++) {
    if (entries[k].flags & flag) {
      b = k;
      edge = entries[k].time;
    }
  }
  const members: WindowEntry[] = [];
  for (let k = a; k <= b; k++) if (entries[k].flags & flag) members.push(entries[k]);
  return { first: members[0].time, last: members[members.length - 1].time, count: totalWeight(members), entries: members };
}
