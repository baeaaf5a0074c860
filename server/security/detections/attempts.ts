import type { RuleState, StoredEvent } from "../types";
import { EvictionCursor, PAIRED, REPORTED, SharedEntry, type EntryCore, type KeyedWindows, type WindowEntry } from "./window";

/**
 * How authentication failures are counted — the one place every auth rule takes it from.
 *
 * - The source is `src_ip ?? src_host`: a host name (PAM's `rhost=host.example`) is a real source.
 *   A failure with neither is not counted by the remote rules (they are all about where logins come
 *   from); su and sudo failures on the host itself feed privilege-escalation.ts, keyed by host,
 *   account and the user who tried (`requesterOf`).
 * - The service is the event's `service`, lower-cased ("sshd" for sshd's own lines and for its PAM
 *   lines alike), or "unknown".
 * - An attempt (`attributes.attempt !== false`: a failed password, keyboard-interactive, a PAM
 *   authentication failure …) counts its `occurrences` ("message repeated 5 times" counts 5).
 * - A PAM attempt (`isSecondary`: PAM's "authentication failure", "PAM 5 more authentication
 *   failures") counts only while its connection has no attempt of the service's own: sshd reports
 *   each try PAM refused again as "Failed password", so a connection with both counts sshd's.
 *   Windows' 4776 (beside the 4625 of the same try) and Cisco IOS's SSH2_USERAUTH failure (beside
 *   SEC_LOGIN's) are second reports too; FTP, Windows and IOS lines also meet in the connections
 *   `pairingKeys` names, where no host and pid tie the two reports of one try.
 * - A marker (`attributes.attempt === false`: "Invalid user", a preauth disconnect, "POSSIBLE
 *   BREAK-IN ATTEMPT") stands for a connection, not a credential. The connection is the
 *   syslog process (host and pid, lines within 10 min of each other) when the line has a pid,
 *   else (source, src_port)
 *   (`connectionKey`). Its markers count 1 in all, and only while no attempt of that connection
 *   has been seen: a connection with attempts counts its attempts and nothing more. Markers
 *   with neither a pid nor a port cannot be tied to a connection and count 1 each.
 *   Order does not matter: attempts of a batch are weighed before its markers; a marker counted in
 *   an earlier batch loses its unit when its attempt arrives, or, if a detection already reported
 *   it, the attempt counts one less, so the connection's total is the same either way. An event
 *   that counts 0 this way (flag PAIRED) is still evidence: it is linked, and its time is part of
 *   the burst's first and last seen, so those too come out the same in any order (up to a unit
 *   moving between a marker and its attempt, seconds apart, at the very edge of a threshold).
 * - Connections are remembered in a bounded map (least recently touched dropped first).
 */

/**
 * A key derived from an event, computed once per event for every rule that asks (`memo` per key
 * function, weak so it lives only as long as the batch's events). Five rules keep state per
 * failure; without it each held its own copy of the same key string (about 70 bytes a key, 15 MB
 * of an auth flood's 50,000 distinct sources: bench/auth-flood.ts).
 */
export function memoKey<T extends string | null | object>(f: (e: StoredEvent) => T): (e: StoredEvent) => T {
  const memo = new WeakMap<StoredEvent, T>();
  return (e) => {
    let k = memo.get(e);
    if (k === undefined) {
      k = f(e);
      memo.set(e, k);
    }
    return k;
  };
}

/**
 * Parts joined by NUL into one flat string. A template literal makes a tree of cons strings that
 * V8 hashes without flattening, so a Map key built so holds three or four 32-byte nodes beside its
 * characters for as long as it is kept; `join` writes one sequential string.
 */
export function flatKey(parts: readonly (string | number)[], separator = "\u0000"): string {
  return parts.join(separator);
}

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

/**
 * Interns a string: each event parsed brings its own copy of the same address (100,000 copies,
 * 3 MB, for 10,000 sources of 10 failures each), so an entry core's source and account are one
 * string per value, through a table cleared whenever it holds INTERNED strings (a string dropped
 * from it is only a copy again, never wrong).
 */
/** Strings the intern table holds at most. */
const INTERNED = 16_384;
const intern = (() => {
  const strings = new Map<string, string>();
  return (v: string | null): string | null => {
    if (v === null) return null;
    const seen = strings.get(v);
    if (seen !== undefined) return seen;
    if (strings.size >= INTERNED) strings.clear();
    strings.set(v, v);
    return v;
  };
})();

/** The core every rule's entry of an event shares, made once per event. */
const coreOf = memoKey((e: StoredEvent): EntryCore => ({ time: e.time, id: e.id, account: intern(e.user), source: intern(sourceOf(e)), service: serviceOf(e) }));

