import { canonicalIp } from "../../../lib/net/ip";
import { parseInstant } from "../../../lib/time/instant";
import { maskCardField, maskCardNumbers } from "../masking";
import type { ParseContext, ParseOutcome } from "../types";
import { clipReason, fingerprintOf, finish, guarded, prepareLine, quoted, sha256Hex } from "./common";
import { parseAmount } from "./amount";
import { csvSeparator, parseCsvRecord, splitCsvRecords } from "./csv";
import { columnName, CSV_COLUMNS, relativeTimeHeader } from "./transactions-columns";
import { fromStripe, isStripeObject } from "./transactions-stripe";
import { stampInZone } from "./transactions-zone";

// Payment transactions, as JSON objects or CSV rows, become `transaction` events: user = the
// account (or wallet), attributes {amount, currency, card (masked), device, merchant, outcome …}.

export { CSV_COLUMNS };

type Rec = Record<string, unknown>;
type Field<T> = { ok: true; value: T } | { ok: false; reason: string };

const rejected = (reason: string): ParseOutcome => ({ status: "rejected", reason });
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === "object" && !Array.isArray(v);
/** The outcomes the payment rules count as declines (detections/payment-fields.ts DECLINED_OUTCOMES): low, not info. */
const DECLINED: ReadonlySet<string> = new Set(["declined", "decline", "denied", "refused", "rejected", "failed"]);
const SAFE_ID = /^[A-Za-z0-9_.:@\/+-]{1,128}$/;

/** A JSON transaction object (see README "Ingest formats") to an event or a rejection naming the field. */
export function parseTransactionRecord(obj: unknown, ctx: ParseContext): ParseOutcome {
  return guarded(() => {
    if (!isRecord(obj)) return rejected(`not a JSON object: ${Array.isArray(obj) ? "an array" : obj === null ? "null" : typeof obj}`);
    const line = JSON.stringify(obj);
    const prepared = prepareLine(line);
    if (!prepared.ok) return prepared.outcome;
    const { input, extra, cardKey, options } = jsonFields(obj);
    return build(input, extra, line, (card) => (card === undefined ? line : withCard(obj, cardKey, card)), ctx, options);
  });
}

/** One NDJSON line holding a transaction object. */
export function parseTransactionLine(line: string, ctx: ParseContext): ParseOutcome {
  const prepared = prepareLine(line);
  if (!prepared.ok) return prepared.outcome;
  return guarded(() => {
    let obj: unknown;
    try {
      obj = JSON.parse(prepared.line);
    } catch (err) {
      return rejected(`not JSON: ${clipReason(err instanceof Error ? err.message : String(err))}`);
    }
    if (!isRecord(obj)) return rejected(`not a JSON object: ${Array.isArray(obj) ? "an array" : obj === null ? "null" : typeof obj}`);
    const { input, extra, cardKey, options } = jsonFields(obj);
    return build(input, extra, prepared.line, (card) => (card === undefined ? prepared.line : withCard(obj, cardKey, card)), ctx, options);
  });
}

export type CsvParser = { ok: true; columns: (string | null)[]; parse(record: string, ctx: ParseContext): ParseOutcome } | { ok: false; reason: string };

/**
 * A row parser for CSV with this header row. A record that holds a line break inside quotes must
 * come whole: `parseTransactionCsv` splits text into records correctly.
 */
