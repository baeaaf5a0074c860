"use client";

import { useId, useState, type FormEvent } from "react";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { PLAN_PHASES } from "@/lib/contracts/values/incidents";
import type { ResponsePlan, ResponsePlanInput } from "@/lib/contracts/incidents";
import { badFields, buttonClass, fieldClass, FormError, labelClass, quietButtonClass } from "./ui";

type Step = ResponsePlanInput["steps"][number];

// Suggestions only: any rule name the detections use is accepted (a-z, 0-9, _ . : -).
const KNOWN_RULES = ["brute_force", "brute_force_slow", "password_spraying", "credential_stuffing", "distributed_attack", "success_after_failures", "privilege_escalation", "port_scan", "card_testing", "payment_velocity", "ids_priority", "ids_campaign", "ids_persistent_source", "ids_engine_noise", "node_down", "node_storm", "latency_anomaly"];

/** A step id not used yet: existing steps keep theirs, so ticks on incidents keep pointing at them. */
function freshId(steps: Step[]): string {
  let n = steps.length + 1;
  while (steps.some((s) => s.id === `step-${n}`)) n++;
  return `step-${n}`;
}

/** Creates or changes a response plan: what it matches (rule and/or severity) and its ordered steps. */
export function PlanForm({ plan, pending, error, onSubmit, onCancel }: { plan?: ResponsePlan; pending: boolean; error: Error | null; onSubmit: (body: ResponsePlanInput) => void; onCancel: () => void }) {
  const [steps, setSteps] = useState<Step[]>(() => plan?.steps ?? [{ id: "step-1", text: "", phase: "containment", required: false }]);
  const bad = badFields(error);
  const rulesList = useId();
  const change = (i: number, patch: Partial<Step>) => setSteps(steps.map((s, k) => (k === i ? { ...s, ...patch } : s)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setSteps(next);
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    onSubmit({
      name: text("name"),
      rule: text("rule") || null,
      severity: (text("severity") || null) as ResponsePlanInput["severity"],
      runbook_url: text("runbook_url") || null,
      steps,
    });
  };
  return (
    <form onSubmit={submit} aria-label={plan ? `edit plan ${plan.name}` : "new response plan"} className="flex flex-col gap-3 rounded border border-slate-800 bg-slate-950/40 p-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <label className={labelClass}>
          Name
          <input name="name" required maxLength={100} defaultValue={plan?.name} aria-label="plan name" aria-invalid={bad.has("name")} className={fieldClass(bad.has("name"))} />
        </label>
        <label className={labelClass}>
          Runbook URL (optional)
          <input name="runbook_url" inputMode="url" spellCheck={false} maxLength={2000} defaultValue={plan?.runbook_url ?? ""} placeholder="https://wiki.example/runbooks/…" aria-label="runbook url" aria-invalid={bad.has("runbook_url")} className={`${fieldClass(bad.has("runbook_url"))} font-mono`} />
        </label>
        <label className={labelClass}>
          For incidents of rule (empty: any rule)
          <input name="rule" list={rulesList} spellCheck={false} maxLength={64} defaultValue={plan?.rule ?? ""} placeholder="any rule" aria-label="plan rule" aria-invalid={bad.has("rule")} className={`${fieldClass(bad.has("rule"))} font-mono`} />
          <datalist id={rulesList}>
            {KNOWN_RULES.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        </label>
        <label className={labelClass}>
          And severity
          <select name="severity" defaultValue={plan?.severity ?? ""} aria-label="plan severity" className={fieldClass(bad.has("severity"))}>
            <option value="">any severity</option>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-xs text-slate-400">Steps, in order (become the incident&apos;s checklist; required ones block a &quot;fixed&quot; resolution)</legend>
        <ol className="flex flex-col gap-2">
          {steps.map((s, i) => (
            <li key={s.id} aria-label={`step ${i + 1}`} className="flex flex-wrap items-center gap-2 rounded border border-slate-800 p-2">
              <span className="w-5 text-right text-xs tabular-nums text-slate-500">{i + 1}.</span>
              <select value={s.phase} onChange={(e) => change(i, { phase: e.target.value as Step["phase"] })} aria-label={`step ${i + 1} phase`} className={fieldClass(bad.has(`steps.${i}.phase`))}>
                {PLAN_PHASES.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
              <input
                value={s.text}
                onChange={(e) => change(i, { text: e.target.value })}
                maxLength={500}
                placeholder="what to do"
                aria-label={`step ${i + 1} text`}
                aria-invalid={bad.has(`steps.${i}.text`)}
                className={`${fieldClass(bad.has(`steps.${i}.text`))} min-w-0 flex-1 basis-full sm:basis-48`}
              />
              <label className="flex items-center gap-1 text-xs text-slate-300">
                <input type="checkbox" checked={s.required} onChange={(e) => change(i, { required: e.target.checked })} aria-label={`step ${i + 1} required`} /> required
              </label>
              <span className="ml-auto flex gap-1">
                <button type="button" className={quietButtonClass} disabled={i === 0} onClick={() => move(i, -1)} aria-label={`move step ${i + 1} up`}>
                  ↑
                </button>
                <button type="button" className={quietButtonClass} disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={`move step ${i + 1} down`}>
                  ↓
                </button>
                <button type="button" className={quietButtonClass} disabled={steps.length === 1} onClick={() => setSteps(steps.filter((_, k) => k !== i))} aria-label={`remove step ${i + 1}`}>
                  ✕
                </button>
              </span>
            </li>
          ))}
        </ol>
        <button type="button" className={`${quietButtonClass} self-start`} disabled={steps.length >= 50} onClick={() => setSteps([...steps, { id: freshId(steps), text: "", phase: "investigation", required: false }])}>
          Add step
        </button>
      </fieldset>
      <FormError error={error} />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={pending}>
          {plan ? "Save plan" : "Create plan"}
        </button>
        <button type="button" className={quietButtonClass} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