/** Makes a rule's window entry of an event (weight set by `FailureCounter.weigh`, unless given). */
export function entryOf(e: StoredEvent, weight = 0): WindowEntry {
  return new SharedEntry(coreOf(e), weight);
}

interface Connection {
  /** a credential attempt of the service's own (sshd's "Failed password") was seen */
  attempted: boolean;
  /** PAM attempts that carry the connection's count while the service's own are not known (null: none yet, no array held) */
  secondary: WindowEntry[] | null;
  /** the marker entry that carries the connection's one unit while no attempt is known */
  credit: WindowEntry | null;
  /** weight already reported by entries that later lines replaced: the next attempts count that much less */
  debt: number;
  /**
   * the times of its earliest and latest line, in whole seconds: stored inline as small integers
   * where the build allows (no boxed number each, 32 bytes a connection, until 2038); the span
   * check is up to a second coarser than with milliseconds (lines 600.9 s apart stay one connection)
   */
  first: number;
  last: number;
}

export interface WeighedFailure<K> {
  key: K;
  event: StoredEvent;
  entry: WindowEntry;
}

export const DEFAULT_MAX_CONNECTIONS = 32_000; // as STATE_DEFAULTS.maxConnections (auth-config.ts)
/** PAM entries a connection remembers to take back at most (an sshd process has a handful). */
const MAX_SECONDARY = 64;

/**
 * A PAM "authentication failure" line (`pam:` signature) is the second report of tries its
 * service reports again in its own words: sshd logs "Failed password" for each try PAM refused,
 * sudo "3 incorrect password attempts". In a connection (same process) where the service's own
 * attempts are known, PAM's add nothing; where they are not (a log of PAM lines only), PAM's count.
 */
export function isSecondary(e: Pick<StoredEvent, "signature" | "attributes">): boolean {
  return isAttempt(e) && ((e.signature?.startsWith("pam:") || e.signature === "sshd: pam authentication failure" || e.signature === NTLM_FAILED || e.signature === IOS_SSH_FAILED) ?? false);
}

/** Cisco IOS's SSH user-authentication failure: the second report of a try SEC_LOGIN's LOGIN_FAILED reports too, where both are on. */
const IOS_SSH_FAILED = "cisco-ios: ssh authentication failed";

/** Windows 4776's failure: the second report of a logon try whose 4625 is the first (see `pairingKeys`). */
const NTLM_FAILED = "windows: ntlm credential validation failed (4776)";

/** Weighs failures by the counting rule above; one per rule, since "reported" is the rule's own. */
export class FailureCounter {
  private readonly connections = new Map<string, Connection>();
  private readonly cursor = new EvictionCursor(this.connections);

  constructor(private readonly maxConnections = DEFAULT_MAX_CONNECTIONS) {}

  /**
   * Sets each failure's weight and returns the failures earliest first (ties by id). `items` are
   * failures of one batch, in any order, each already given its key. An event whose connection
   * another event counts gets weight 0 and the flag PAIRED: it adds nothing, but stays evidence.
   * Within a batch the service's own attempts are weighed first, then PAM's, then markers, so the
   * result does not depend on the order of the lines; across batches an entry that a later line
   * replaces loses its weight, or, if a detection already reported it, the later lines count that
   * much less (`debt`).
   */
  weigh<K>(items: WeighedFailure<K>[]): WeighedFailure<K>[] {
    const sorted = [...items].sort((a, b) => a.event.time - b.event.time || a.event.id - b.event.id);
    for (const it of sorted) {
      if (!isAttempt(it.event) || isSecondary(it.event)) continue;
      it.entry.weight = occurrencesOf(it.event);
      for (const c of this.connectionsOf(it.event)) {
        c.attempted = true;
        if (c.secondary) for (const carrier of c.secondary) this.replace(c, carrier);
        c.secondary = null;
        if (c.credit) this.replace(c, c.credit);
        c.credit = null;
        this.absorb(c, it.entry);
      }
    }
    for (const it of sorted) {
      if (!isSecondary(it.event)) continue;
      it.entry.weight = occurrencesOf(it.event);
      const connections = this.connectionsOf(it.event);
      if (connections.some((c) => c.attempted)) {
        it.entry.weight = 0;
        it.entry.flags |= PAIRED;
        continue;
      }
      for (const c of connections) {
        if (c.credit) this.replace(c, c.credit);
        c.credit = null;
        this.absorb(c, it.entry);
        // bounded: a log of PAM lines only keeps one local connection growing (see connectionKey)
        if (it.entry.weight > 0 && (c.secondary ??= []).push(it.entry) > MAX_SECONDARY) c.secondary.shift();
      }
    }
    for (const it of sorted) {
      if (isAttempt(it.event)) continue;
      const c = this.connection(it.event);
      if (!c) it.entry.weight = 1;
      else if (c.attempted || (c.secondary?.length ?? 0) > 0 || c.credit) {
        it.entry.weight = 0;
        it.entry.flags |= PAIRED;
      } else {
        it.entry.weight = 1;
        c.credit = it.entry;
      }
    }
    return sorted;
  }

