// Zod-free: the browser reads these (see values/common.ts).

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The chart ranges the node page offers. */
export const LATENCY_RANGES = { "1h": HOUR, "24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY } as const;
export type LatencyRange = keyof typeof LATENCY_RANGES;
