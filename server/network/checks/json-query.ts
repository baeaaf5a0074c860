// A small, safe JSON-path-ish matcher for HTTP checks: `$.status == "ok"`, `$.checks[0].healthy`,
// `$["x-y"].count >= 3`. No filters, wildcards, recursion or evaluation of code: a path of own
// properties and array indexes, one comparison with a JSON literal.

export type JsonLiteral = string | number | boolean | null;
type Segment = string | number;
const OPERATORS = ["==", "!=", "<=", ">=", "<", ">"] as const;
type Operator = (typeof OPERATORS)[number];

export interface JsonQuery {
  readonly text: string;
  /** Whether the document matches; `actual` is what the path found (undefined when missing). */
  evaluate(document: unknown): { ok: boolean; actual: unknown };
}

export class JsonQueryError extends Error {
  constructor(query: string, reason: string) {
    super(`invalid JSON query ${JSON.stringify(query.slice(0, 80))}: ${reason}`);
    this.name = "JsonQueryError";
  }
}

const MAX_QUERY = 256;
const MAX_SEGMENTS = 32;
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const INDEX = /\[(\d{1,9})\]/y;
const QUOTED = /\["((?:[^"\\]|\\.)*)"\]/y;
const COMPARISON = /\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$/y;

/**
 * Compiles a query once (at config time) so that a bad one is reported with its reason there.
 * Without an operator the path must exist and hold something other than null or false.
 * `==`/`!=` compare strictly (1 is not "1"); `<` `<=` `>` `>=` need two numbers or two strings.
 * @throws JsonQueryError
 */
export function compileJsonQuery(text: string): JsonQuery {
  const fail = (reason: string): never => {
    throw new JsonQueryError(text, reason);
  };
  if (text.length > MAX_QUERY) fail(`longer than ${MAX_QUERY} characters`);
  const q = text.trim();
  if (!q.startsWith("$")) fail("must start with $");
  const path: Segment[] = [];
  let i = 1;
  while (i < q.length && (q[i] === "." || q[i] === "[")) {
    if (path.length >= MAX_SEGMENTS) fail(`more than ${MAX_SEGMENTS} path steps`);
    if (q[i] === ".") {
      IDENT.lastIndex = i + 1;
      const m = IDENT.exec(q) ?? fail(`expected a property name after "." at ${i + 1}`);
      path.push(m[0]);
      i = IDENT.lastIndex;
      continue;
    }
    INDEX.lastIndex = i;
    QUOTED.lastIndex = i;
    const index = INDEX.exec(q);
    if (index) {
      path.push(Number(index[1]));
      i = INDEX.lastIndex;
      continue;
    }
    const quoted = QUOTED.exec(q) ?? fail(`expected [number] or ["name"] at ${i}`);
    path.push(JSON.parse(`"${quoted[1]}"`) as string);
    i = QUOTED.lastIndex;
  }
  let op: Operator | null = null;
  let expected: JsonLiteral = null;
  if (i < q.length) {
    COMPARISON.lastIndex = i;
    const m = COMPARISON.exec(q) ?? fail(`expected an operator (${OPERATORS.join(" ")}) at ${i}`);
    op = m[1] as Operator;
    expected = (literal(m[2]) ?? fail(`the right side must be a JSON string, number, true, false or null, not ${m[2].slice(0, 40)}`)).value;
    if ((op !== "==" && op !== "!=") && typeof expected !== "number" && typeof expected !== "string") fail(`${op} needs a number or a string`);
  }
  return {
    text: q,
    evaluate(document) {
      const actual = walk(document, path);
      if (op === null) return { ok: actual !== undefined && actual !== null && actual !== false, actual };
      return { ok: compare(actual, op, expected), actual };
    },
  };
}

function literal(text: string): { value: JsonLiteral } | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? { value: v } : undefined;
  } catch {
    return undefined;
  }
}

function walk(value: unknown, path: readonly Segment[]): unknown {
  let at: unknown = value;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(at) || step >= at.length) return undefined;
      at = at[step];
    } else {
      // own properties only: "__proto__" or "constructor" never reach the prototype chain
      if (at === null || typeof at !== "object" || Array.isArray(at) || !Object.hasOwn(at, step)) return undefined;
      at = (at as Record<string, unknown>)[step];
    }
  }
  return at;
}

function compare(actual: unknown, op: Operator, expected: JsonLiteral): boolean {
  if (op === "==") return actual === expected;
  if (op === "!=") return actual !== expected;
  if (typeof actual !== typeof expected || (typeof actual !== "number" && typeof actual !== "string")) return false;
  const a = actual as number | string;
  const b = expected as number | string;
  return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
}
