// The node page's check and maintenance editors, as data: which fields each check type has, a
// check as written ↔ the strings a form holds, and the server's 400 message ↔ the field it names.
// The server validates; nothing here decides whether a value is allowed, it only shapes it.
import type { CheckDefinition, MaintenanceInput } from "@/lib/contracts/network";

export const CHECK_TYPES = ["http", "tcp", "dns", "tls", "icmp", "push"] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

export interface FieldDef {
  key: string;
  label: string;
  /** text is sent as written; number as a number when it reads as one; list splits on commas; flag is a checkbox */
  kind: "text" | "number" | "list" | "select" | "flag";
  options?: readonly string[];
  placeholder?: string;
}

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const DNS_RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS"] as const;

/** Each type's own fields, in the order the form shows them. */
export const TYPE_FIELDS: Record<CheckType, readonly FieldDef[]> = {
  http: [
    { key: "url", label: "URL", kind: "text", placeholder: "https://api.example/health" },
    { key: "method", label: "Method", kind: "select", options: HTTP_METHODS },
    { key: "expected_status", label: "Expected status", kind: "list", placeholder: "2xx (e.g. 200, 301-302)" },
    { key: "keyword", label: "Keyword (must appear)", kind: "text", placeholder: "none" },
    { key: "keyword_absent", label: "Keyword (must not appear)", kind: "text", placeholder: "none" },
    { key: "json_query", label: "JSON query", kind: "text", placeholder: '$.status == "ok"' },
    { key: "max_redirects", label: "Max redirects (0 refuses)", kind: "number", placeholder: "10" },
    { key: "cert_min_days", label: "Certificate days left, at least", kind: "number", placeholder: "none" },
  ],
  tcp: [
    { key: "host", label: "Host", kind: "text", placeholder: "10.0.0.1" },
    { key: "port", label: "Port", kind: "number", placeholder: "179" },
  ],
  dns: [
    { key: "name", label: "Name", kind: "text", placeholder: "api.example" },
    { key: "record_type", label: "Record type", kind: "select", options: DNS_RECORD_TYPES },
    { key: "server", label: "Resolver (IP[:port])", kind: "text", placeholder: "system resolver" },
    { key: "expected", label: "Expected answers (comma separated)", kind: "list", placeholder: "any answer" },
  ],
  tls: [
    { key: "host", label: "Host", kind: "text", placeholder: "api.example" },
    { key: "port", label: "Port", kind: "number", placeholder: "443" },
    { key: "servername", label: "Server name (SNI)", kind: "text", placeholder: "the host" },
    { key: "cert_min_days", label: "Certificate days left, at least", kind: "number", placeholder: "none" },
  ],
  icmp: [
    { key: "host", label: "Host", kind: "text", placeholder: "10.0.0.1" },
    { key: "count", label: "Echoes", kind: "number", placeholder: "1" },
  ],
  push: [{ key: "grace", label: "Grace after the interval", kind: "text", placeholder: "10s" }],
};

/** Fields every check has. */
export const COMMON_FIELDS: readonly FieldDef[] = [
  { key: "interval", label: "Interval", kind: "text", placeholder: "1m" },
  { key: "timeout", label: "Timeout", kind: "text", placeholder: "10s" },
  { key: "failures_before_down", label: "Failures before down", kind: "number", placeholder: "3" },
  { key: "successes_before_up", label: "Successes before up", kind: "number", placeholder: "2" },
  { key: "latency_threshold_ms", label: "Latency threshold (ms)", kind: "number", placeholder: "the node's" },
  { key: "flap_high_percent", label: "Flapping from (% state change)", kind: "number", placeholder: "50" },
  { key: "flap_low_percent", label: "Settled at (% state change)", kind: "number", placeholder: "25" },
];

/** What a check form holds: strings as typed, the settings it does not show kept aside. */
export interface CheckDraft {
  type: CheckType;
  /** the check's id; blank for a new check lets the server name it */
  id: string;
  enabled: boolean;
  values: Record<string, string>;
  /** settings of the check the form has no field for (headers, body, ca…): sent back untouched */
  extra: Record<string, unknown>;
}

const fieldsOf = (type: CheckType) => [...TYPE_FIELDS[type], ...COMMON_FIELDS];

const asText = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(", ") : v === undefined || v === null ? "" : String(v));

/** A blank form for a type, or the form of a check as written. */
export function draftOf(check: CheckDefinition | null, type: CheckType = "http"): CheckDraft {
  if (!check) return { type, id: "", enabled: true, values: {}, extra: {} };
  const t = (CHECK_TYPES as readonly string[]).includes(check.type) ? (check.type as CheckType) : "http";
  const shown = new Set(fieldsOf(t).map((f) => f.key));
  const values: Record<string, string> = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(check)) {
    if (k === "id" || k === "type" || k === "enabled") continue;
    if (shown.has(k)) values[k] = asText(v);
    else extra[k] = v;
  }
  return { type: t, id: check.id, enabled: check.enabled !== false, values, extra };
}

/** A number when the text reads as one, else the text (the server says what is wrong with it). */
const numberOr = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/**
 * The check to send: blank fields left out (the defaults apply), numbers as numbers, lists split
 * on commas (an expected status such as 200 as a number, 2xx as text). Settings the form does not
 * show are kept; a type change drops the old type's.
 */
