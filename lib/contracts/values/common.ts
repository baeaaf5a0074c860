// What the browser reads of the contracts lives in lib/contracts/values/, which imports nothing
// that imports zod: a constant beside a schema put zod (128 KB) in the console's first load. The
// schema modules import these from here and re-export them, so server code is unchanged.

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe; used for sorting. */
export const severityRank: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
