import type { NodeStatus } from "@/lib/contracts/network";

export const STATUS_STYLE: Record<NodeStatus, { dot: string; ring: string; label: string; stroke: string; text: string }> = {
  up: { dot: "bg-emerald-400", ring: "border-emerald-500/30", label: "up", stroke: "#34d399", text: "text-emerald-300" },
  degraded: { dot: "bg-amber-400", ring: "border-amber-500/50", label: "degraded", stroke: "#fbbf24", text: "text-amber-300" },
  down: { dot: "bg-red-500 animate-pulse", ring: "border-red-500/70", label: "down", stroke: "#f87171", text: "text-red-300" },
  pending: { dot: "bg-slate-500", ring: "border-slate-700", label: "no data", stroke: "#94a3b8", text: "text-slate-300" },
  unreachable: { dot: "bg-slate-400", ring: "border-slate-500/70", label: "unreachable", stroke: "#94a3b8", text: "text-slate-400" },
  maintenance: { dot: "bg-sky-400", ring: "border-sky-500/40", label: "maintenance", stroke: "#38bdf8", text: "text-sky-300" },
  flapping: { dot: "bg-orange-400", ring: "border-orange-500/60", label: "flapping", stroke: "#fb923c", text: "text-orange-300" },
};
