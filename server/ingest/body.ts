/** Raised when a request body cannot be used at all; nothing has been stored. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_BODY_LIMIT = 5 * 1024 * 1024;

/** What one ingest request may cost; each limit is documented in the README and answered with a reason. */
export interface BatchLimits {
  /** items (array elements or NDJSON lines) per request; more is 413 before anything is validated */
  maxItems: number;
  /** bytes per NDJSON line; a longer line is rejected by index */
  maxLineBytes: number;
  /** JSON nesting levels of the body (or of one NDJSON line) */
  maxDepth: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxItems: 10_000, maxLineBytes: 64 * 1024, maxDepth: 32 };

/** Media types a batch body may be sent as. */
export const BATCH_CONTENT_TYPES = ["application/json", "application/x-ndjson", "application/ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines"];

/** 415 unless the Content-Type names one of `allowed` (parameters such as charset=utf-8 are fine). */
export function checkContentType(header: string | null, allowed: readonly string[] = BATCH_CONTENT_TYPES): void {
  const type = (header ?? "").split(";")[0].trim().toLowerCase();
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header ?? "")?.[1]?.toLowerCase();
  if (!allowed.includes(type)) {
    throw new BodyError(415, "unsupported_media_type", `${type ? `Content-Type ${JSON.stringify(type.slice(0, 100))} is not accepted` : "Content-Type is missing"}: send ${allowed.slice(0, 2).join(" or ")}${allowed.length > 2 ? ` (also read: ${allowed.slice(2).join(", ")})` : ""}`);
  }
  if (charset && charset !== "utf-8" && charset !== "utf8") throw new BodyError(415, "unsupported_media_type", `charset ${JSON.stringify(charset.slice(0, 40))} is not accepted: send UTF-8`);
}

/** Reads a request body, refusing (413) once it passes `limit` bytes. */
export async function readBodyBytes(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyError(413, "payload_too_large", `body is larger than the limit of ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The text of `bytes`, or null when they are not valid UTF-8 (never silently replaced). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Reads a request body as strict UTF-8 text: over `limit` is 413, invalid UTF-8 is 400. */
export async function readBodyText(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  const text = decodeUtf8(await readBodyBytes(body, limit));
  if (text === null) throw new BodyError(400, "invalid_utf8", "body is not valid UTF-8");
  return text;
}

export interface ParsedItems {
  items: unknown[];
  /** NDJSON lines that could not be used, by index; they count as rejected items */
  malformed: { index: number; error: string }[];
}

/**
 * A batch body: a JSON array, a single JSON object, or NDJSON (one JSON value per line; blank
 * lines ignored). Bytes are decoded as strict UTF-8: an NDJSON line that is not valid UTF-8, not
 * JSON, or longer than the line limit is reported by index while its neighbours go on; a body
 * with nothing usable is 400, one with more items than the limit 413.
 */
export function parseBatchBody(input: string | Uint8Array, limits: BatchLimits = DEFAULT_BATCH_LIMITS): ParsedItems {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const text = decodeUtf8(bytes);
  if (text !== null) {
    const trimmed = text.trim();
    if (!trimmed) throw new BodyError(400, "empty_body", "body is empty: send a JSON array or NDJSON");
    // counted before parsing: a hostile body must not cost a million objects or levels first
    const shape = scanJson(trimmed, limits.maxDepth);
    const multiline = trimmed.includes("\n");
    if (shape.tooDeep && !multiline) throw new BodyError(400, "too_deep", `body is nested deeper than ${limits.maxDepth} levels`);
    if (shape.topItems > limits.maxItems) throw tooMany(shape.topItems, limits);
    let value: unknown;
    let parsed = !shape.tooDeep; // a deep multi-line body is NDJSON or refused line by line
    if (parsed) {
      try {
        value = JSON.parse(trimmed);
      } catch {
        parsed = false;
      }
    }
    if (parsed) {
      if (Array.isArray(value)) {
        if (value.length > limits.maxItems) throw tooMany(value.length, limits);
        return { items: value, malformed: [] };
      }
      if (value !== null && typeof value === "object") return { items: [value], malformed: [] };
      throw new BodyError(400, "invalid_body", "body must be a JSON array, an object, or NDJSON");
    }
    if (!multiline) throw new BodyError(400, "invalid_json", "body is not valid JSON or NDJSON");
  }
  return parseLines(bytes, limits);
}

function tooMany(count: number, limits: BatchLimits): BodyError {
  return new BodyError(413, "too_many_items", `batch has ${count} items; the limit is ${limits.maxItems} per request: split it`);
}

/** NDJSON, line by line on the bytes, so one bad line (even invalid UTF-8) costs only itself. */
function parseLines(bytes: Buffer, limits: BatchLimits): ParsedItems {
  const lines: Buffer[] = [];
  for (let start = 0; start <= bytes.length; ) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const line = bytes.subarray(start, end);
    if (!isBlank(line)) {
      if (lines.length === limits.maxItems) throw tooMany(countLines(bytes), limits);
      lines.push(line);
    }
    start = end + 1;
  }
  if (lines.length === 0) throw new BodyError(400, "empty_body", "body is empty: send a JSON array or NDJSON");
  const items: unknown[] = [];
  const malformed: ParsedItems["malformed"] = [];
  lines.forEach((raw, index) => {
    const bad = (error: string) => {
      items.push(undefined);
      malformed.push({ index, error: `line ${index + 1} ${error}` });
    };
    if (raw.length > limits.maxLineBytes) return bad(`is longer than ${limits.maxLineBytes} bytes`);
    const line = decodeUtf8(raw);
    if (line === null) return bad("is not valid UTF-8");
    if (scanJson(line, limits.maxDepth).tooDeep) return bad(`is nested deeper than ${limits.maxDepth} levels`);
    try {
      items.push(JSON.parse(line));
    } catch {
      bad("is not valid JSON");
    }
  });
  if (malformed.length === lines.length) {
    const utf8 = malformed.every((m) => m.error.endsWith("UTF-8"));
    throw new BodyError(400, utf8 ? "invalid_utf8" : "invalid_json", utf8 ? "body is not valid UTF-8" : "no line of the NDJSON body is valid JSON");
  }
  return { items, malformed };
}

function isBlank(line: Buffer): boolean {
  for (const b of line) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

function countLines(bytes: Buffer): number {
  let n = 0;
  for (let start = 0; start <= bytes.length; ) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (!isBlank(bytes.subarray(start, end))) n++;
    start = end + 1;
  }
  return n;
}

/**
 * One pass over JSON text, outside strings: the deepest nesting (stopping once past `maxDepth`)
 * and, when the text is an array, how many elements it has at the top level.
 */
export function scanJson(text: string, maxDepth: number): { topItems: number; tooDeep: boolean } {
  let depth = 0;
  let commas = 0;
  let nonEmpty = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return { topItems: 0, tooDeep: true };
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 1) commas++;
    if (depth >= 1 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && !(depth === 1 && (c === 0x5b || c === 0x5d))) nonEmpty = true;
  }
  return { topItems: text[0] === "[" ? (nonEmpty ? commas + 1 : 0) : 1, tooDeep: false };
}
