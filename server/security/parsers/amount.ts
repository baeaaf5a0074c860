import { maskCardNumbers } from "../masking";
import { quoted } from "./common";

// A payment's amount as exports write it: signed (refunds, chargebacks), grouped (`1,234.56`,
// `1.234,56`, `1 234,56`), with a currency symbol or code (`$12.50`, `12.50 USD`, `EUR 12,50`), as
// an accounting negative (`(12.50)`), or in minor units where the field's name says so.

export type Amount = { ok: true; value: number; currency: string | null } | { ok: false; reason: string };

/** How to read the text: `decimalComma` where the file's separator says the decimal mark is a comma. */
export interface AmountOptions {
  decimalComma?: boolean;
  /** the amount counts minor units (cents) of the currency; the field's name, as shown in reasons */
  minorField?: string;
  /** the record's currency, for the minor unit's size */
  currency?: string | null;
}

/** ISO 4217 currencies whose minor unit is not a hundredth (Stripe's zero-decimal list agrees, MGA aside). */
const EXPONENT: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3, CLF: 4, UYW: 4,
};

/** Digits in a currency's minor unit (2 when not known or not given). */
export const minorExponent = (currency: string | null | undefined): number => (currency ? EXPONENT[currency.toUpperCase()] ?? 2 : 2);

/** Symbols that name one currency; `$`, `¥`, `kr` name several and leave it to the currency field. */
const SYMBOLS: Readonly<Record<string, string | null>> = {
  $: null, "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL", "MX$": "MXN",
  "€": "EUR", "£": "GBP", "¥": null, "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "₫": "VND", "₱": "PHP", "₴": "UAH", "zł": "PLN",
};
const SYMBOL = /^(US\$|CA\$|AU\$|NZ\$|HK\$|MX\$|[CARS]\$|\$|€|£|¥|₹|₩|₽|₺|₪|₫|₱|₴|zł)/;
const SYMBOL_END = /(US\$|\$|€|£|¥|₹|₩|₽|₺|₪|₫|₱|₴|zł)$/;
const GROUP = "[ \u00a0\u202f']";

/** An amount from a JSON number or a string as a payment export writes it; the reason names what is wrong. */
export function parseAmount(v: unknown, opts: AmountOptions = {}): Amount {
  const field = opts.minorField ?? "amount";
  if (v === undefined || v === null || v === "") return { ok: false, reason: `${field}: missing` };
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return { ok: false, reason: `${field}: not a finite number` };
    if (opts.minorField === undefined) return { ok: true, value: v, currency: null };
    if (!Number.isSafeInteger(v)) return { ok: false, reason: `${field}: not a whole number of minor units: ${v}` };
    return { ok: true, value: fromMinor(v, opts.currency), currency: null };
  }
  if (typeof v !== "string") return { ok: false, reason: `${field}: not a number or decimal string: ${quoted(String(JSON.stringify(v)))}` };
  // (a reason is shown to whoever reads the answer or the listener's senders: a card number typed here is masked)
  const bad = (why = "not a number or decimal string") => ({ ok: false as const, reason: maskCardNumbers(`${field}: ${why}: ${quoted(v)}`) });
  let s = v.trim();
  let negative = false;
  // accounting negatives: (12.50); a trailing minus as SAP writes it: 12.50-
  const paren = /^\((.+)\)$/.exec(s);
  if (paren) [s, negative] = [paren[1].trim(), true];
  else if (/\d-$/.test(s)) [s, negative] = [s.slice(0, -1).trim(), true];
  const sign = () => {
    const m = /^([-+\u2212])\s*/.exec(s);
    if (!m) return;
    if (m[1] !== "+") negative = !negative;
    s = s.slice(m[0].length);
  };
  sign();
  let currency: string | null = null;
  // a code or a symbol before or after the number: EUR 12,50, 12.50 USD, $12.50, 12,50 €
  // (upper case, as ISO 4217 writes codes: "txn123" is no amount of 123 TXN)
  const code = /^([A-Z]{3})\s*(?=[-+\u2212\d(]|\p{Sc})/u.exec(s) ?? null;
  const codeEnd = /(?<=[\d\s])\s*([A-Z]{3})$/.exec(s) ?? null;
  if (code) [currency, s] = [code[1].toUpperCase(), s.slice(code[0].length)];
  else if (codeEnd) [currency, s] = [codeEnd[1].toUpperCase(), s.slice(0, codeEnd.index).trim()];
  sign();
  const sym = SYMBOL.exec(s) ?? null;
  const symEnd = sym ? null : SYMBOL_END.exec(s);
  const symbol = sym?.[1] ?? symEnd?.[1];
  if (sym) s = s.slice(sym[0].length).trim();
  else if (symEnd) s = s.slice(0, symEnd.index).trim();
  if (symbol !== undefined) {
    const named = SYMBOLS[symbol] ?? null;
    if (currency !== null && named !== null && named !== currency) return bad(`the symbol ${symbol} and the code ${currency} disagree`);
    currency ??= named;
  }
  sign();
  if (opts.minorField !== undefined) {
    if (!/^\d{1,17}$/.test(s)) return bad("not a whole number of minor units");
    const n = Number(s);
    return { ok: true, value: fromMinor(negative ? -n : n, opts.currency ?? currency), currency };
  }
  const n = number(s, opts.decimalComma === true);
  if (n === "ambiguous") {
    return bad(`a thousands separator or a decimal mark? write it ungrouped (${s.replace(/[,.]/g, "")} or ${s.replace(",", ".")}), or send the file separated by ";" where the decimal mark is a comma`);
  }
  if (n === null) return bad();
  return { ok: true, value: negative ? -n : n, currency };
}

