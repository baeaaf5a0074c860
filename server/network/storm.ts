// Whether nodes failing together are a storm (a feed or a collector died, a site lost power):
// pure, over the nodes the caller found failing with no failing ancestor.
import type { StormOptions } from "./outages";

export interface StormCandidate {
  id: number;
  key: string;
  name: string;
  tags: Record<string, string>;
  /** first failed check of its current failing run */
  since: number;
}

/**
 * The storm the node going down at `at` forms, by the candidates' first failures alone (not by which
 * of them happened to arrive last): `count` or more of them within `windowMs` of each other, `at`
 * among them; else null. Its members are those and every candidate the storm's window reaches as it
 * widens (within `windowMs` before its first member's first failure or after its last's), as an open
 * storm takes in nodes failing within its window. Candidates are expected to share no failed
 * ancestor (the caller leaves out nodes whose ancestor fails: those are one parent's outage, not a
 * storm). Sorts the candidates once: O(n log n).
 */
export function findStorm(candidates: readonly StormCandidate[], at: number, options: StormOptions): { members: StormCandidate[]; since: number } | null {
  const w = options.windowMs;
  const sorted = [...candidates].sort((a, b) => a.since - b.since || a.id - b.id);
  // a window of windowMs holding `at`: the fullest one starts at a candidate's first failure
  let first = -1;
  let last = -1;
  for (let i = 0, j = 0; i < sorted.length && sorted[i].since <= at; i++) {
    j = Math.max(j, i);
    while (j < sorted.length && sorted[j].since <= sorted[i].since + w) j++;
    if (sorted[i].since + w >= at && j - i >= options.count) {
      [first, last] = [i, j - 1];
      break;
    }
  }
  if (first < 0) return null;
  while (first > 0 && sorted[first].since - sorted[first - 1].since <= w) first--;
  while (last < sorted.length - 1 && sorted[last + 1].since - sorted[last].since <= w) last++;
  const members = sorted.slice(first, last + 1);
  return { members, since: members[0].since };
}

/** The tags every member has with the same value. */
export function commonTags(tags: readonly Record<string, string>[]): Record<string, string> {
  if (tags.length === 0) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags[0])) if (tags.every((t) => t[k] === v)) out[k] = v;
  return out;
}