export function checkOf(d: CheckDraft, sameType = true): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(sameType ? d.extra : {}), type: d.type };
  if (d.id.trim()) out.id = d.id.trim();
  for (const f of fieldsOf(d.type)) {
    const raw = (d.values[f.key] ?? "").trim();
    if (raw === "") continue;
    if (f.kind === "number") out[f.key] = numberOr(raw);
    else if (f.kind === "list") {
      const parts = raw.split(",").map((p) => p.trim()).filter(Boolean);
      out[f.key] = f.key === "expected_status" ? parts.map(numberOr) : parts;
    } else out[f.key] = raw;
  }
  if (!d.enabled) out.enabled = false;
  return out;
}

/** The settings of a check as written, for reading: `method POST`, `expected_status 200, 2xx`… (secrets show as the server redacted them). */
export function settingsText(check: CheckDefinition): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const [k, v] of Object.entries(check)) {
    if (k === "id" || k === "type" || k === "enabled") continue;
    if (k === "headers" && v && typeof v === "object") out.push({ key: k, value: Object.keys(v).join(", ") + " (values hidden)" });
    else if (k === "body" || k === "ca") out.push({ key: k, value: "(hidden)" });
    else out.push({ key: k, value: typeof v === "object" && v !== null && !Array.isArray(v) ? JSON.stringify(v) : asText(v) });
  }
  return out;
}

/**
 * The server's 400 message split by field: `checks.2.url: expected …; checks.2.port: …` →
 * {url: "expected …", port: "…"} for list `checks` index 2; what names no field of that entry
 * stays in `rest`.
 */
export function fieldProblems(message: string, list: "checks" | "maintenance", index: number): { fields: Record<string, string>; rest: string[] } {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of message.split(/; (?=[a-z_]+(?:\.[\w-]+)*: )/)) {
    const m = /^([a-z_]+)\.(\d+)(?:\.([a-z_]+))?(?:\.[\w-]+)*: ([\s\S]*)$/.exec(part);
    if (m && m[1] === list && Number(m[2]) === index) {
      // `checks.0: id: another check…` names its field inside the message
      const key = m[3] ?? /^([a-z_]+): /.exec(m[4])?.[1] ?? "";
      fields[key] = fields[key] ? `${fields[key]}; ${m[4]}` : m[4];
    } else rest.push(part);
  }
  return { fields, rest };
}

// --- each check's interval, in the settings form ---

/** The interval a check gets when none is written. */
export const DEFAULT_INTERVAL = "1m";

/** Each check's interval as written (blank: the default), by check id, in the node's order. */
export function intervalsOf(checks: readonly CheckDefinition[]): { id: string; type: string; interval: string }[] {
  return checks.map((c) => ({ id: c.id, type: c.type, interval: asText(c.interval) }));
}

/**
 * What PATCH's `intervals` gets from the settings form: only the checks whose interval was changed
 * (a cleared one goes back to the default), or null when none was.
 */
export function changedIntervals(read: readonly { id: string; interval: string }[], typed: Readonly<Record<string, string>>): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const c of read) {
    const now = (typed[c.id] ?? c.interval).trim();
    if (now === c.interval.trim()) continue;
    out[c.id] = now === "" ? DEFAULT_INTERVAL : now;
  }
  return Object.keys(out).length ? out : null;
}

/** The server's 400 split by check: `intervals.<id>: message` → {id: message}; the rest as they came. */
export function intervalProblems(message: string): { byCheck: Record<string, string>; rest: string[] } {
  const byCheck: Record<string, string> = {};
  const rest: string[] = [];
  for (const part of message.split(/; (?=[a-z_]+(?:\.[\w.:-]+)*: )/)) {
    const m = /^intervals\.([A-Za-z0-9][A-Za-z0-9._:-]*): ([\s\S]*)$/.exec(part);
    if (m) byCheck[m[1].toLowerCase()] = m[2];
    else rest.push(part);
  }
  return { byCheck, rest };
}

// --- maintenance windows ---

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export interface WindowDraft {
  kind: "once" | "recurring";
  /** datetime-local values (the browser's time zone) for a one-off window */
  start: string;
  end: string;
  days: string[];
  /** HH:MM local to tz */
  time: string;
  duration: string;
  tz: string;
  reason: string;
}

export const blankWindow = (tz: string): WindowDraft => ({ kind: "once", start: "", end: "", days: [], time: "02:00", duration: "2h", tz, reason: "" });

/** A datetime-local value (local time of this browser) as an ISO instant, or the text as typed when it is not one. */
export function localToIso(value: string): string {
  const t = new Date(value).getTime();
  return value && Number.isFinite(t) ? new Date(t).toISOString() : value;
}

/** The window to send: once {start, end} as instants, or recurring {days?, start, duration, tz}; a reason when given. */
export function windowOf(d: WindowDraft): MaintenanceInput {
  const reason = d.reason.trim() ? { reason: d.reason.trim() } : {};
  if (d.kind === "once") return { start: localToIso(d.start), end: localToIso(d.end), ...reason };
  return { ...(d.days.length ? { days: WEEKDAYS.filter((w) => d.days.includes(w)) } : {}), start: d.time, duration: d.duration.trim(), tz: d.tz.trim(), ...reason };
}