/** Minor units to the amount, rounded to the currency's digits (no binary fraction noise). */
function fromMinor(n: number, currency: string | null | undefined): number {
  const e = minorExponent(currency);
  return Number((n / 10 ** e).toFixed(e));
}

/**
 * The number in `s`, unsigned: plain (`1234.56`), grouped by commas, dots, blanks or apostrophes
 * in threes with the other mark as the decimal one. A single group of three after one comma or dot
 * (`1,234`, `1.234`) reads both ways: it is "ambiguous" unless the file says the decimal mark is a
 * comma (then `1,234` is 1.234 and `1.234` stays ambiguous) or the mark is a dot (`1.234` is 1.234
 * where the decimal mark is a dot). A group cannot start with 0: `0,125` and `0.125` are decimals.
 */
function number(s: string, decimalComma: boolean): number | "ambiguous" | null {
  if (/^\d{1,15}$/.test(s)) return Number(s);
  if (/^\d{0,15}\.\d{1,6}$/.test(s)) {
    // 1.234 where the decimal mark is a comma is a thousands group
    if (decimalComma && /^[1-9]\d{0,2}\.\d{3}$/.test(s)) return "ambiguous";
    return Number(s.startsWith(".") ? `0${s}` : s);
  }
  if (/^\d{0,15},\d{1,6}$/.test(s)) {
    if (!decimalComma && /^[1-9]\d{0,2},\d{3}$/.test(s)) return "ambiguous";
    return Number(s.replace(",", "."));
  }
  let m = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,6}))?$/.exec(s);
  if (m && (m[2] !== undefined || m[1].split(",").length > 2)) return Number(`${m[1].replace(/,/g, "")}${m[2] !== undefined ? `.${m[2]}` : ""}`);
  m = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,6}))?$/.exec(s);
  if (m && (m[2] !== undefined || m[1].split(".").length > 2)) return Number(`${m[1].replace(/\./g, "")}${m[2] !== undefined ? `.${m[2]}` : ""}`);
  m = new RegExp(`^(\\d{1,3}(?:${GROUP}\\d{3})+)(?:([.,])(\\d{1,6}))?$`).exec(s);
  if (m) return Number(`${m[1].replace(/\D/g, "")}${m[3] !== undefined ? `.${m[3]}` : ""}`);
  return null;
}
