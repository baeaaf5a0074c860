// The stretches of maintenance between two instants, for uptime over a range: every occurrence of
// every window (recurring ones at their local time in their zone, as maintenance.ts reads them),
// overlapping and touching ones joined, clipped to the range.
import { WEEKDAYS, type MaintenanceWindow } from "./maintenance";
import { addDays, localParts, weekday, zonedToUtc, type LocalDate } from "./zoned-time";

export interface Span {
  start: number;
  end: number;
  reason: string | null;
}

const DAY = 86_400_000;

function occurrences(w: MaintenanceWindow, from: number, to: number): Span[] {
  if (w.kind === "once") return w.end > from && w.start < to ? [{ start: w.start, end: w.end, reason: w.reason ?? null }] : [];
  const out: Span[] = [];
  // local dates from one that may hold an occurrence still running at `from` to the one holding `to`
  let date: LocalDate = localParts(from - w.duration_ms - DAY, w.tz);
  const last = localParts(to + DAY, w.tz);
  const key = (d: LocalDate) => d.year * 10_000 + d.month * 100 + d.day;
  for (; key(date) <= key(last); date = addDays(date, 1)) {
    if (w.days && !w.days.includes(WEEKDAYS[weekday(date)])) continue;
    const start = zonedToUtc(date, w.start_minutes, w.tz);
    const end = start + w.duration_ms;
    if (end > from && start < to) out.push({ start, end, reason: w.reason ?? null });
  }
  return out;
}

/** Maintenance within [from, to): sorted, disjoint, clipped; joined stretches keep the reason of the window ending last. */
export function maintenanceSpans(windows: readonly MaintenanceWindow[], from: number, to: number): Span[] {
  if (!(to > from)) return [];
  const all = windows.flatMap((w) => occurrences(w, from, to)).sort((a, b) => a.start - b.start);
  const joined: Span[] = [];
  for (const o of all) {
    const prev = joined.at(-1);
    if (prev && o.start <= prev.end) {
      if (o.end > prev.end) {
        prev.end = o.end;
        prev.reason = o.reason;
      }
    } else joined.push({ ...o });
  }
  return joined.map((s) => ({ start: Math.max(s.start, from), end: Math.min(s.end, to), reason: s.reason }));
}
