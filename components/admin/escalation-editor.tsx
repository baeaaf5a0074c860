"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { notifyQueries } from "@/lib/queries/notify-queries";
import { SEVERITIES, type Severity } from "@/lib/contracts/values/common";
import type { EndpointListItem, EscalationPolicies } from "@/lib/contracts/notify";
import { EscalationDryRun } from "./escalation-dry-run";
import { badFields, buttonClass, fieldClass, FormError, Notice, quietButtonClass } from "./ui";

export interface DraftLevel {
  after: string;
  endpoints: number[];
}

/**
 * The PATCH body that saves `levels` as `severity`'s policy: only that severity, so the server keeps
 * every other as it is saved now (another admin's change to another severity is not undone). No
 * levels removes it. A last level's wait is left out when empty: nothing follows it.
 */
export function policyBody(severity: Severity, levels: readonly DraftLevel[]) {
  const mine = levels.map((l, i) => ({ ...(i < levels.length - 1 || l.after.trim() ? { after: l.after.trim() } : {}), endpoints: l.endpoints }));
  return { policies: { [severity]: { levels: mine } } as Partial<Record<Severity, { levels: typeof mine }>> };
}

/** Levels per severity: which endpoints are paged, and after how long without an acknowledgement the next level is; with the dry run. */
export function EscalationEditor() {
  const { data, error } = useQuery(notifyQueries.escalation());
  const endpoints = useQuery(notifyQueries.endpoints()).data?.endpoints;
  const [severity, setSeverity] = useState<Severity>("critical");
  const [saved, setSaved] = useState<Severity | null>(null);
  if (error) return <Notice tone="error">{error.message}</Notice>;
  if (!data || !endpoints) return null;
  return (
    <div className="flex flex-col gap-3">
      <div role="group" aria-label="severity" className="flex flex-wrap gap-1">
        {SEVERITIES.map((s) => {
          const n = data.policies[s]?.levels.length ?? 0;
          return (
            <button
              key={s}
              type="button"
              aria-pressed={severity === s}
              onClick={() => {
                setSeverity(s);
                setSaved(null);
              }}
              className={`rounded px-2.5 py-1 text-sm ${severity === s ? "bg-slate-700 text-white" : "text-slate-400 hover:bg-slate-800"}`}
            >
              {s} <span className="text-xs text-slate-400">{n ? `${n} level${n === 1 ? "" : "s"}` : "none"}</span>
            </button>
          );
        })}
      </div>
      {/* a saved policy that differs from the draft's start (a save, another admin's change) starts the draft again */}
      <LevelsEditor key={`${severity}:${JSON.stringify(data.policies[severity] ?? null)}`} severity={severity} policies={data.policies} endpoints={endpoints} onSaved={() => setSaved(severity)} onEdit={() => setSaved(null)} />
      {saved === severity && (
        <p role="status" className="text-xs text-emerald-300">
          Saved the {severity} policy.
        </p>
      )}
      <EscalationDryRun severity={severity} />
    </div>
  );
}

function LevelsEditor({ severity, policies, endpoints, onSaved, onEdit }: { severity: Severity; policies: EscalationPolicies; endpoints: EndpointListItem[]; onSaved: () => void; onEdit: () => void }) {
  const client = useQueryClient();
  const saved = policies[severity]?.levels ?? [];
  const [levels, setLevels] = useState<DraftLevel[]>(() => saved.map((l) => ({ after: l.after ?? "", endpoints: l.endpoints })));
  const [dirty, setDirty] = useState(false);
  const edit = (next: DraftLevel[]) => {
    onEdit();
    setLevels(next);
    setDirty(true);
  };
  const change = (i: number, patch: Partial<DraftLevel>) => edit(levels.map((l, k) => (k === i ? { ...l, ...patch } : l)));
  const save = useMutation({
    mutationFn: () => fetchJson<{ policies: EscalationPolicies }>("/api/v1/notifications/escalation", { method: "PATCH", body: JSON.stringify(policyBody(severity, levels)) }),
    onSuccess: (answer) => {
      setDirty(false);
      onSaved();
      client.setQueryData(notifyQueries.escalation().queryKey, answer);
      void client.invalidateQueries({ queryKey: [...notifyQueries.all(), "dry-run"] });
    },
  });
  const bad = badFields(save.error);
  const badAt = (i: number, field: string) => bad.has(`policies.${severity}.levels.${i}.${field}`);

  if (endpoints.length === 0) return <p className="text-sm text-slate-400">Create an endpoint first: a level pages endpoints.</p>;
  return (
    <form
      aria-label={`${severity} escalation`}
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {levels.length === 0 && <p className="text-sm text-slate-400">No escalation for {severity} incidents: only endpoints subscribed to their events are told.</p>}
      <ol className="flex flex-col gap-2">
        {levels.map((level, i) => (
          <li key={i} aria-label={`level ${i + 1}`} className="rounded border border-slate-800 bg-slate-950/30 p-3">
            <div className="mb-2 flex flex-wrap items-center gap-2">
              <span className="text-sm font-semibold text-slate-100">Level {i + 1}</span>
              <span className="text-xs text-slate-400">{i === 0 ? "paged when the incident opens (or reopens)" : `paged if still unacknowledged`}</span>
              <button type="button" className={`${quietButtonClass} ml-auto`} onClick={() => edit(levels.filter((_, k) => k !== i))}>
                Remove level
              </button>
            </div>
            <fieldset className={`flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-200 ${badAt(i, "endpoints") ? "rounded ring-1 ring-red-500" : ""}`}>
              <legend className="sr-only">endpoints paged at level {i + 1}</legend>
              {endpoints.map((ep) => (
                <label key={ep.id} className="flex min-w-0 items-center gap-1.5 break-words">
                  <input
                    type="checkbox"
                    aria-label={`level ${i + 1}: ${ep.name}`}
                    checked={level.endpoints.includes(ep.id)}
                    onChange={(e) => change(i, { endpoints: e.target.checked ? [...level.endpoints, ep.id] : level.endpoints.filter((id) => id !== ep.id) })}
                  />
                  {ep.name}
                  {!ep.enabled && <span className="text-xs text-slate-500">(disabled)</span>}
                </label>
              ))}
            </fieldset>
            {i < levels.length - 1 && (
              <label className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-400">
                If nobody acknowledges within
                <input
                  value={level.after}
                  onChange={(e) => change(i, { after: e.target.value })}
                  placeholder="15m"
                  aria-label={`level ${i + 1} wait`}
                  aria-invalid={badAt(i, "after")}
                  className={`${fieldClass(badAt(i, "after"))} w-24`}
                />
                page level {i + 2} (e.g. 5m, 1h, 1h30m)
              </label>
            )}
          </li>
        ))}
      </ol>
      <FormError error={save.error} />
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={quietButtonClass} disabled={levels.length >= 10} onClick={() => edit([...levels, { after: "", endpoints: [] }])}>
          Add level
        </button>
        <button type="submit" className={buttonClass} disabled={save.isPending || !dirty}>
          Save {severity} policy
        </button>
        {dirty && <span className="text-xs text-amber-300">unsaved changes: the dry run below shows the saved policy</span>}
      </div>
    </form>
  );
}