export function transactionCsvParser(header: string): CsvParser {
  const headerText = header.replace(/^\uFEFF/, "").replace(/\r$/, "");
  const separator = csvSeparator(headerText);
  const h = parseCsvRecord(headerText, separator);
  if (!h.ok) return { ok: false, reason: `header: ${h.reason}` };
  const names = h.fields.map(columnName);
  const relative = relativeTimeHeader(names.map((n) => n.key));
  if (relative) return { ok: false, reason: relative };
  const columns: (string | null)[] = names.map((n) => CSV_COLUMNS[n.key] ?? null);
  // every time column, in header order: a row's time is the first of them that reads as an instant
  // (the Kaggle fraud header has trans_date_trans_time, without an offset, before unix_time)
  const timeAt = columns.flatMap((c, i) => (c === "time" ? [i] : []));
  // otherwise the first column for a field wins (an amount in units before one in minor units)
  columns.forEach((c, i) => {
    if (c && (columns.indexOf(c) !== i || (c === "amount_minor" && columns.includes("amount")))) columns[i] = null;
  });
  if (!columns.includes("time")) return { ok: false, reason: "header: no time column (EVENT_TIMESTAMP, time, timestamp, created …)" };
  if (!columns.includes("amount") && !columns.includes("amount_minor") && !columns.includes("amount_credit")) return { ok: false, reason: "header: no amount column (amount, order_price, amt, gross, or amount_cents in minor units)" };
  const minorAt = columns.indexOf("amount_minor");
  // in a file separated by ";" or a tab the decimal mark is a comma ("12,50"), as Excel writes it there
  const options = { decimalComma: separator !== ",", minorField: minorAt >= 0 ? h.fields[minorAt].trim() : undefined };
  // a stamp without an offset under a header that says UTC ("Created date (UTC)", Stripe's exports) is in UTC
  const inUtc = (i: number, v: string) => (names[i].utc && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}([.,]\d{1,9})?)?$/.test(v.trim()) ? `${v.trim()}Z` : v);
  const parse = (record: string, ctx: ParseContext): ParseOutcome => {
    const prepared = prepareLine(record);
    if (!prepared.ok) return prepared.outcome;
    return guarded(() => {
      const row = parseCsvRecord(prepared.line, separator);
      if (!row.ok) return rejected(`not CSV: ${row.reason}`);
      if (row.fields.length !== columns.length) return rejected(`row has ${row.fields.length} fields; the header has ${columns.length}`);
      const input: Rec = {};
      const attrs: Rec = {};
      columns.forEach((c, i) => {
        const v = row.fields[i];
        if (!c || v === "") return;
        if (c.startsWith("attr:")) attrs[c.slice(5)] = /^\d{1,6}$/.test(v) && c !== "attr:card_bin" ? Number(v) : v;
        else input[c] = c === "time" ? inUtc(i, v) : v;
      });
      if (timeAt.length > 1) input.time = firstInstant(timeAt.map((i) => inUtc(i, row.fields[i])));
      // a credit and a debit column: the amount is their difference (a refund is a debit)
      if (input.amount === undefined && (input.amount_credit !== undefined || input.amount_debit !== undefined)) {
        let value = 0;
        for (const [key, sign] of [["amount_credit", 1], ["amount_debit", -1]] as const) {
          if (input[key] === undefined) continue;
          const a = parseAmount(input[key], { decimalComma: options.decimalComma });
          if (!a.ok) return rejected(`${h.fields[columns.indexOf(key)].trim()}: ${a.reason.replace(/^amount: /, "")}`);
          value += sign * a.value;
        }
        input.amount = Number(value.toFixed(6));
      }
      const cardAt = columns.indexOf("card");
      const rawOf = (card: string | undefined) => (card === undefined || cardAt < 0 ? prepared.line : row.fields.map((f, i) => csvField(i === cardAt ? card : f, separator)).join(separator));
      return build(input, attrs, prepared.line, rawOf, ctx, options);
    });
  };
  return { ok: true, columns, parse };
}

/**
 * Of several time columns' values, the first that reads as an instant (epoch, or a stamp with its
 * offset); when none does, the first non-empty one, so that the rejection names its problem.
 */
function firstInstant(values: readonly string[]): string | undefined {
  const given = values.filter((v) => v !== "");
  return given.find((v) => parseInstant(v).ok) ?? given[0];
}

/** CSV text with a header row: one outcome per data record (or one rejection when the header is unusable). */
export function parseTransactionCsv(text: string, ctx: ParseContext): ParseOutcome[] {
  const records = splitCsvRecords(text);
  if (records.length === 0) return [];
  const parser = transactionCsvParser(records[0]);
  if (!parser.ok) return [rejected(parser.reason)];
  return records.slice(1).map((r) => parser.parse(r, ctx));
}

