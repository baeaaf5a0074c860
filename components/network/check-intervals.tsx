"use client";

import { useId } from "react";

const INPUT = "w-full min-w-0 rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 aria-[invalid=true]:border-red-500";

/**
 * Each check's interval in the node's settings form, one field per check (its id and type as the
 * label, the interval as written or blank for the default), the server's word under the one it names.
 */
export function CheckIntervals({
  checks,
  values,
  onChange,
  problems,
  readOnly,
}: {
  checks: readonly { id: string; type: string; interval: string }[];
  values: Readonly<Record<string, string>>;
  onChange: (id: string, value: string) => void;
  problems: Readonly<Record<string, string>>;
  readOnly: boolean;
}) {
  const base = useId();
  return (
    <fieldset aria-label="check intervals" className="flex min-w-0 flex-col gap-2 sm:col-span-2">
      <legend className="pb-1 text-slate-400">Check intervals (e.g. 30s, 5m; blank: 1m)</legend>
      {checks.length === 0 ? (
        <p className="text-slate-500">No checks: this node is judged by the heartbeats it pushes.</p>
      ) : (
        <div className="grid grid-cols-1 gap-x-3 gap-y-2 sm:grid-cols-2 lg:grid-cols-3">
          {checks.map((c, i) => {
            const id = `${base}-${i}`;
            const problem = problems[c.id.toLowerCase()];
            return (
              <div key={c.id} className="flex min-w-0 flex-col gap-1">
                <label htmlFor={id} className="flex min-w-0 items-baseline gap-1.5 text-slate-300">
                  <span className="truncate font-mono">{c.id}</span>
                  {c.id !== c.type && <span className="shrink-0 text-slate-500">{c.type}</span>}
                </label>
                <input
                  id={id}
                  className={INPUT}
                  value={values[c.id] ?? c.interval}
                  placeholder="1m"
                  readOnly={readOnly}
                  aria-invalid={!!problem}
                  aria-describedby={problem ? `${id}-problem` : undefined}
                  onChange={(e) => onChange(c.id, e.target.value)}
                />
                {problem && (
                  <p id={`${id}-problem`} data-testid="field-problem" className="break-words text-red-300">
                    {problem}
                  </p>
                )}
              </div>
            );
          })}
        </div>
      )}
    </fieldset>
  );
}
