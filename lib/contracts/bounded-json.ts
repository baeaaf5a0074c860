// No imports: shared by the browser, route handlers and the custom server.

export interface JsonBounds {
  /** nesting levels below the top object (the object itself is level 1) */
  maxDepth: number;
  /** bytes of the value as compact JSON, counted without building the string */
  maxBytes: number;
}

/**
 * Why a parsed JSON value exceeds its bounds, or null. Iterative and stops at the first excess,
 * so a hostile value (a million levels deep) costs no stack and no more work than the bound;
 * recursive code (JSON.stringify, renderers) only ever sees values that passed.
 */
export function jsonBoundsError(value: unknown, bounds: JsonBounds): string | null {
  const stack: [unknown, number][] = [[value, 1]];
  let bytes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") {
      bytes += typeof v === "string" ? v.length + 2 : 6;
    } else {
      if (depth > bounds.maxDepth) return `nested deeper than ${bounds.maxDepth} levels`;
      const entries = Array.isArray(v) ? v.map((x) => ["", x] as const) : Object.entries(v);
      bytes += 2;
      for (const [k, x] of entries) {
        bytes += k.length + 4;
        stack.push([x, depth + 1]);
      }
    }
    if (bytes > bounds.maxBytes) return `larger than ${Math.round(bounds.maxBytes / 1024)} KiB`;
  }
  return null;
}