/** The object as JSON with its top-level card field (`card`, or the alias it came under) replaced (no copy of the object). */
function withCard(obj: Rec, cardKey: string, card: string): string {
  return JSON.stringify(obj, function (this: unknown, key: string, value: unknown) {
    return this === obj && key === cardKey ? card : value;
  });
}

/** The fields a JSON transaction names itself (`time`, `account` …), which win over an alias for the same field. */
const JSON_FIELDS = new Set(["time", "id", "account", "wallet", "card", "ip", "device", "amount", "currency", "merchant", "outcome", "decline_reason"]);

/**
 * A JSON transaction's fields under Vigil's names: its own (`time`, `account` …), else the first of
 * the CSV header names for that field in the object's order (`timestamp`, `transaction_id`,
 * `account_id`, `ip_address`, `status` …, any case), as payment systems' JSON logs name them; the
 * `attr:` columns (label, category …) as attributes. With several time fields, the first that reads
 * as an instant. `cardKey` is the key the card came under, masked in the stored record.
 */
function jsonFields(given: Rec): { input: Rec; extra: Rec; cardKey: string; options: AmountRead } {
  // a Stripe object (charge, balance transaction, refund …, or an event holding one): its fields
  // under these names, its integer `amount` in minor units (transactions-stripe.ts)
  const stripe = isStripeObject(given) ? fromStripe(given) : null;
  const obj = stripe ?? given;
  const input: Rec = {};
  const extra: Rec = {};
  const times: unknown[] = [];
  let cardKey = stripe ? "\u0000" : "card";
  let minorField: string | undefined = stripe ? "amount" : undefined;
  for (const key of Object.keys(obj)) if (JSON_FIELDS.has(key)) input[key] = obj[key];
  for (const [key, value] of Object.entries(obj)) {
    const field = JSON_FIELDS.has(key) ? key : CSV_COLUMNS[columnName(key).key];
    if (!field || value === undefined || value === null || value === "") continue;
    // a `status` that is no word (an HTTP code, a number) is not the payment's outcome
    if (field === "outcome" && key !== "outcome" && !(typeof value === "string" && /^[A-Za-z]/.test(value))) continue;
    if (field === "time") times.push(value);
    if (field.startsWith("attr:")) extra[field.slice(5)] ??= value;
    else if (!(field in input)) {
      input[field] = value;
      if (field === "card" && !stripe) cardKey = key;
      if (field === "amount_minor") minorField = key;
    }
  }
  if (!("time" in input) || times.length > 1) input.time = times.find((t) => parseInstant(t).ok) ?? times[0] ?? input.time;
  // an amount in units wins over one in minor units
  if (input.amount !== undefined && input.amount !== null && input.amount !== "" && !stripe) minorField = undefined;
  else if (!stripe && minorField !== undefined) input.amount = input.amount_minor;
  return { input, extra, cardKey, options: { minorField } };
}

/** How a record's amount is written: see parseAmount. */
type AmountRead = { decimalComma?: boolean; minorField?: string };