  /** An entry that carried the connection's count gives way to a better one (once: an FTP PAM line is carried by up to three connections). */
  private replace(c: Connection, carrier: WindowEntry) {
    if (carrier.flags & REPORTED) {
      if (this.repaid.has(carrier)) return;
      this.repaid.add(carrier);
      c.debt += carrier.weight;
    } else {
      carrier.weight = 0;
      carrier.flags |= PAIRED;
    }
  }

  /** A new entry of the connection counts less by what replaced entries had already reported. */
  private absorb(c: Connection, entry: WindowEntry) {
    if (!c.debt) return;
    const take = Math.min(c.debt, entry.weight);
    entry.weight -= take;
    c.debt -= take;
    if (entry.weight === 0) entry.flags |= PAIRED;
  }

  get trackedConnections(): number {
    return this.connections.size;
  }

  /** connections forgotten to stay within the cap */
  evicted = 0;

  /** reported carriers already turned into debt (an FTP PAM line sits in up to three connections) */
  private readonly repaid = new WeakSet<WindowEntry>();

  /** The event's connection, and for an FTP or Windows logon line those its tries also meet in (`pairingKeys`). */
  private connectionsOf(e: StoredEvent): Connection[] {
    const out: Connection[] = [];
    const c = this.connection(e);
    if (c) out.push(c);
    for (const key of pairingKeys(e)) out.push(this.connectionAt(key, e));
    return out;
  }

  private connection(e: StoredEvent): Connection | null {
    const key = sharedConnectionKey(e);
    return key === null ? null : this.connectionAt(key, e);
  }

  private connectionAt(key: string, e: StoredEvent): Connection {
    let c = this.connections.get(key);
    if (c) this.connections.delete(key);
    // a process id comes back once the process is gone: lines far from the connection's are another one
    const t = Math.floor(e.time / 1000);
    if (!c || t > c.last + CONNECTION_SPAN_S || t < c.first - CONNECTION_SPAN_S) c = { attempted: false, secondary: null, credit: null, debt: 0, first: t, last: t };
    if (t < c.first) c.first = t;
    if (t > c.last) c.last = t;
    this.connections.set(key, c);
    if (this.connections.size > this.maxConnections) {
      this.connections.delete(this.cursor.next()!);
      this.evicted++;
    }
    return c;
  }
}

/**
 * The connection a failure line belongs to. A syslog line with a process id: the host and
 * pid (sshd runs one process per connection, and its lines without a port, as older versions
 * write "Invalid user x from 203.0.113.5" and "Received disconnect from 203.0.113.5: 11: Bye Bye
 * [preauth]", belong to the "Failed password … port 4242" of the same process). Otherwise the
 * source and its port. A local line (no source, no pid): the host, service, requesting user and
 * 10-minute slot.
 * None of these: null (the line counts on its own).
 */
export function connectionKey(e: Pick<StoredEvent, "time" | "src_ip" | "src_host" | "src_port" | "attributes" | "service" | "user">): string | null {
  const pid = e.attributes?.pid;
  if (typeof pid === "string" || typeof pid === "number") {
    // not the source: PAM names the client by its reverse-DNS name (rhost=) where sshd's own
    // lines give the address, and both are the one connection
    return flatKey(["pid", hostOf(e) ?? "", pid]);
  }
  const source = sourceOf(e);
  if (source !== null) return e.src_port == null ? null : flatKey([source, e.src_port]);
  // a local line without a pid (sudo writes `sudo: pam_unix(sudo:auth): …` and `sudo: bob : 3
  // incorrect password attempts ; …` without one): the user's tries on that host and service in
  // one slot of CONNECTION_SPAN_MS (on the epoch's grid, so the same whatever order lines arrive
  // in) are one connection, so PAM's line and sudo's own count once, as within one process. A run
  // whose PAM line and sudo's line fall on either side of a slot's edge counts PAM's one more.
  const requester = requesterOf(e);
  if (requester === null) return null;
  return flatKey(["local", hostOf(e) ?? "", serviceOf(e), requester, Math.floor(e.time / CONNECTION_SPAN_MS)]);
}

