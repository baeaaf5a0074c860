// Wall-clock time in an IANA zone without a date library: Intl gives the offset at an instant,
// and a local time is mapped back to an instant as Temporal's "compatible" disambiguation does
// (a time skipped by a spring-forward gap moves later by the gap; a repeated time takes the
// earlier of its two instants).

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(tz, f);
  }
  return f;
}

/** Whether Intl knows the zone ("Europe/Berlin", "UTC"). */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The local calendar fields at an instant. */
export function localParts(utc: number, tz: string): LocalDate & { hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(utc))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at an instant, in ms (Berlin in winter: +3600000). */
export function offsetAt(utc: number, tz: string): number {
  const p = localParts(utc, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(utc / 1000) * 1000;
}

const DAY = 86_400_000;

/** The instant of a local date and time in a zone (compatible disambiguation, see above). */
export function zonedToUtc(date: LocalDate, minutesOfDay: number, tz: string): number {
  const local = Date.UTC(date.year, date.month - 1, date.day) + minutesOfDay * 60_000;
  const before = offsetAt(local - DAY, tz);
  const after = offsetAt(local + DAY, tz);
  const candidates = [local - before, local - after].filter((utc) => offsetAt(utc, tz) === local - utc).sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0];
  // in a gap: read the time with the offset in force before it, which lands after the gap
  return local - before;
}

/** The calendar date `days` after `date` (negative for before). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}
