import type { Severity } from "@/lib/contracts/common";

/** Colours by severity, shared by badges and the rate chart. */
export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: "#ef4444",
  high: "#f97316",
  medium: "#eab308",
  low: "#38bdf8",
  info: "#64748b",
};

const BADGE: Record<string, string> = {
  critical: "bg-red-500/20 text-red-300 ring-red-500/40",
  high: "bg-orange-500/20 text-orange-300 ring-orange-500/40",
  medium: "bg-yellow-500/15 text-yellow-200 ring-yellow-500/40",
  low: "bg-sky-500/15 text-sky-300 ring-sky-500/40",
  info: "bg-slate-500/20 text-slate-300 ring-slate-500/40",
};

export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <span className={`inline-flex w-16 shrink-0 justify-center rounded px-1.5 py-0.5 text-[11px] font-semibold uppercase tracking-wide ring-1 ring-inset ${BADGE[severity] ?? BADGE.info}`}>
      {severity}
    </span>
  );
}