/**
 * An FTP server and its PAM stack report each try twice (vsftpd's FAIL LOGIN and
 * pam_unix(vsftpd:auth), pure-ftpd's Authentication failed and its PAM line), and often where the
 * host and pid cannot pair them: vsftpd.log names no host while auth.log's PAM line has no pid
 * (vsftpd opens syslog with LOG_PID only when it logs there itself; the same process writes both,
 * so journald's pid is vsftpd.log's), and pure-ftpd writes no pid at all. So an FTP line's tries
 * also meet by the client (the address, or the name PAM was given) and by the bare pid: a PAM line
 * counts only where no server line of the same client or process is known within 10 minutes. A
 * client that tries two FTP servers at once, one sending its server log and the other only PAM
 * lines, counts the first's tries only; PAM naming the client by its reverse-DNS name (vsftpd's
 * reverse_lookup_enable) pairs by pid only.
 */
export function pairingKeys(e: Pick<StoredEvent, "service" | "src_ip" | "src_host" | "attributes" | "user">): string[] {
  const service = serviceOf(e);
  if (service === "windows") return windowsKeys(e);
  // Cisco IOS: SEC_LOGIN's line and SSH's of one try name the device, the client and the account (no pid, no port)
  if (service === "cisco-ios") return sourceOf(e) === null ? [] : [flatKey(["ios", hostOf(e) ?? "", sourceOf(e)!, (e.user ?? "").toLowerCase()])];
  if (service !== "ftp") return [];
  const keys: string[] = [];
  const source = sourceOf(e);
  if (source !== null) keys.push(flatKey(["ftp-client", source]));
  const pid = e.attributes?.pid;
  if (typeof pid === "string" || typeof pid === "number") keys.push(flatKey(["ftp-pid", pid]));
  return keys;
}

/**
 * Windows: an NTLM logon try with a wrong password or an unknown account is written twice, as the
 * 4625 of the machine that was logged on to (with the client's address) and as the 4776 of the
 * machine that validated the credentials (the same machine for a local account, the domain
 * controller for a domain account), which names the client only by its workstation. Both name the
 * account and that workstation, and nothing else ties them: a 4776 counts (as a PAM line does) only
 * where no 4625 of the same account and workstation is known within 10 minutes, so a domain
 * controller's log alone still counts its tries, and both logs count each try once, under the
 * 4625's address. (Wazuh counts 4625 only.) A 4625 whose workstation is empty ("-") cannot be paired.
 */
function windowsKeys(e: Pick<StoredEvent, "attributes" | "user">): string[] {
  const workstation = e.attributes?.workstation;
  if (typeof workstation !== "string" || !e.user) return [];
  const name = workstation.replace(/^\\+/, "").toLowerCase();
  if (name === "" || name === "-") return [];
  return [flatKey(["ntlm", e.user.toLowerCase(), name])];
}

/** A rule's `RuleState` from its windows and its failure counter. */
export function stateOf(windows: readonly KeyedWindows[], counter: FailureCounter | null): RuleState {
  let keys = 0;
  let entries = 0;
  let evicted = 0;
  let late = 0;
  for (const w of windows) {
    keys += w.size;
    entries += w.entryCount;
    evicted += w.evictedKeys;
    late += w.late;
  }
  return {
    keys,
    entries,
    connections: counter?.trackedConnections ?? 0,
    evicted_keys: evicted,
    late_entries: late,
    evicted_connections: counter?.evicted ?? 0,
  };
}

/** `connectionKey`, one string per event for the five rules' counters. */
const sharedConnectionKey = memoKey(connectionKey);

/** The host a syslog line came from (its `attributes.host`), or null. */
export function hostOf(e: Pick<StoredEvent, "attributes">): string | null {
  const host = e.attributes?.host;
  return typeof host === "string" && host !== "" ? host : null;
}

/**
 * Who tried to authenticate on the host itself (su, sudo): PAM's `ruser=` or `logname=`, su's
 * "FAILED SU (to root) bob" (`by`); sudo's own lines and its PAM stack name that user as the
 * account (`bob : 3 incorrect password attempts`, `user=bob`: sudo asks for bob's own password).
 * Null when the line does not say.
 */
export function requesterOf(e: Pick<StoredEvent, "attributes" | "service" | "user">): string | null {
  const a = e.attributes;
  for (const k of ["ruser", "logname", "by"]) {
    const v = a?.[k];
    if (typeof v === "string" && v !== "") return v;
  }
  return serviceOf(e) === "sudo" ? (e.user ?? null) : null;
}

/** Lines of one process further apart than this are different connections (the pid was reused). */
export const CONNECTION_SPAN_MS = 10 * 60_000;
const CONNECTION_SPAN_S = CONNECTION_SPAN_MS / 1000;

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
