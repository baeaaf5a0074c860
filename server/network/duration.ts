/** Units a duration may use, in milliseconds. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;
const ORDER: readonly Unit[] = ["d", "h", "m", "s", "ms"];
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
/** Longest duration accepted (about a year): keeps sums and timers far from overflow. */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

export class DurationError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`invalid duration ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}: ${reason}`);
    this.name = "DurationError";
  }
}

/**
 * Milliseconds of a duration written as `500ms`, `30s`, `5m`, `1h`, `1d`, or a sum of them from
 * the largest unit down (`1h30m`, `1m30s`). Fractions are allowed (`1.5s`); the result is rounded
 * to a whole millisecond. A bare number has no unit and is refused rather than guessed.
 * @throws DurationError with the reason
 */
export function parseDuration(input: string): number {
  const text = input.trim();
  if (text === "") throw new DurationError(input, "empty");
  if (/^\d+(\.\d+)?$/.test(text)) throw new DurationError(input, "a unit is needed (ms, s, m, h, d), e.g. 30s");
  let total = 0;
  let lastRank = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const match = PART.exec(text);
    if (!match) throw new DurationError(input, `unexpected ${JSON.stringify(text.slice(at, at + 10))} (write e.g. 500ms, 30s, 5m, 1h)`);
    const unit = match[2] as Unit;
    const rank = ORDER.indexOf(unit);
    if (rank <= lastRank) throw new DurationError(input, "units must go from the largest to the smallest, each once");
    lastRank = rank;
    total += Number(match[1]) * UNIT_MS[unit];
  }
  const ms = Math.round(total);
  if (ms > MAX_DURATION_MS) throw new DurationError(input, "longer than 366 days");
  return ms;
}

/** A duration as the config writes it: a string with units, or a number of milliseconds from code. */
export function durationMs(value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0 || value > MAX_DURATION_MS) throw new DurationError(String(value), "not a number of milliseconds between 0 and 366 days");
    return Math.round(value);
  }
  return parseDuration(value);
}

/** The shortest exact spelling of a duration (`90000` → `1m30s`, `0` → `0ms`), the inverse of parseDuration. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration: ${ms}`);
  let rest = Math.round(ms);
  if (rest === 0) return "0ms";
  let out = "";
  for (const unit of ORDER) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}
