"use client";

import { useQuery } from "@tanstack/react-query";
import { networkQueries } from "@/lib/queries/live-queries";
import { nodeCounts, sites, troubledNodes, NODE_STATES, type NetworkLike, type NodeState } from "./wall-data";

const STATE_STYLE: Record<NodeState, { label: string; text: string; ring: string }> = {
  down: { label: "Down", text: "text-red-400", ring: "ring-red-500/60" },
  unreachable: { label: "Unreachable", text: "text-slate-300", ring: "ring-slate-400/50" },
  degraded: { label: "Degraded", text: "text-amber-300", ring: "ring-amber-400/50" },
  pending: { label: "No data", text: "text-slate-300", ring: "ring-slate-500/40" },
  up: { label: "Up", text: "text-emerald-400", ring: "ring-emerald-500/40" },
};
/** Rows of the troubled-nodes list: what fits a wall screen; the rest is a true count. */
const TROUBLED_ROWS = 10;
/** Sites shown; the rest are counted. */
const SITES = 8;
const TROUBLED_TEXT: Record<string, string> = { down: "text-red-400", flapping: "text-orange-300", degraded: "text-amber-300" };

function useNetwork(): NetworkLike | undefined {
  return useQuery(networkQueries.snapshot()).data as NetworkLike | undefined;
}

/** Nodes by status as five big numbers, worst first. */
export function WallNodeCounts() {
  const counts = nodeCounts(useNetwork());
  return (
    <section aria-label="nodes by status" className="grid grid-cols-2 gap-4 sm:grid-cols-3 xl:grid-cols-5">
      {NODE_STATES.map((s) => {
        const style = STATE_STYLE[s];
        const alarm = (s === "down" || s === "unreachable" || s === "degraded") && counts[s] > 0;
        return (
          <div key={s} className={`rounded-2xl bg-slate-900 px-6 py-4 ring-2 ring-inset ${alarm ? style.ring : "ring-slate-800"}`}>
            <div className="truncate text-base uppercase tracking-wide text-slate-400 sm:text-2xl sm:tracking-wider">{style.label}</div>
            <div data-testid={`wall-nodes-${s}`} className={`text-5xl font-bold tabular-nums sm:text-7xl ${counts[s] > 0 ? style.text : "text-slate-600"}`}>
              {counts[s]}
            </div>
          </div>
        );
      })}
    </section>
  );
}

/** The down, flapping and degraded nodes, worst first (a down node with how many it made unreachable); "+N more" past what fits. */
export function WallTroubledNodes() {
  const { shown, more } = troubledNodes(useNetwork(), TROUBLED_ROWS);
  return (
    <section aria-label="down and degraded nodes" className="flex min-h-0 flex-col rounded-2xl bg-slate-900 p-6">
      <h2 className="mb-3 text-2xl font-semibold text-slate-200 sm:text-3xl">Down and degraded</h2>
      {shown.length === 0 ? (
        <p className="text-3xl text-emerald-400">All nodes up</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {shown.map((n) => (
            <li key={n.id} className="flex items-baseline gap-4 text-xl sm:text-3xl">
              <span className={`w-32 shrink-0 font-semibold uppercase sm:w-52 ${TROUBLED_TEXT[n.status]}`}>{n.status}</span>
              <span className="min-w-0 truncate text-slate-100">{n.name}</span>
              {n.behind > 0 ? <span className="shrink-0 text-xl text-slate-400">+{n.behind} unreachable</span> : null}
              {n.critical ? <span className="shrink-0 text-xl uppercase text-red-300">critical</span> : null}
            </li>
          ))}
        </ul>
      )}
      {more > 0 ? <p className="mt-3 text-2xl text-slate-400">+{more} more</p> : null}
    </section>
  );
}

/** Nodes by site (their `site` tag), worst site first: what is not up at each, or that all its nodes are up. Nothing when no node has a site. */
export function WallSites() {
  const { shown, more } = sites(useNetwork(), SITES);
  if (shown.length === 0) return null;
  return (
    <section aria-label="nodes by site" className="flex flex-wrap gap-3">
      {shown.map((site) => {
        const bad = (["down", "unreachable", "flapping", "degraded"] as const).filter((s) => site.counts[s] > 0);
        return (
          <div key={site.site} data-site={site.site} className={`min-w-0 rounded-2xl bg-slate-900 px-5 py-3 ring-2 ring-inset ${site.counts.down > 0 ? "ring-red-500/60" : bad.length ? "ring-amber-400/40" : "ring-slate-800"}`}>
            <div className="truncate text-lg uppercase tracking-wider text-slate-400 sm:text-xl">{site.site}</div>
            <div className="flex flex-wrap items-baseline gap-x-4 text-2xl font-semibold tabular-nums sm:text-3xl">
              {bad.length === 0 ? (
                <span className="text-emerald-400">{site.total} up</span>
              ) : (
                bad.map((s) => (
                  <span key={s} className={s === "down" ? "text-red-400" : s === "unreachable" ? "text-slate-300" : s === "flapping" ? "text-orange-300" : "text-amber-300"}>
                    {site.counts[s]} {s}
                  </span>
                ))
              )}
            </div>
          </div>
        );
      })}
      {more > 0 ? <p className="self-center text-2xl text-slate-400">+{more} more sites</p> : null}
    </section>
  );
}
