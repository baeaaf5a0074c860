import { z } from "zod";
import { timeSchema } from "../../lib/contracts/common";
import { DurationError, durationMs } from "./duration";
import { addDays, isTimeZone, localParts, weekday, zonedToUtc } from "./zoned-time";

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A window at fixed instants. */
export interface OneOffWindow {
  kind: "once";
  start: number;
  end: number;
  reason?: string;
}
/**
 * A window that repeats: on `days` (every day when absent) at local `start_minutes` in `tz`, for
 * `duration_ms` of elapsed time, so a window crossing a DST change still lasts its duration.
 */
export interface RecurringWindow {
  kind: "recurring";
  days: readonly Weekday[] | null;
  start_minutes: number;
  duration_ms: number;
  tz: string;
  reason?: string;
}
export type MaintenanceWindow = OneOffWindow | RecurringWindow;

/** The stretch of maintenance an instant falls in, overlapping and touching windows joined. */
export interface ActiveMaintenance {
  start: number;
  end: number;
  reason: string | null;
}

const reason = z.string().max(200).optional();
const oneOffSchema = z
  .strictObject({ start: timeSchema, end: timeSchema, reason })
  .refine((w) => w.end > w.start, "end must be after start")
  .transform((w): OneOffWindow => ({ kind: "once", ...w }));
const recurringSchema = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7).optional(),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "start: local time as HH:MM"),
    duration: z.union([z.string().max(32), z.number()]),
    tz: z.string().max(64).refine(isTimeZone, "tz: an IANA time zone such as Europe/Berlin"),
    reason,
  })
  .transform((w, ctx): RecurringWindow => {
    let duration = 0;
    try {
      duration = durationMs(w.duration);
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["duration"], message: error instanceof DurationError ? error.message : String(error) });
      return z.NEVER;
    }
    if (duration < 60_000 || duration > 7 * 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["duration"], message: "duration: between 1m and 7d" });
      return z.NEVER;
    }
    const [h, m] = w.start.split(":").map(Number);
    return { kind: "recurring", days: w.days ?? null, start_minutes: h * 60 + m, duration_ms: duration, tz: w.tz, reason: w.reason };
  });

/**
 * A window as the config writes it: `{start: "2026-12-01T22:00Z", end: "…"}` once, or
 * `{days: [sat], start: "02:00", duration: "2h", tz: "Europe/Berlin"}` every week.
 */
export const maintenanceWindowSchema = z.unknown().transform((value, ctx): MaintenanceWindow => {
  // told apart by shape, so that errors speak of the kind the writer meant
  const schema = value !== null && typeof value === "object" && "end" in value ? oneOffSchema : recurringSchema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  return z.NEVER;
});

const DAY = 86_400_000;

/** The occurrence of a window that contains `t`, if any. */
function occurrenceAt(w: MaintenanceWindow, t: number): { start: number; end: number } | null {
  if (w.kind === "once") return t >= w.start && t < w.end ? { start: w.start, end: w.end } : null;
  const today = localParts(t, w.tz);
  // an occurrence that started up to duration (+ a day for the offset) before t may still be on
  const back = Math.ceil(w.duration_ms / DAY) + 1;
  for (let k = 0; k <= back; k++) {
    const date = addDays(today, -k);
    if (w.days && !w.days.includes(WEEKDAYS[weekday(date)])) continue;
    const start = zonedToUtc(date, w.start_minutes, w.tz);
    if (t >= start && t < start + w.duration_ms) return { start, end: start + w.duration_ms };
  }
  return null;
}

/** The maintenance in force at `t`, or null: overlapping and touching windows count as one stretch. */
export function maintenanceAt(windows: readonly MaintenanceWindow[], t: number): ActiveMaintenance | null {
  const here = span(windows, t);
  if (!here) return null;
  const found: ActiveMaintenance = { ...here };
  for (let hops = 0; hops < 16; hops++) {
    const later = span(windows, found.end);
    if (!later || later.end <= found.end) break;
    found.end = later.end;
  }
  for (let hops = 0; hops < 16; hops++) {
    const earlier = span(windows, found.start - 1);
    if (!earlier || earlier.start >= found.start) break;
    found.start = earlier.start;
  }
  return found;
}

/** The union of the occurrences that contain `t`; the reason is the one of the window ending last. */
function span(windows: readonly MaintenanceWindow[], t: number): ActiveMaintenance | null {
  let found: ActiveMaintenance | null = null;
  for (const w of windows) {
    const o = occurrenceAt(w, t);
    if (!o) continue;
    if (!found) found = { start: o.start, end: o.end, reason: w.reason ?? null };
    else {
      found.start = Math.min(found.start, o.start);
      if (o.end > found.end) found = { start: found.start, end: o.end, reason: w.reason ?? null };
    }
  }
  return found;
}
