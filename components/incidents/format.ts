import { count } from "@/components/ui/format";
import { compareText } from "@/lib/text-order";

/** A count with thousands separators, the same on the server and in every browser (no locale in render). */
export function formatCount(n: number): string {
  return count(Math.trunc(n));
}

/** Severities from the worst, for breakdowns. */
export const SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"] as const;

/** `{critical: 2, weird: 1}` as [["critical", 2], ["weird", 1]], worst first, unknown ones last. */
export function bySeverity(counts: Record<string, number>): [string, number][] {
  const rank = (s: string) => {
    const i = (SEVERITY_ORDER as readonly string[]).indexOf(s);
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || compareText(a, b));
}
