import { absorbSlot, episodeReport, gainOf, growEpisode, mergeEpisodes, newEpisode, type Episode, type EpisodeReport, type Gain } from "./ids-episode";
import { addToSlot, lowerBound, memberCount, newSlot, WindowSum, type Contribution, type Slot, type WindowFigures } from "./ids-slots";
import { BoundedLru } from "./ids-support";

export type { Episode, EpisodeReport } from "./ids-episode";
export type { Contribution, WindowFigures } from "./ids-slots";

// Grouped windows on event time, shared by the IDS, scan and payment rules.
//
// Each key (a signature, a source, an account …) adds its events into slots of
// windowMs / slotsPerWindow. A window is a run of slots spanning less than windowMs (slot
// boundaries, not event times, decide what is in it, so the answer is the same in any order).
// A key "opens an episode" when a window meets the rule's threshold; from then on every event of
// that key less than windowMs away from the episode, before or after it, joins it and is
// reported as growth. Whatever the order events come in (reversed, shuffled, late batches), the
// events counted are the same: those connected, by gaps shorter than the window, to a window that
// met the threshold. Slots make the window coarse by one slot at most: it never fires on events
// spread over the window or more, and may miss a threshold met only across a slot edge.
//
// Cost: events arriving in time order are checked against a running window (amortized constant
// work per event); an event older than its key's newest slot makes the next flush rescan the
// windows around it.

/**
 * How late an event of a grouped rule may come (event time before now) and still meet, after a
 * restart, the events stored before it: a grouped rule's horizon is its window plus this, as an
 * auth rule's is its window plus its `reorder` (1 h by default).
 */
export const EPISODE_LATENESS_MS = 3_600_000;

export interface EpisodeOptions {
  windowMs: number;
  /**
   * whether a window's figures meet the rule's threshold (checked on whole windows; a threshold
   * that adding events can undo, like a share of declines, is checked on the widest window ending
   * at each slot)
   */
  qualifies: (figures: WindowFigures) => boolean;
  /** window resolution: slots per window (default 60) */
  slotsPerWindow?: number;
  /** keys tracked at most (least recently used forgotten first) */
  maxKeys?: number;
  /** units of state at most over all keys: slots, members, named sums and evidence ids held */
  maxWeight?: number;
  /** episodes kept per key (the ones that ended longest ago are forgotten first) */
  maxEpisodesPerKey?: number;
  /** members counted per episode before the least counted are forgotten */
  topMembers?: number;
}

interface KeyState {
  /** slots not (yet) in an episode, by index */
  pending: Slot[];
  episodes: Episode[];
  /**
   * the window ending at the newest pending slot, from position `tailFrom` (null while there is
   * at most one pending slot: that slot is the window)
   */
  tail: WindowSum | null;
  tailFrom: number;
  /** the tail no longer matches the pending slots (an event out of order, slots removed) */
  tailStale: boolean;
  /** a window may qualify: scan the changed slots at the next flush */
  scan: boolean;
  /** units of state held by the pending slots (see slotUnits) */
  pendingUnits: number;
  /** slot indexes changed since the last flush */
  changedLo: number;
  changedHi: number;
  /** what episodes gained from events added straight to them since the last flush */
  gains: Map<Episode, Gain> | null;
}

/** Grouped windows with episodes: `add` what a batch contributes, then `flush` once per batch. */
export class EpisodeWindows {
  readonly windowMs: number;
  private readonly slotMs: number;
  /** slots in a window: slot indexes j-span+1 … j */
  private readonly span: number;
  private readonly maxPendingSlots: number;
  private readonly maxEpisodes: number;
  private readonly topMembers: number;
  private readonly qualifies: (f: WindowFigures) => boolean;
  private readonly keys: BoundedLru<KeyState>;
  private readonly touched = new Set<string>();

  constructor(options: EpisodeOptions) {
    this.windowMs = options.windowMs;
    const slots = Math.max(1, options.slotsPerWindow ?? 60);
    this.slotMs = Math.max(1, Math.floor(options.windowMs / slots));
    this.span = Math.max(1, Math.floor(options.windowMs / this.slotMs));
    this.maxPendingSlots = 4 * this.span;
    this.maxEpisodes = options.maxEpisodesPerKey ?? 4;
    this.topMembers = options.topMembers ?? 1_000;
    this.qualifies = options.qualifies;
    this.keys = new BoundedLru({ maxKeys: options.maxKeys ?? 50_000, maxWeight: options.maxWeight ?? 500_000 });
  }

  /** Keys tracked, units of state held, keys forgotten to stay within the caps. */
  stats(): { keys: number; weight: number; evictions: number } {
    return { keys: this.keys.size, weight: this.keys.weight, evictions: this.keys.evictions };
  }

