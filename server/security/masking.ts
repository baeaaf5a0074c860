// Card numbers (PANs) never leave a parser in clear: every string field and every raw payload goes
// through maskCardNumbers before it is stored or sent to a browser; base64 payloads (EVE) through
// maskCardNumbersInBase64.

/** A run of digits, each optionally preceded by one space or dash, at least 13 digits long. */
const CANDIDATE = /\d(?:[ -]?\d){12,}/g;
const MIN_DIGITS = 13;
const MAX_DIGITS = 19;

/** The Luhn (mod 10) check that every card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const isLetter = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i) | 0x20; // NaN (outside the text) | 0x20 is 0x20, not a letter
  return c >= 0x61 && c <= 0x7a;
};

/** `************1111`: one star per hidden digit, the last four kept; separators dropped. */
export const maskedPan = (digits: string): string => "*".repeat(digits.length - 4) + digits.slice(-4);

/**
 * Masks one maximal run of digit groups (`4111 1111 1111 1111 2026`): the longest span of whole
 * groups, leftmost first, that holds 13–19 digits and passes Luhn is masked; a group longer than 19
 * digits is never part of a card (a card is bounded by non-digits).
 */
function maskRun(run: string): string {
  const groups = run.split(/[ -]/);
  const seps = run.match(/[ -]/g) ?? [];
  let out = "";
  let i = 0;
  while (i < groups.length) {
    let masked = false;
    // the furthest group j such that groups i..j hold at most 19 digits
    let digits = 0;
    let j = i;
    while (j < groups.length && digits + groups[j].length <= MAX_DIGITS) digits += groups[j++].length;
    for (let end = j - 1; end >= i; end--) {
      const pan = groups.slice(i, end + 1).join("");
      if (pan.length < MIN_DIGITS) break;
      if (luhnValid(pan)) {
        out += maskedPan(pan);
        if (end + 1 < groups.length) out += seps[end];
        i = end + 1;
        masked = true;
        break;
      }
    }
    if (!masked) {
      out += groups[i];
      if (i + 1 < groups.length) out += seps[i];
      i++;
    }
  }
  return out;
}

/**
 * Replaces every card number in `text` — 13 to 19 digits, optionally in groups separated by single
 * spaces or dashes, bounded by non-digits, passing the Luhn check — with stars and its last four
 * digits (`4111 1111 1111 1111` → `************1111`). Other numbers are left alone: a 12-digit
 * number, a 16-digit number failing Luhn, 20 digits in a row, and digits with a letter right
 * before and right after them (inside a hex id or base64 text, where a card number in clear
 * cannot be). Returns `text` itself when nothing was masked.
 */
export function maskCardNumbers(text: string): string {
  if (text.length < MIN_DIGITS) return text;
  CANDIDATE.lastIndex = 0;
  if (!CANDIDATE.test(text)) return text;
  CANDIDATE.lastIndex = 0;
  const masked = text.replace(CANDIDATE, (run: string, at: number) => (isLetter(text, at - 1) && isLetter(text, at + run.length) ? run : maskRun(run)));
  return masked === text ? text : masked;
}

/** Whether `maskCardNumbers` would change `text`, without building the masked copy. */
export function hasCardNumber(text: string): boolean {
  if (text.length < MIN_DIGITS) return false;
  const re = new RegExp(CANDIDATE.source, "g");
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const run = m[0];
    if (isLetter(text, m.index - 1) && isLetter(text, m.index + run.length)) continue;
    if (maskRun(run) !== run) return true;
  }
  return false;
}

/** 13 digits take at least 20 base64 characters: shorter text cannot hold a card number. */
const MIN_BASE64 = 20;

/**
 * Card numbers inside base64 text (an EVE `payload`, `packet` or HTTP body), which
 * `maskCardNumbers` cannot see: the text is decoded byte for byte (latin1, so binary bytes come
 * back unchanged), masked as text and encoded again. Returns `b64` itself when it is not base64
 * or holds no card number, so the cost of a clean payload is one decode and one regex scan.
 */
export function maskCardNumbersInBase64(b64: string): string {
  if (b64.length < MIN_BASE64 || b64.length % 4 !== 0) return b64;
  const bytes = Buffer.from(b64, "base64");
  // Node skips characters that are not base64: text that decodes to fewer bytes than its length
  // promises is not base64 (cheaper than a regex over it first)
  const padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  if (bytes.length !== (b64.length / 4) * 3 - padding) return b64;
  const text = bytes.toString("latin1");
  const masked = maskCardNumbers(text);
  return masked === text ? b64 : Buffer.from(masked, "latin1").toString("base64");
}

/**
 * `maskCardNumbers` over every string inside a JSON value (object keys are kept as they are).
 * Returns the same reference when nothing was masked, so `maskDeep(v) !== v` tells that something
 * was; a changed object or array is a copy, the input is never modified. Throws a RangeError for a
 * value nested deeper than 64 levels (a parser turns that into a rejection).
 */
export function maskDeep<T>(value: T): T {
  return walk(value, 0) as T;
}

/** Deeper than this, `maskDeep` throws rather than leave a string unmasked. */
export const MASK_MAX_DEPTH = 64;

function walk(value: unknown, depth: number): unknown {
  if (typeof value === "string") return maskCardNumbers(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MASK_MAX_DEPTH) throw new RangeError(`nested deeper than ${MASK_MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const next = walk(value[i], depth + 1);
      if (next !== value[i]) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | null = null;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const next = walk(record[key], depth + 1);
    if (next !== record[key]) {
      copy ??= { ...record };
      // defineProperty, not assignment: a JSON key "__proto__" must stay a plain key
      Object.defineProperty(copy, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy ?? value;
}

/**
 * A card field (`card`, `card_number`): a value that is all digits, spaces and dashes with 12 to
 * 19 digits is masked whether or not it passes Luhn (a mistyped card number is still one); any
 * other value (a token) goes through `maskCardNumbers`.
 */
export function maskCardField(value: string): string {
  if (/^[\d -]+$/.test(value)) {
    const digits = value.replace(/[ -]/g, "");
    if (digits.length >= 12 && digits.length <= MAX_DIGITS) return maskedPan(digits);
  }
  return maskCardNumbers(value);
}
