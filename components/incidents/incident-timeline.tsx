"use client";

import { useQuery } from "@tanstack/react-query";
import { incidentQueries } from "@/lib/queries/live-queries";
import { LocalTime } from "@/components/ui/time";

/** Who did what to an incident, and when: opened, acknowledged, resolved, with notes. */
export function IncidentTimeline({ id, version }: { id: number; version: number }) {
  const { data, error } = useQuery(incidentQueries.timeline(id, version));
  if (error) return <p className="text-xs text-red-400">Could not load the timeline: {error.message}</p>;
  if (!data) return <p className="text-xs text-slate-500">Loading timeline…</p>;
  return (
    <ol aria-label="incident timeline" className="mt-1 space-y-0.5 border-l border-slate-700 pl-3 text-xs text-slate-300">
      {data.timeline.map((t) => (
        <li key={t.id}>
          <time className="font-mono text-slate-500" suppressHydrationWarning>
            <LocalTime ms={t.time} />
          </time>{" "}
          <b className="font-semibold text-slate-200">{t.action}</b> by {t.actor}
          {t.note && <span className="text-slate-400"> — {t.note}</span>}
        </li>
      ))}
    </ol>
  );
}
