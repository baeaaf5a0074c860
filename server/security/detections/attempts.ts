import type { StoredEvent } from "../types";
import { EvictionCursor, PAIRED, REPORTED, type KeyedWindows, type WindowEntry } from "./window";

/**
 * How authentication failures are counted — the one place every auth rule takes it from.
 *
 * - The source is `src_ip ?? src_host`: a host name (PAM's `rhost=host.example`) is a real source.
 *   A failure with neither is not counted by these rules (they are all about where logins come from).
 * - The service is the event's `service`, lower-cased ("sshd" for sshd's own lines and for its PAM
 *   lines alike), or "unknown".
 * - An attempt (`attributes.attempt !== false`: a failed password, keyboard-interactive, a PAM
 *   authentication failure …) counts its `occurrences` ("message repeated 5 times" counts 5).
 * - A marker (`attributes.attempt === false`: "Invalid user", a preauth disconnect, "POSSIBLE
 *   BREAK-IN ATTEMPT") stands for a connection, not a credential. The connection is
 *   (source, src_port). Its markers count 1 in all, and only while no attempt of that connection
 *   has been seen: a connection with attempts counts its attempts and nothing more. Markers
 *   without a port cannot be tied to a connection and count 1 each.
 *   Order does not matter: attempts of a batch are weighed before its markers; a marker counted in
 *   an earlier batch loses its unit when its attempt arrives, or, if a detection already reported
 *   it, the attempt counts one less, so the connection's total is the same either way. An event
 *   that counts 0 this way (flag PAIRED) is still evidence: it is linked, and its time is part of
 *   the burst's first and last seen, so those too come out the same in any order (up to a unit
 *   moving between a marker and its attempt, seconds apart, at the very edge of a threshold).
 * - Connections are remembered in a bounded map (least recently touched dropped first).
 */

/** Where an event came from: the canonical address, or the host name the log gave instead. */
export function sourceOf(e: Pick<StoredEvent, "src_ip" | "src_host">): string | null {
  return e.src_ip ?? e.src_host ?? null;
}

/** The service an event belongs to, lower-case; "unknown" when the log names none. */
export function serviceOf(e: Pick<StoredEvent, "service">): string {
  return e.service ? e.service.toLowerCase() : "unknown";
}

/** True for a credential attempt, false for a connection marker ("Invalid user", preauth disconnect). */
export function isAttempt(e: Pick<StoredEvent, "attributes">): boolean {
  return e.attributes?.attempt !== false;
}

/** A failure line's occurrences as a count: a positive integer (1 when the line gives nonsense). */
export function occurrencesOf(e: Pick<StoredEvent, "occurrences">): number {
  const n = Math.floor(e.occurrences);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

/** Makes the window entry of an event (weight set by `FailureCounter.weigh`). */
export function entryOf(e: StoredEvent): WindowEntry {
  return { time: e.time, id: e.id, weight: 0, account: e.user, source: sourceOf(e), service: serviceOf(e), flags: 0 };
}

interface Connection {
  attempted: boolean;
  /** the marker entry that carries the connection's one unit while no attempt is known */
  credit: WindowEntry | null;
}

export interface WeighedFailure<K> {
  key: K;
  event: StoredEvent;
  entry: WindowEntry;
}

export const DEFAULT_MAX_CONNECTIONS = 100_000;

/** Weighs failures by the counting rule above; one per rule, since "reported" is the rule's own. */
export class FailureCounter {
  private readonly connections = new Map<string, Connection>();
  private readonly cursor = new EvictionCursor(this.connections);

  constructor(private readonly maxConnections = DEFAULT_MAX_CONNECTIONS) {}

  /**
   * Sets each failure's weight and returns the failures earliest first (ties by id). `items` are
   * failures of one batch, in any order, each already given its key. An event whose connection
   * another event counts gets weight 0 and the flag PAIRED: it adds nothing, but stays evidence.
   */
  weigh<K>(items: WeighedFailure<K>[]): WeighedFailure<K>[] {
    const sorted = [...items].sort((a, b) => a.event.time - b.event.time || a.event.id - b.event.id);
    // attempts first, so that a marker whose attempt is in the same batch never counts
    for (const it of sorted) {
      if (!isAttempt(it.event)) continue;
      it.entry.weight = occurrencesOf(it.event);
      const c = this.connection(it.event);
      if (!c) continue;
      c.attempted = true;
      if (c.credit) {
        if (c.credit.flags & REPORTED) {
          it.entry.weight -= 1; // the marker's unit was this connection's
          if (it.entry.weight === 0) it.entry.flags |= PAIRED;
        } else {
          c.credit.weight = 0;
          c.credit.flags |= PAIRED;
        }
        c.credit = null;
      }
    }
    for (const it of sorted) {
      if (isAttempt(it.event)) continue;
      const c = this.connection(it.event);
      if (!c) it.entry.weight = 1;
      else if (c.attempted || c.credit) {
        it.entry.weight = 0;
        it.entry.flags |= PAIRED;
      }
      else {
        it.entry.weight = 1;
        c.credit = it.entry;
      }
    }
    return sorted;
  }

  get trackedConnections(): number {
    return this.connections.size;
  }

  private connection(e: StoredEvent): Connection | null {
    const source = sourceOf(e);
    if (e.src_port == null || source === null) return null;
    const key = `${source}\u0000${e.src_port}`;
    let c = this.connections.get(key);
    if (c) this.connections.delete(key);
    else c = { attempted: false, credit: null };
    this.connections.set(key, c);
    if (this.connections.size > this.maxConnections) this.connections.delete(this.cursor.next()!);
    return c;
  }
}

/** The time range of a key's entries that a batch added. */
export interface Touched {
  from: number;
  to: number;
  /** the entries the batch added, earliest first */
  added: WindowEntry[];
}

/**
 * Takes a batch's failures into `windows`: keeps `auth_failure` events that `keyOf` gives a key,
 * weighs them by the counting rule and inserts those that count. Returns, per touched key, the
 * time range it added; the caller marks, then prunes each (`KeyedWindows.prune`).
 */
export function takeFailures(
  batch: readonly StoredEvent[],
  counter: FailureCounter,
  windows: KeyedWindows,
  keyOf: (e: StoredEvent) => string | null,
): Map<string, Touched> {
  const items: WeighedFailure<string>[] = [];
  for (const event of batch) {
    if (event.kind !== "auth_failure") continue;
    const key = keyOf(event);
    if (key !== null) items.push({ key, event, entry: entryOf(event) });
  }
  const touched = new Map<string, Touched>();
  for (const { key, entry } of counter.weigh(items)) {
    if (!windows.insert(key, entry)) continue;
    const t = touched.get(key);
    if (!t) touched.set(key, { from: entry.time, to: entry.time, added: [entry] });
    else {
      t.to = entry.time; // weigh() gives them earliest first
      t.added.push(entry);
    }
  }
  return touched;
}
