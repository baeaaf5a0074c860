"use client";

import { useEffect } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { NetworkSummary } from "@/lib/contracts/network";
import { applyIncidents, applyNetwork, applySecurity, type LiveIncidents } from "@/lib/live/apply";
import { incidentQueries, networkQueries, securityQueries } from "@/lib/queries/live-queries";
import { useLiveStream } from "./use-live-stream";
import { useLive } from "./live-provider";
import { useCountRepair } from "@/components/incidents/use-count-repair";

const unsureOf = (d: LiveIncidents) => d.unsure;

/**
 * The page's document carries the first screenful of tiles (`partial`): once hydrated, the summary
 * is fetched whole, and folded into the live stream as any refetch is (a gap it leaves is replayed).
 * The request starts in a task of its own, after a click held while the page loaded is answered.
 */
function useWholeSummary() {
  const client = useQueryClient();
  useEffect(() => {
    const key = networkQueries.summary().queryKey;
    const t = setTimeout(() => {
      if (client.getQueryData<NetworkSummary>(key)?.partial) void client.invalidateQueries({ queryKey: key, exact: true });
    }, 0);
    return () => clearTimeout(t);
  }, [client]);
}

/** Wires each stream to its snapshot query, and refetches the incident counts when the fold is unsure (console and wall alike). Renders nothing. */
export function LiveSync() {
  useLiveStream("network", networkQueries.snapshot().queryKey, applyNetwork);
  useWholeSummary();
  useLiveStream("security", securityQueries.snapshot().queryKey, applySecurity);
  useLiveStream("incidents", incidentQueries.active().queryKey, applyIncidents);
  // `select`: this re-renders when `unsure` flips, not with every delta
  useCountRepair(useQuery({ ...incidentQueries.active(), select: unsureOf }).data);
  return null;
}

/** "Live" or "Reconnecting…", for the header. */
export function ConnectionBadge() {
  const { state } = useLive();
  const style =
    state === "live" ? "bg-emerald-500/15 text-emerald-300" : state === "connecting" ? "bg-slate-700/50 text-slate-300" : "bg-amber-500/20 text-amber-300";
  return (
    <span role="status" aria-label="connection" className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium ${style}`}>
      <span className={`h-2 w-2 rounded-full ${state === "live" ? "bg-emerald-400" : "bg-amber-400 animate-pulse"}`} />
      {state === "live" ? "Live" : state === "connecting" ? "Connecting…" : state === "signed-out" ? <a href="/sign-in" className="underline">Signed out: sign in again</a> : "Reconnecting…"}
    </span>
  );
}
