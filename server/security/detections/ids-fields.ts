import type { StoredEvent } from "../types";

// How the IDS, scan and payment rules read an event. Attributes come from parsers and from JSON
// posted by API clients, so every read checks the type.

type Fields = Pick<StoredEvent, "src_ip" | "src_host" | "attributes">;

/** The source of an event: its address, else the host name the log gave. */
export function sourceOf(e: Pick<StoredEvent, "src_ip" | "src_host">): string | null {
  return e.src_ip ?? e.src_host ?? null;
}

/** A whole-number attribute (a number, or a string of digits), else null. */
export function intAttr(e: Fields, name: string): number | null {
  const v = e.attributes?.[name];
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d{1,15}$/.test(v)) return Number(v);
  return null;
}

/** A finite number attribute (a number or a decimal string), else null. */
export function numAttr(e: Fields, name: string): number | null {
  const v = e.attributes?.[name];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d{1,15}(\.\d{1,8})?$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** A non-empty text attribute (at most 200 characters kept), else null. */
export function textAttr(e: Fields, name: string): string | null {
  const v = e.attributes?.[name];
  if (typeof v === "string" && v.trim() !== "") return v.trim().slice(0, 200);
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

/** IDS priority 1 (worst) to 4, from `attributes.priority`; null when absent or out of range. */
export function priorityOf(e: Fields): number | null {
  const p = intAttr(e, "priority");
  return p !== null && p >= 1 && p <= 4 ? p : null;
}

/**
 * What identifies a signature: its sid (with the gid when that is not 1, as Snort's decoder and
 * preprocessor generators reuse sids), else its text (first 200 characters).
 */
export function signatureKey(e: Fields & Pick<StoredEvent, "signature">): string {
  const sid = intAttr(e, "sid");
  if (sid !== null) {
    const gid = intAttr(e, "gid");
    return gid !== null && gid !== 1 ? `${gid}:${sid}` : String(sid);
  }
  return (e.signature ?? "unknown signature").slice(0, 200);
}

/** Priority to severity for grouped IDS incidents: 1 critical, 2 high, anything else medium. */
export function severityOfPriority(worst: number): "critical" | "high" | "medium" {
  return worst <= 1 ? "critical" : worst === 2 ? "high" : "medium";
}