  add(key: string, c: Contribution): void {
    if (!Number.isFinite(c.time)) return;
    const weight = Number.isFinite(c.weight) && c.weight > 0 ? c.weight : 1;
    let state = this.keys.get(key);
    if (!state) {
      state = { pending: [], episodes: NO_EPISODES, tail: null, tailFrom: 0, tailStale: false, scan: false, pendingUnits: 0, changedLo: Infinity, changedHi: -Infinity, gains: null };
      this.keys.set(key, state, 1);
    }
    this.touched.add(key);
    if (state.episodes.length) {
      // the common case once an episode is open: its events join it without a slot
      const w = this.windowMs;
      const episode = state.episodes.find((e) => c.time > e.first - w && c.time < e.last + w);
      if (episode) return this.grow(state, episode, c, weight);
    }
    const index = Math.floor(c.time / this.slotMs);
    if (index < state.changedLo) state.changedLo = index;
    if (index > state.changedHi) state.changedHi = index;
    const pending = state.pending;
    const n = pending.length;
    if (n === 0 || pending[n - 1].index <= index) {
      // in time order for this key: the running window follows
      const fresh = n === 0 || pending[n - 1].index < index;
      if (fresh) pending.push(newSlot(index, c.time));
      const slot = pending[pending.length - 1];
      const before = fresh ? 0 : slotUnits(slot);
      addToSlot(slot, c, weight, state.tailStale ? null : state.tail);
      state.pendingUnits += slotUnits(slot) - before;
      if (state.tailStale) {
        state.scan = true;
        return;
      }
      if (state.scan) return;
      if (pending.length === 1) {
        if (this.qualifies(slotFigures(slot))) state.scan = true;
        return;
      }
      let tail = state.tail;
      if (!tail) tail = this.rebuildTail(state)!;
      else while (pending[state.tailFrom].index <= index - this.span) tail.take(pending[state.tailFrom++], -1);
      if (this.qualifies(tail.figures(pending[state.tailFrom].first, slot.last))) state.scan = true;
      return;
    }
    const at = lowerBound(pending, index);
    let slot = pending[at];
    let before = 0;
    if (slot?.index !== index) pending.splice(at, 0, (slot = newSlot(index, c.time)));
    else before = slotUnits(slot);
    addToSlot(slot, c, weight, null);
    state.pendingUnits += slotUnits(slot) - before;
    state.tailStale = true;
    state.scan = true;
  }

