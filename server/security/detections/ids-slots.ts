import { pushEvidence, type EvidenceList } from "./ids-support";

// Slots and window aggregates for ids-episodes.ts: what one key's events add up to, slot by slot.

/** What one event adds to its key. */
export interface Contribution {
  time: number;
  /** how many occurrences it stands for (the event's `occurrences`) */
  weight: number;
  /** the stored event's id, for evidence */
  id?: number;
  /** what is counted distinctly: a source, a signature, a port, a card … */
  member?: string | null;
  /** named quantities summed over the window: an amount per currency, declined attempts … */
  sums?: readonly (readonly [string, number])[];
  /** lower is worse (an IDS priority) */
  worst?: number;
}

/** What a window (or an episode's trigger) holds. */
export interface WindowFigures {
  weight: number;
  distinct: number;
  sums: ReadonlyMap<string, number>;
  /** its earliest and latest event times */
  first: number;
  last: number;
}

/** The events of one key in one slice of time (windowMs / slotsPerWindow). */
export interface Slot {
  index: number;
  first: number;
  last: number;
  weight: number;
  /** the only member while there is one (no map for the common case) … */
  member: string | null;
  memberWeight: number;
  /** … and all of them once there are more */
  members: Map<string, number> | null;
  sums: Map<string, number> | null;
  worst: number;
  /** the earliest evidence (pairs of time and id), about 100 once trimmed */
  evidence: EvidenceList;
}

const MAX_SLOT_MEMBERS = 4_096;
const MAX_SUM_NAMES = 32;

export function newSlot(index: number, time: number): Slot {
  return { index, first: time, last: time, weight: 0, member: null, memberWeight: 0, members: null, sums: null, worst: Infinity, evidence: [] };
}

/** Distinct members of a slot. */
export function memberCount(slot: Slot): number {
  return slot.members ? slot.members.size : slot.member !== null ? 1 : 0;
}

/** Calls `fn` for each member of a slot with its weight. */
export function eachMember(slot: Slot, fn: (member: string, weight: number) => void): void {
  if (slot.members) for (const [m, n] of slot.members) fn(m, n);
  else if (slot.member !== null) fn(slot.member, slot.memberWeight);
}

/** Adds a sum under a name; a map holds 32 names at most, further names are not counted. */
export function addSum(sums: Map<string, number>, name: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const seen = sums.get(name);
  if (seen !== undefined) sums.set(name, seen + value);
  else if (sums.size < MAX_SUM_NAMES) sums.set(name, value);
  else return false;
  return true;
}

/**
 * Adds one event to its slot and, when given, to the running window it belongs to, counting in
 * both exactly what the slot accepted (a slot holds 4,096 members and 32 named sums at most).
 */
export function addToSlot(slot: Slot, c: Contribution, weight: number, window: WindowSum | null): void {
  if (c.time < slot.first) slot.first = c.time;
  if (c.time > slot.last) slot.last = c.time;
  slot.weight += weight;
  if (window) window.weight += weight;
  if (c.member != null) {
    if (!slot.members && (slot.member === null || slot.member === c.member)) {
      slot.member = c.member;
      slot.memberWeight += weight;
      window?.addMember(c.member, weight);
    } else {
      if (!slot.members) {
        slot.members = new Map([[slot.member!, slot.memberWeight]]);
        slot.member = null;
      }
      const seen = slot.members.get(c.member);
      if (seen !== undefined || slot.members.size < MAX_SLOT_MEMBERS) {
        slot.members.set(c.member, (seen ?? 0) + weight);
        window?.addMember(c.member, weight);
      }
    }
  }
  if (c.sums) {
    slot.sums ??= new Map();
    for (const [name, value] of c.sums) if (addSum(slot.sums, name, value * weight)) window?.addSum(name, value * weight);
  }
  if (c.worst !== undefined && c.worst < slot.worst) slot.worst = c.worst;
  if (c.id !== undefined) {
    pushEvidence(slot.evidence, c.time, c.id);
  }
}

/** The figures of consecutive slots, kept as slots enter and leave (maps made on first use). */
export class WindowSum {
  weight = 0;
  private memberCounts: Map<string, number> | null = null;
  private sumsByName: Map<string, number> | null = null;

  get members(): ReadonlyMap<string, number> {
    return this.memberCounts ?? EMPTY;
  }

  get sums(): ReadonlyMap<string, number> {
    return this.sumsByName ?? EMPTY;
  }

  addMember(member: string, n: number): void {
    const counts = (this.memberCounts ??= new Map());
    const left = (counts.get(member) ?? 0) + n;
    if (left > 0) counts.set(member, left);
    else counts.delete(member);
  }

  addSum(name: string, value: number): void {
    const sums = (this.sumsByName ??= new Map());
    sums.set(name, (sums.get(name) ?? 0) + value);
  }

  /** Adds (sign 1) or removes (sign -1) a whole slot. */
  take(slot: Slot, sign: 1 | -1): void {
    this.weight += sign * slot.weight;
    if (slot.members) for (const [m, n] of slot.members) this.addMember(m, sign * n);
    else if (slot.member !== null) this.addMember(slot.member, sign * slot.memberWeight);
    if (slot.sums) for (const [name, value] of slot.sums) this.addSum(name, sign * value);
  }

  figures(first: number, last: number): WindowFigures {
    return { weight: this.weight, distinct: this.members.size, sums: this.sums, first, last };
  }

  /** Figures that stay as they are when this window moves on. */
  snapshot(first: number, last: number): WindowFigures {
    return { weight: this.weight, distinct: this.members.size, sums: new Map(this.sums), first, last };
  }
}

const EMPTY: ReadonlyMap<string, number> = new Map();

/** The first position in slots (sorted by index) whose index is at least `index`. */
export function lowerBound(slots: readonly Slot[], index: number): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (slots[mid].index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