const csvField = (v: string, separator: string) => (/["\r\n]/.test(v) || v.includes(separator) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * Validates the fields and makes the event. `line` is what the fingerprint is taken from when
 * there is no id; `rawOf(maskedCard)` gives the raw text with the card field already masked
 * (then any other card number in it is masked too).
 */
function build(input: Rec, extra: Rec, line: string, rawOf: (card: string | undefined) => string, ctx: ParseContext, read: AmountRead = {}): ParseOutcome {
  void ctx; // transaction times carry their own offset
  if (input.time === undefined || input.time === null || input.time === "") return rejected("time: missing");
  let t = parseInstant(input.time);
  // a stamp without an offset in the zone its record names (Adyen's TimeZone column)
  if (!t.ok && typeof input.zone === "string" && input.zone.trim() !== "" && typeof input.time === "string") t = stampInZone(input.time, input.zone);
  if (!t.ok) return rejected(`time: ${t.reason}`);
  const given = text(input, "currency", 3);
  const amount = parseAmount(input.amount ?? input.amount_minor, { ...read, currency: given.ok ? given.value : null });
  if (!amount.ok) return rejected(amount.reason);
  const fields: Record<string, Field<string | null>> = {
    id: text(input, "id", 128),
    account: text(input, "account", 256),
    wallet: text(input, "wallet", 256),
    card: text(input, "card", 64),
    device: text(input, "device", 512),
    merchant: text(input, "merchant", 256),
    currency: text(input, "currency", 3),
    outcome: text(input, "outcome", 32),
    decline_reason: text(input, "decline_reason", 256),
    ip: text(input, "ip", 64),
  };
  const v: Record<string, string | null> = {};
  for (const [k, f] of Object.entries(fields)) {
    if (!f.ok) return rejected(f.reason);
    v[k] = f.value;
  }
  if (v.currency !== null && !/^[A-Za-z]{3}$/.test(v.currency)) return rejected(`currency: not a 3-letter code: ${quoted(v.currency)}`);
  // the amount may name its currency (12.50 USD, €12,50): the field's, where both are given, must agree
  if (amount.currency !== null && v.currency !== null && amount.currency !== v.currency.toUpperCase()) {
    return rejected(`amount: written in ${amount.currency}, but currency is ${v.currency.toUpperCase()}`);
  }
  const currency = v.currency?.toUpperCase() ?? amount.currency;
  const outcome = v.outcome?.trim().toLowerCase() ?? null;
  if (outcome !== null && !/^[a-z][a-z0-9_ -]{0,31}$/.test(outcome)) return rejected(`outcome: not a word: ${quoted(outcome)}`);
  let ip: string | null = null;
  if (v.ip !== null) {
    ip = canonicalIp(v.ip);
    if (!ip) return rejected(`ip: not an IP address: ${quoted(v.ip)}`);
  }
  const card = v.card === null ? undefined : maskCardField(v.card);
  const account = v.account ?? v.wallet;
  const raw = maskCardNumbers(rawOf(card));
  const money = `${amount.value}${currency ? ` ${currency}` : ""}`;
  return finish(
    "transactions",
    {
      time: t.ms,
      kind: "transaction",
      // the outcomes the payment rules count as a decline (detections/payment-fields.ts)
      severity: outcome !== null && DECLINED.has(outcome) ? "low" : "info",
      service: "payments",
      src_ip: ip,
      src_host: null,
      src_port: null,
      dst_ip: null,
      dst_port: null,
      proto: null,
      user: account,
      signature: `payment: ${outcome ?? "recorded"}`,
      message: `${outcome ?? "payment"} ${money}${v.merchant ? ` at ${v.merchant}` : ""}${v.decline_reason ? ` (${v.decline_reason})` : ""}`,
      attributes: Object.assign(
        {
          id: v.id ?? undefined,
          amount: amount.value,
          currency,
          card: card ?? null,
          device: v.device,
          merchant: v.merchant,
          outcome,
          decline_reason: v.decline_reason ?? undefined,
          wallet: v.account !== null && v.wallet !== null ? v.wallet : undefined,
        },
        extra,
      ),
    },
    line,
    raw,
    v.id === null ? fingerprintOf("transactions", line) : idFingerprint(v.id),
  );
}

/** `transactions:id:<id>`; an id with unusual characters or a card number in it is hashed instead. */
function idFingerprint(id: string): string {
  if (SAFE_ID.test(id) && maskCardNumbers(id) === id) return `transactions:id:${id}`;
  return `transactions:idh:${sha256Hex(id).slice(0, 32)}`;
}

function text(input: Rec, key: string, max: number): Field<string | null> {
  const v = input[key];
  if (v === undefined || v === null || v === "") return { ok: true, value: null };
  if (typeof v === "number" && Number.isFinite(v)) return { ok: true, value: String(v) };
  if (typeof v !== "string") return { ok: false, reason: `${key}: expected text, got ${Array.isArray(v) ? "an array" : typeof v}` };
  if (v.length > max) return { ok: false, reason: `${key}: longer than ${max} characters` };
  return { ok: true, value: v };
}
