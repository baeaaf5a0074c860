// Wall-clock stamps without an offset (RFC 3164 syslog, fast.log) are read in a configured IANA
// zone, and stamps without a year take one from the injected clock. Pure: the zone database is
// the runtime's (Intl), the clock comes in.

const DAY_MS = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** 1-based month of a three-letter English abbreviation (`Jan` … `Dec`), or 0. */
export const monthOfAbbrev = (name: string): number => MONTHS.indexOf(name) + 1;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Whether year-month-day (month 1-based) is a real calendar date. */
export function isCalendarDate(y: number, mo: number, d: number): boolean {
  if (!Number.isInteger(y) || mo < 1 || mo > 12 || d < 1) return false;
  return d <= [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
}

// One formatter per zone (creating one costs far more than using it); bounded, the set of zones
// in use is small.
const formatters = new Map<string, Intl.DateTimeFormat>();
const FORMATTERS_MAX = 64;

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // throws RangeError for a zone the runtime does not know
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    if (formatters.size >= FORMATTERS_MAX) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

// Offsets by zone and quarter hour of UTC time: every zone transition in use today falls on a
// quarter hour, so one lookup serves a whole quarter. Bounded: cleared when full.
const offsets = new Map<string, number>();
const OFFSETS_MAX = 4096;
const QUARTER_MS = 900_000;

/** The zone's offset from UTC at instant `ms`, in ms (east positive). */
export function zoneOffsetMs(ms: number, zone: string): number {
  if (zone === "UTC" || zone === "Etc/UTC") return 0;
  const key = `${zone}|${Math.floor(ms / QUARTER_MS)}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = wall - (ms - (((ms % 1000) + 1000) % 1000));
  if (offsets.size >= OFFSETS_MAX) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/**
 * The instant at which the wall clock of IANA `zone` reads y-mo-d h:mi:s.ms (month 1-based).
 * In a spring-forward gap the offset before the change is used (02:30 on a skipped hour becomes
 * 03:30); in a fall-back overlap, the earlier of the two instants. Throws a RangeError for an
 * unknown zone. The caller checks the date is a calendar date.
 */
export function zonedToEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string): number {
  const d0 = new Date(0);
  d0.setUTCFullYear(y, mo - 1, d);
  d0.setUTCHours(h, mi, s, ms);
  const wall = d0.getTime();
  if (zone === "UTC" || zone === "Etc/UTC") return wall;
  // the offsets a few hours either side cover both readings around a transition
  const before = zoneOffsetMs(wall - 3 * 3_600_000, zone);
  const after = zoneOffsetMs(wall + 3 * 3_600_000, zone);
  const a = wall - before;
  if (before === after) return a;
  const b = wall - after;
  const aHolds = zoneOffsetMs(a, zone) === before;
  const bHolds = zoneOffsetMs(b, zone) === after;
  if (aHolds && bHolds) return Math.min(a, b); // overlap: the earlier instant
  if (aHolds) return a;
  if (bHolds) return b;
  return a; // gap: read with the offset before the change
}

export type TimeResult = { ok: true; ms: number } | { ok: false; reason: string };

/** The calendar year at instant `now` in `zone`. */
export function yearAt(now: number, zone: string): number {
  return new Date(now + zoneOffsetMs(now, zone)).getUTCFullYear();
}

/**
 * A wall-clock stamp with a year, read in `zone`; or why it is not a time.
 * `shown` is the stamp as written, for the reason.
 */
export function zonedInstant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string, shown: string): TimeResult {
  if (!isCalendarDate(y, mo, d)) return { ok: false, reason: `timestamp: not a calendar date: ${JSON.stringify(shown)}` };
  // 60 is a leap second, read as the last millisecond of that minute (as lib/time/instant.ts does)
  if (h > 23 || mi > 59 || s > 60) return { ok: false, reason: `timestamp: not a time of day: ${JSON.stringify(shown)}` };
  return { ok: true, ms: zonedToEpoch(y, mo, d, h, mi, Math.min(s, 59), s === 60 ? 999 : ms, zone) };
}

/**
 * A stamp without a year (`Dec 31 23:59:59`, `12/31-23:59:59.5`): it takes the latest year that
 * does not put it more than a day ahead of `now` in `zone`: the year of `now`, the year before for
 * a December line read on 1 January, and the year after for a 1 January line that reaches us in
 * the last hours of 31 December (a sender's clock a little ahead, or in a zone east of ours), which
 * the current year would put a whole year back. 29 February takes the latest leap year that fits.
 */
export function resolveYearless(mo: number, d: number, h: number, mi: number, s: number, ms: number, now: number, zone: string, shown: string): TimeResult {
  if (!isCalendarDate(2000, mo, d)) return { ok: false, reason: `timestamp: not a calendar date: ${JSON.stringify(shown)}` };
  const year = yearAt(now, zone);
  for (let y = year + 1; y >= year - 8; y--) {
    if (!isCalendarDate(y, mo, d)) continue;
    const r = zonedInstant(y, mo, d, h, mi, s, ms, zone, shown);
    if (!r.ok || r.ms <= now + DAY_MS) return r;
  }
  return { ok: false, reason: `timestamp: no year puts ${JSON.stringify(shown)} before now` };
}

/** Microseconds or nanoseconds as written (`.344447`) to whole milliseconds. */
export const fractionMs = (digits: string | undefined): number => (digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0);
