"use client";

import { useQuery } from "@tanstack/react-query";
import { notifyQueries } from "@/lib/queries/notify-queries";
import type { Severity } from "@/lib/contracts/common";
import { Notice } from "./ui";

/** "Who would be paged, when" for a new incident of `severity`, under the saved policy. */
export function EscalationDryRun({ severity }: { severity: Severity }) {
  const { data, error } = useQuery(notifyQueries.dryRun(severity));
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data) return null;
  return (
    <section aria-label="dry run" className="rounded border border-slate-800 bg-slate-950/40 p-3 text-sm">
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wider text-slate-400">Dry run: a new {severity} incident nobody acknowledges</h3>
      {data.steps.length === 0 ? (
        <p className="text-slate-400">No escalation level pages anyone.</p>
      ) : (
        <ol className="flex flex-col gap-1">
          {data.steps.map((step) => (
            <li key={step.level} className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
              <span className="w-24 shrink-0 tabular-nums text-slate-400">{step.at_minute === 0 ? "at the open" : `after ${formatMinutes(step.at_minute)}`}</span>
              <span className="text-slate-200">
                level {step.level} ({step.event})
              </span>
              <span className="min-w-0 break-words text-slate-100">
                pages{" "}
                {step.endpoints.map((e, i) => (
                  <span key={e.id}>
                    {i > 0 && ", "}
                    {e.name}
                    {!e.enabled && <span className="text-amber-300"> (disabled: not sent)</span>}
                  </span>
                ))}
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="mt-2 break-words text-xs text-slate-400">
        Also told by their own subscription: {data.subscribers.length ? data.subscribers.map((s) => s.name).join(", ") : "no endpoint"}.
      </p>
    </section>
  );
}

/** 90 → "1 h 30 min", 15 → "15 min", 1.5 → "1 min 30 s". */
export function formatMinutes(minutes: number): string {
  const total = Math.round(minutes * 60);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  return [h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean).join(" ") || "0 min";
}