  /** Settles every key touched since the last flush: what opened or grew, one report per key. */
  flush(): EpisodeReport[] {
    const reports: EpisodeReport[] = [];
    for (const key of this.touched) {
      const state = this.keys.peek(key);
      if (!state) continue; // forgotten to stay within the caps
      const report = this.resolve(key, state);
      if (report) reports.push(report);
      this.keys.reweigh(key, weightOf(state));
    }
    this.touched.clear();
    return reports.sort((a, b) => a.firstSeen - b.firstSeen || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Adds one event straight to an episode it is connected to. */
  private grow(state: KeyState, episode: Episode, c: Contribution, weight: number): void {
    state.gains ??= new Map();
    growEpisode(episode, c, weight, gainOf(state.gains, episode));
  }

  private resolve(key: string, state: KeyState): EpisodeReport | null {
    if (!state.gains && !state.scan && state.episodes.length === 0) {
      // the common case: nothing open, nothing qualifies
      this.capPending(state);
      if (state.tailStale) this.rebuildTail(state);
      state.changedLo = Infinity;
      state.changedHi = -Infinity;
      return null;
    }
    const gains = state.gains ?? new Map<Episode, Gain>();
    state.gains = null;
    // an episode that grew may now reach pending slots, or another episode
    if (gains.size) this.mergeEpisodes(state, gains);
    this.absorbConnected(state, gains, gains.size > 0);
    while (state.scan) {
      const run = this.qualifyingRun(state);
      if (!run) break;
      const slots = state.pending.splice(run.from, run.to - run.from + 1);
      for (const slot of slots) state.pendingUnits -= slotUnits(slot);
      const episode = newEpisode(run.figures, this.topMembers);
      state.episodes = state.episodes.length ? [...state.episodes, episode] : [episode];
      gainOf(gains, episode).opened = true;
      for (const slot of slots) this.absorb(episode, slot, gains);
      state.tailStale = true;
      this.absorbConnected(state, gains, true);
    }
    state.scan = false;
    state.changedLo = Infinity;
    state.changedHi = -Infinity;
    // only now, after the scan: late events older than the history still had their chance
    this.capPending(state);
    if (state.tailStale) this.rebuildTail(state);
    if (state.episodes.length > this.maxEpisodes) {
      // keep what grew in this flush, then the episodes that ended most recently
      state.episodes.sort((a, b) => Number(gains.has(b)) - Number(gains.has(a)) || b.last - a.last);
      for (const gone of state.episodes.splice(this.maxEpisodes)) gains.delete(gone);
    }
    return gains.size ? episodeReport(key, gains) : null;
  }

  /**
   * Moves pending slots less than a window away from an episode into it, until none is: first
   * the changed slots, then (once an episode has grown) all of them.
   */
  private absorbConnected(state: KeyState, gains: Map<Episode, Gain>, all: boolean): void {
    if (state.episodes.length === 0 || state.pending.length === 0) return;
    const w = this.windowMs;
    let grown = false;
    for (let changed = true; changed; ) {
      changed = false;
      const left: Slot[] = [];
      for (const slot of state.pending) {
        const checked = all || grown || (slot.index >= state.changedLo && slot.index <= state.changedHi);
        const episode = checked ? state.episodes.find((e) => slot.last > e.first - w && slot.first < e.last + w) : undefined;
        if (!episode) left.push(slot);
        else {
          state.pendingUnits -= slotUnits(slot);
          this.absorb(episode, slot, gains);
          changed = grown = true;
        }
      }
      state.pending = left;
      if (changed) {
        state.tailStale = true;
        this.mergeEpisodes(state, gains);
      }
    }
  }

  private absorb(episode: Episode, slot: Slot, gains: Map<Episode, Gain>): void {
    absorbSlot(episode, slot, gainOf(gains, episode));
  }

  private mergeEpisodes(state: KeyState, gains: Map<Episode, Gain>): void {
    state.episodes = mergeEpisodes(state.episodes, this.windowMs, gains);
  }

  /**
   * The earliest-ending window among the pending slots that qualifies, looking only at windows
   * that hold a slot changed since the last flush (the others did not qualify then).
   */
  private qualifyingRun(state: KeyState): { from: number; to: number; figures: WindowFigures } | null {
    const slots = state.pending;
    const lo = state.changedLo;
    const hi = state.changedHi;
    const sum = new WindowSum();
    let i = lowerBound(slots, lo - this.span + 1);
    for (let j = i; j < slots.length && slots[j].index < hi + this.span; j++) {
      sum.take(slots[j], 1);
      while (slots[i].index <= slots[j].index - this.span) sum.take(slots[i++], -1);
      if (slots[j].index < lo) continue;
      if (this.qualifies(sum.figures(slots[i].first, slots[j].last))) return { from: i, to: j, figures: sum.snapshot(slots[i].first, slots[j].last) };
    }
    return null;
  }

  /** The running window over the newest pending slots (none while there is at most one slot). */
  private rebuildTail(state: KeyState): WindowSum | null {
    const slots = state.pending;
    state.tailStale = false;
    if (slots.length <= 1) {
      state.tailFrom = 0;
      return (state.tail = null);
    }
    const tail = new WindowSum();
    let from = slots.length;
    const newest = slots[from - 1].index;
    while (from > 0 && slots[from - 1].index > newest - this.span) tail.take(slots[--from], 1);
    state.tailFrom = from;
    return (state.tail = tail);
  }

  /** A key keeps 4 × slotsPerWindow pending slots at most (four windows when dense): the oldest go first, a window at a time. */
  private capPending(state: KeyState): void {
    if (state.pending.length <= this.maxPendingSlots) return;
    const drop = state.pending.length - this.maxPendingSlots + this.span;
    for (const slot of state.pending.splice(0, drop)) state.pendingUnits -= slotUnits(slot);
    state.tailFrom -= drop;
    if (state.tailFrom < 0) state.tailStale = true;
  }
}

const NO_EPISODES: Episode[] = [];

function slotFigures(s: Slot): WindowFigures {
  return { weight: s.weight, distinct: memberCount(s), sums: s.sums ?? NO_SUMS, first: s.first, last: s.last };
}

const NO_SUMS: ReadonlyMap<string, number> = new Map();

/** What a slot holds, in units of state: itself, its members, named sums and evidence ids. */
function slotUnits(s: Slot): number {
  return 1 + memberCount(s) + (s.sums?.size ?? 0) + s.evidence.length / 2;
}

function weightOf(state: KeyState): number {
  let w = 1 + state.pendingUnits + (state.tail ? state.tail.members.size + state.tail.sums.size : 0);
  for (const e of state.episodes) w += 1 + e.members.size + e.sums.size;
  return w;
}
