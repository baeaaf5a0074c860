import { zonedInstant, type TimeResult } from "./time";

// A report that writes its stamps without an offset and names the zone in a column of its own
// (Adyen's "Creation Date" / "Booking Date" with "TimeZone"): the stamp read in that zone.

/** Abbreviations that name one offset (a summer-time name names the summer offset). */
const ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0, GMT: 0, UT: 0, Z: 0, WET: 0, WEST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  JST: 540, KST: 540, HKT: 480, SGT: 480, AWST: 480, ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780, BRT: -180, ART: -180,
};
/** Abbreviations used for more than one offset (CST: US Central or China; IST: India, Ireland or Israel …). */
const AMBIGUOUS = new Set(["CST", "CDT", "IST", "BST", "AST", "ADT", "SST", "GST", "PHT", "AMT"]);

const STAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

/** The instant of `stamp` (a date and time without an offset) in `zone` (an abbreviation, `UTC+1`, `+01:00`, or an IANA name). */
export function stampInZone(stamp: string, zone: string): TimeResult {
  const m = STAMP.exec(stamp.trim());
  const z = zone.trim();
  if (!m) return { ok: false, reason: `${JSON.stringify(stamp.slice(0, 40))} is not a date and time (2026-11-30 10:00:00) to read in the zone ${JSON.stringify(z.slice(0, 40))}` };
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const upper = z.toUpperCase();
  let offsetMin: number | undefined = ABBREVIATIONS[upper];
  const numeric = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(upper);
  if (numeric && Number(numeric[2]) <= 14) offsetMin = (numeric[1] === "-" ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3] ?? 0));
  if (offsetMin !== undefined) {
    const utc = zonedInstant(y, mo, d, h, mi, s, frac, "UTC", stamp);
    return utc.ok ? { ok: true, ms: utc.ms - offsetMin * 60_000 } : utc;
  }
  if (AMBIGUOUS.has(upper)) return { ok: false, reason: `zone ${JSON.stringify(z)} names more than one offset: write the offset (+01:00) or an IANA zone (Europe/London)` };
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{1,63}$/.test(z) || !z.includes("/")) return { ok: false, reason: `zone ${JSON.stringify(z.slice(0, 40))} is not a zone Vigil knows: write the offset (+01:00) or an IANA zone (Europe/Amsterdam)` };
  try {
    return zonedInstant(y, mo, d, h, mi, s, frac, z, stamp);
  } catch {
    return { ok: false, reason: `zone ${JSON.stringify(z.slice(0, 40))} is not an IANA zone` };
  }
}
