"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { planQueries } from "@/lib/queries/notify-queries";
import type { ResponsePlan, ResponsePlanInput } from "@/lib/contracts/incidents";
import { LocalTime } from "@/components/ui/time";
import { PHASE_LABEL } from "@/components/incidents/incident-plan";
import { PlanForm } from "./plan-form";
import { buttonClass, dangerButtonClass, FormError, Notice, quietButtonClass } from "./ui";


/** Response plans: the steps an incident of a rule and/or severity gets as its checklist. */
export function ResponsePlansPanel() {
  const client = useQueryClient();
  const { data, error } = useQuery(planQueries.list());
  const [adding, setAdding] = useState(false);
  const create = useMutation({
    mutationFn: (body: ResponsePlanInput) => fetchJson("/api/v1/response-plans", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: () => {
      setAdding(false);
      void client.invalidateQueries({ queryKey: planQueries.all() });
    },
  });
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <h2 className="text-xs font-semibold uppercase tracking-wider text-slate-400">Response plans</h2>
        {!adding && (
          <button type="button" className={`${buttonClass} ml-auto`} onClick={() => setAdding(true)}>
            New plan
          </button>
        )}
      </div>
      <p className="mb-3 text-xs text-slate-500">
        An incident gets the most specific plan: rule and severity, then rule, then severity, then a plan with neither. Its steps are copied the first time the incident is shown, so later edits change no incident already shown.
      </p>
      {error && <Notice tone="error">{error.message}</Notice>}
      {adding && (
        <div className="mb-3">
          <PlanForm pending={create.isPending} error={create.error} onSubmit={(b) => create.mutate(b)} onCancel={() => setAdding(false)} />
        </div>
      )}
      {data && data.plans.length === 0 && !adding && <p className="text-sm text-slate-400">No response plans yet: incidents have no checklist.</p>}
      <ul aria-label="response plans" className="flex flex-col gap-2">
        {data?.plans.map((p) => <PlanCard key={p.id} plan={p} />)}
      </ul>
    </div>
  );
}

function PlanCard({ plan }: { plan: ResponsePlan }) {
  const client = useQueryClient();
  const [mode, setMode] = useState<"view" | "edit" | "confirm-delete">("view");
  const refresh = () => void client.invalidateQueries({ queryKey: planQueries.all() });
  const update = useMutation({
    mutationFn: (body: ResponsePlanInput) => fetchJson(`/api/v1/response-plans/${plan.id}`, { method: "PUT", body: JSON.stringify(body) }),
    onSuccess: () => {
      setMode("view");
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => fetchJson(`/api/v1/response-plans/${plan.id}`, { method: "DELETE" }), onSuccess: refresh });
  if (mode === "edit") return <li><PlanForm plan={plan} pending={update.isPending} error={update.error} onSubmit={(b) => update.mutate(b)} onCancel={() => setMode("view")} /></li>;
  const required = plan.steps.filter((s) => s.required).length;
  return (
    <li aria-label={`plan ${plan.name}`} className="rounded border border-slate-800 bg-slate-950/30 p-3">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 className="min-w-0 break-words font-semibold text-slate-100">{plan.name}</h3>
        <span className="text-xs text-slate-300">
          {plan.rule ? <span className="font-mono">{plan.rule}</span> : "any rule"} · {plan.severity ?? "any severity"}
        </span>
        <span className="text-xs text-slate-500">
          {plan.steps.length} step{plan.steps.length === 1 ? "" : "s"}, {required} required
        </span>
        {plan.runbook_url && (
          <a href={plan.runbook_url} target="_blank" rel="noopener noreferrer nofollow" className="min-w-0 break-all text-xs text-sky-300 hover:underline">
            {plan.runbook_url}
          </a>
        )}
      </div>
      <ol className="mt-2 flex flex-col gap-1 text-sm">
        {plan.steps.map((s, i) => (
          <li key={s.id} className="flex items-start gap-2">
            <span className="w-5 shrink-0 text-right text-xs tabular-nums text-slate-500">{i + 1}.</span>
            <span className="w-[5.5rem] shrink-0 text-xs text-slate-500 sm:w-24">{PHASE_LABEL[s.phase] ?? s.phase}</span>
            <span className="min-w-0 flex-1 break-words text-slate-200">
              {s.text}
              {s.required && <span className="ml-1.5 rounded bg-amber-900/50 px-1 text-[10px] uppercase text-amber-200">required</span>}
            </span>
          </li>
        ))}
      </ol>
      <div className="mt-3 flex flex-wrap items-center gap-2 text-xs text-slate-500">
        <button type="button" className={quietButtonClass} onClick={() => setMode("edit")}>
          Edit
        </button>
        {mode === "confirm-delete" ? (
          <>
            <span className="text-slate-300">Delete {plan.name}? Incidents already showing it keep their checklist.</span>
            <button type="button" className={dangerButtonClass} disabled={remove.isPending} onClick={() => remove.mutate()}>
              Yes, delete
            </button>
            <button type="button" className={quietButtonClass} onClick={() => setMode("view")}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className={dangerButtonClass} onClick={() => setMode("confirm-delete")}>
            Delete
          </button>
        )}
        <span className="ml-auto">
          changed by {plan.updated_by}, <LocalTime ms={plan.updated_at} />
        </span>
      </div>
      <div className="mt-2 empty:hidden">
        <FormError error={remove.error} />
      </div>
    </li>
  );
}
