import { addSum, eachMember, type Contribution, type Slot, type WindowFigures } from "./ids-slots";
import { earliestIds, MAX_EVIDENCE, pushEvidence, TopCounter, type EvidenceList } from "./ids-support";

// Episodes for ids-episodes.ts: what a key's connected activity adds up to once it met the
// threshold, and what one flush reports of it.

/** A run of connected activity of one key that met the threshold. */
export interface Episode {
  first: number;
  last: number;
  weight: number;
  members: TopCounter;
  sums: Map<string, number>;
  /** the worst (lowest) `worst` contributed; Infinity when none */
  worst: number;
  /** the figures of the window that opened it */
  trigger: WindowFigures;
}

/** What one key's episodes gained in one flush. */
export interface EpisodeReport {
  key: string;
  /** the episode that gained most */
  episode: Episode;
  /** whether that episode opened in this flush */
  opened: boolean;
  increment: number;
  firstSeen: number;
  lastSeen: number;
  /** earliest ids among the events added, at most 100 */
  evidence: number[];
}

/** What one episode gained since the last flush. */
export interface Gain {
  increment: number;
  evidence: EvidenceList[];
  opened: boolean;
  /** evidence of events added straight to the episode */
  own: EvidenceList | null;
}

export function newEpisode(trigger: WindowFigures, topMembers: number): Episode {
  return { first: trigger.first, last: trigger.last, weight: 0, members: new TopCounter(topMembers), sums: new Map(), worst: Infinity, trigger };
}

/** The gain of an episode in a flush, made on first use. */
export function gainOf(gains: Map<Episode, Gain>, episode: Episode): Gain {
  let gain = gains.get(episode);
  if (!gain) gains.set(episode, (gain = { increment: 0, evidence: [], opened: false, own: null }));
  return gain;
}

/** One event straight into an episode. */
export function growEpisode(episode: Episode, c: Contribution, weight: number, gain: Gain): void {
  if (c.time < episode.first) episode.first = c.time;
  if (c.time > episode.last) episode.last = c.time;
  episode.weight += weight;
  if (c.member != null) episode.members.add(c.member, weight);
  if (c.sums) for (const [name, value] of c.sums) addSum(episode.sums, name, value * weight);
  if (c.worst !== undefined && c.worst < episode.worst) episode.worst = c.worst;
  gain.increment += weight;
  if (c.id !== undefined) {
    if (!gain.own) gain.evidence.push((gain.own = []));
    pushEvidence(gain.own, c.time, c.id);
  }
}

/** A whole pending slot into an episode. */
export function absorbSlot(episode: Episode, slot: Slot, gain: Gain): void {
  if (slot.first < episode.first) episode.first = slot.first;
  if (slot.last > episode.last) episode.last = slot.last;
  episode.weight += slot.weight;
  eachMember(slot, (m, n) => episode.members.add(m, n));
  if (slot.sums) for (const [name, value] of slot.sums) addSum(episode.sums, name, value);
  if (slot.worst < episode.worst) episode.worst = slot.worst;
  gain.increment += slot.weight;
  if (slot.evidence.length) gain.evidence.push(slot.evidence);
}

/** Joins episodes that growth has brought less than a window apart; their gains join too. */
export function mergeEpisodes(episodes: Episode[], windowMs: number, gains: Map<Episode, Gain>): Episode[] {
  if (episodes.length < 2) return episodes;
  const sorted = [...episodes].sort((a, b) => a.first - b.first);
  const kept: Episode[] = [sorted[0]];
  for (const next of sorted.slice(1)) {
    const into = kept[kept.length - 1];
    if (next.first - into.last >= windowMs) {
      kept.push(next);
      continue;
    }
    into.last = Math.max(into.last, next.last);
    into.weight += next.weight;
    for (const { value, count } of next.members.top(Infinity)) into.members.add(value, count);
    if (next.members.distinctApproximate) into.members.distinctApproximate = true;
    for (const [name, value] of next.sums) addSum(into.sums, name, value);
    into.worst = Math.min(into.worst, next.worst);
    const moved = gains.get(next);
    if (moved) {
      gains.delete(next);
      const gain = gainOf(gains, into);
      gain.increment += moved.increment;
      gain.evidence.push(...moved.evidence);
    }
  }
  return kept;
}

/** One report for a key: the gains of its episodes in a flush added up. */
export function episodeReport(key: string, gains: Map<Episode, Gain>): EpisodeReport {
  let primary: Episode | null = null;
  let best = -1;
  let increment = 0;
  let firstSeen = Infinity;
  let lastSeen = -Infinity;
  const evidence: EvidenceList[] = [];
  for (const [episode, gain] of gains) {
    increment += gain.increment;
    firstSeen = Math.min(firstSeen, episode.first);
    lastSeen = Math.max(lastSeen, episode.last);
    evidence.push(...gain.evidence);
    if (gain.increment > best) [primary, best] = [episode, gain.increment];
  }
  return {
    key,
    episode: primary!,
    opened: gains.get(primary!)!.opened,
    increment,
    firstSeen,
    lastSeen,
    evidence: earliestIds(evidence, MAX_EVIDENCE),
  };
}

