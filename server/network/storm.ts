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
 * The storm the node going down at `at` belongs to: the candidates whose first failure lies
 * within `windowMs` of it (either side), when there are at least `count` of them; else null.
 * Candidates are expected to share no failed ancestor (the caller leaves out nodes whose
 * ancestor fails: those are one parent's outage, not a storm).
 */
export function findStorm(candidates: readonly StormCandidate[], at: number, options: StormOptions): { members: StormCandidate[]; since: number } | null {
  const members = candidates.filter((c) => Math.abs(c.since - at) <= options.windowMs);
  if (members.length < options.count) return null;
  return { members, since: Math.min(...members.map((m) => m.since)) };
}

/** The tags every member has with the same value. */
export function commonTags(tags: readonly Record<string, string>[]): Record<string, string> {
  if (tags.length === 0) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags[0])) if (tags.every((t) => t[k] === v)) out[k] = v;
  return out;
}
