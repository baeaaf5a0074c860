"use client";

import { useQuery } from "@tanstack/react-query";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { incidentQueries } from "@/lib/queries/live-queries";
import { SEVERITY_COLORS } from "@/components/ui/severity";
import { incidentCounts, worstIncidents, type IncidentsLike } from "./wall-data";

/** Rows of the open-incidents list that fit a wall screen; the rest is a true count. */
const INCIDENT_ROWS = 8;

function useIncidents(): IncidentsLike | undefined {
  return useQuery(incidentQueries.active()).data as IncidentsLike | undefined;
}

/** Open incidents by severity as big numbers, with the open and acknowledged totals. */
export function WallIncidentCounts() {
  const counts = incidentCounts(useIncidents());
  return (
    <section aria-label="open incidents by severity" className="rounded-2xl bg-slate-900 p-6">
      <h2 className="mb-3 flex flex-wrap items-baseline gap-x-4 text-2xl font-semibold text-slate-200 sm:text-3xl">
        Open incidents
        <span data-testid="wall-incidents-open" className="text-5xl font-bold tabular-nums text-white">
          {counts.open}
        </span>
        <span className="text-2xl font-normal text-slate-400">{counts.acknowledged} acknowledged</span>
      </h2>
      <div className="grid grid-cols-3 gap-3 sm:grid-cols-5">
        {SEVERITIES.map((s) => (
          <div key={s} className="rounded-xl bg-slate-950 px-3 py-2 text-center">
            <div className="text-base uppercase tracking-wider sm:text-xl" style={{ color: SEVERITY_COLORS[s] }}>
              {s}
            </div>
            <div data-testid={`wall-incidents-${s}`} className={`text-4xl font-bold tabular-nums sm:text-6xl ${counts.severity[s] > 0 ? "text-white" : "text-slate-600"}`}>
              {counts.severity[s]}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}

/** The most severe open incidents, newest first within a severity; "+N more" past what fits. */
export function WallWorstIncidents() {
  const { shown, more } = worstIncidents(useIncidents(), INCIDENT_ROWS);
  return (
    <section aria-label="most severe open incidents" className="flex min-h-0 flex-col rounded-2xl bg-slate-900 p-6">
      <h2 className="mb-3 text-2xl font-semibold text-slate-200 sm:text-3xl">Most severe open</h2>
      {shown.length === 0 ? (
        <p className="text-3xl text-emerald-400">No open incidents</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {shown.map((i) => (
            <li key={i.id} className="flex items-baseline gap-4 text-xl sm:text-3xl">
              <span className="w-20 shrink-0 font-semibold uppercase sm:w-32" style={{ color: SEVERITY_COLORS[i.severity as keyof typeof SEVERITY_COLORS] ?? SEVERITY_COLORS.info }}>
                {i.severity}
              </span>
              <span className="min-w-0 truncate text-slate-100">{i.title}</span>
              <span className="ml-auto hidden shrink-0 text-xl text-slate-500 sm:inline">{i.pane}</span>
            </li>
          ))}
        </ul>
      )}
      {more > 0 ? <p className="mt-3 text-2xl text-slate-400">+{more} more</p> : null}
    </section>
  );
}
