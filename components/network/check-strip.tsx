import type { Check } from "@/lib/contracts/network";
import { RECENT_CHECKS } from "@/lib/contracts/values/network";
import { latency } from "@/components/ui/format";

/** The node's recent checks as a strip of bars, oldest left: green passed, red failed. */
export function CheckStrip({ checks, degradedMs }: { checks: Check[]; degradedMs?: number | null }) {
  const empty = Math.max(0, RECENT_CHECKS - checks.length);
  return (
    <div className="flex h-3 gap-px" aria-label={`${checks.filter((c) => !c.ok).length} of the last ${checks.length} checks failed`}>
      {Array.from({ length: empty }, (_, i) => (
        <span key={`e${i}`} className="flex-1 rounded-[1px] bg-slate-800" />
      ))}
      {checks.map((c, i) => (
        <span
          key={i}
          title={`${new Date(c.time).toISOString().slice(11, 19)} UTC ${c.ok ? latency(c.latency_ms) : "failed"}`}
          className={`flex-1 rounded-[1px] ${!c.ok ? "bg-red-500" : degradedMs && (c.latency_ms ?? 0) > degradedMs ? "bg-amber-400" : "bg-emerald-500/80"}`}
        />
      ))}
    </div>
  );
}
