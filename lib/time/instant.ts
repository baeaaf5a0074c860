// No imports: shared by the browser, route handlers and the custom server.

/** Below this a number is read as epoch seconds (as epoch milliseconds it would be before March 1973). */
export const EPOCH_SECONDS_BELOW = 1e11;

export type InstantResult = { ok: true; ms: number } | { ok: false; reason: string };

// 2026-11-21T10:00:00Z, 2026-11-21 10:00:00.123+01:00, 2026-11-21T10:00+0530
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;
const NUMERIC = /^\d{1,16}(\.\d{1,9})?$/;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

function fromNumber(n: number): InstantResult {
  if (!Number.isFinite(n) || n < 0) return { ok: false, reason: "a time must be a non-negative epoch number or an ISO-8601 string" };
  const ms = n < EPOCH_SECONDS_BELOW ? n * 1000 : n;
  if (ms > 8.64e15) return { ok: false, reason: "time is beyond the last representable date" };
  return { ok: true, ms: Math.floor(ms) };
}

/**
 * A real instant from what a sender wrote, or the reason it is not one. Accepts epoch
 * milliseconds, epoch seconds (numbers below 1e11, also with a fraction), the same as a string of
 * digits, and ISO-8601 / RFC 3339 date-times with an explicit offset (`Z`, `+01:00`, `+0100`).
 * Refuses what lenient parsers guess at: a date that does not exist (`2026-02-30`), a time
 * without an offset (whose zone is unknown), a date alone, and free text (`"hello 1"`).
 */
export function parseInstant(value: unknown): InstantResult {
  if (typeof value === "number") return fromNumber(value);
  if (typeof value !== "string") return { ok: false, reason: "a time must be a number or a string" };
  const text = value.trim();
  if (NUMERIC.test(text)) return fromNumber(Number(text));
  const m = ISO.exec(text);
  if (!m) {
    const shown = JSON.stringify(text.slice(0, 40));
    if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?$/.test(text)) return { ok: false, reason: `time ${shown} has no UTC offset: add Z or ±hh:mm` };
    return { ok: false, reason: `time ${shown} is not ISO-8601 (2026-11-21T10:00:00Z) or epoch milliseconds` };
  }
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false, reason: `time ${JSON.stringify(text)}: ${m[1]}-${m[2]}-${m[3]} is not a calendar date` };
  // 60 is a leap second: it is read as the last millisecond of that minute
  if (hour > 23 || minute > 59 || second > 60) return { ok: false, reason: `time ${JSON.stringify(text)}: ${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ""} is not a time of day` };
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return { ok: false, reason: `time ${JSON.stringify(text)}: offset ${zone} is not valid` };
    offsetMin = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), second === 60 ? 999 : Math.floor(fraction));
  return { ok: true, ms: date.getTime() - offsetMin * 60_000 };
}

/**
 * Why an instant falls outside what Vigil stores, or null when it is inside: not older than the
 * retention (it would be pruned at once, leaving incidents without evidence) and not further
 * ahead of the server's clock than the allowed skew (it would sit on top of every list for good).
 */
export function outsideWindow(ms: number, now: number, retentionMs: number, skewMs: number): string | null {
  if (ms > now + skewMs) return `time ${new Date(ms).toISOString()} is ${describe(ms - now)} ahead of the server's clock (allowed skew ${describe(skewMs)})`;
  if (ms < now - retentionMs) return `time ${isoOrRaw(ms)} is older than the retention of ${describe(retentionMs)}`;
  return null;
}

const isoOrRaw = (ms: number) => (ms >= -8.64e15 && ms <= 8.64e15 ? new Date(ms).toISOString() : String(ms));

function describe(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
