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

/** Reads a request body as text, refusing (413) once it passes `limit` bytes. */
export async function readBodyText(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return "";
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
  return Buffer.concat(chunks).toString("utf8");
}

export interface ParsedItems {
  items: unknown[];
  /** NDJSON lines that were not JSON, by index; they count as rejected items */
  malformed: { index: number; error: string }[];
}

/**
 * A batch body: a JSON array, a single JSON object, or NDJSON (one JSON value per line; blank
 * lines ignored). A malformed NDJSON line is reported by index; a body with nothing usable is 400.
 */
export function parseBatchBody(text: string): ParsedItems {
  const trimmed = text.trim();
  if (!trimmed) throw new BodyError(400, "empty_body", "body is empty: send a JSON array or NDJSON");
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value)) return { items: value, malformed: [] };
    if (value !== null && typeof value === "object") return { items: [value], malformed: [] };
    throw new BodyError(400, "invalid_body", "body must be a JSON array, an object, or NDJSON");
  } catch (error) {
    if (error instanceof BodyError) throw error;
  }
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length < 2) throw new BodyError(400, "invalid_json", "body is not valid JSON or NDJSON");
  const items: unknown[] = [];
  const malformed: ParsedItems["malformed"] = [];
  lines.forEach((line, index) => {
    try {
      items.push(JSON.parse(line));
    } catch {
      items.push(undefined);
      malformed.push({ index, error: `line ${index + 1} is not valid JSON` });
    }
  });
  if (malformed.length === lines.length) throw new BodyError(400, "invalid_json", "no line of the NDJSON body is valid JSON");
  return { items, malformed };
}
