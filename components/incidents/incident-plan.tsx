"use client";

import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LINK_KINDS } from "@/lib/contracts/values/incidents";
import type { IncidentDetailAnswer } from "@/lib/contracts/incidents";
import { fetchJson } from "@/lib/queries/fetch-json";
import type { Delivery } from "@/lib/contracts/notify";
import { SeverityBadge } from "@/components/ui/severity";
import { LocalTime } from "@/components/ui/time";

/** Short labels of the plan phases, shared with the plan editor. */
export const PHASE_LABEL: Record<string, string> = { containment: "Contain", investigation: "Investigate", communication: "Communicate", recovery: "Recover" };

/** The incident's response plan as a checklist: each step ticked with who and when; required steps block a "fixed" resolution. */
export function IncidentChecklist({ data, mayAct }: { data: IncidentDetailAnswer; mayAct: boolean }) {
  const client = useQueryClient();
  const id = data.incident.id;
  const tick = useMutation({
    mutationFn: ({ step, done }: { step: string; done: boolean }) =>
      fetchJson(`/api/v1/incidents/${id}/checklist/${encodeURIComponent(step)}`, { method: "POST", body: JSON.stringify({ done }) }),
    onSettled: () => client.invalidateQueries({ queryKey: ["incidents", "page", id] }),
  });
  const { plan, items } = data.checklist;
  if (!plan) return null;
  const done = items.filter((i) => i.done_at !== null).length;
  return (
    <section aria-label="response plan" className="rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <div className="mb-2 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 className="text-xs font-semibold uppercase tracking-wider text-slate-400">Response plan</h2>
        <span className="text-sm text-slate-200">{plan.name}</span>
        <span className="text-xs tabular-nums text-slate-400">
          {done} of {items.length} done
        </span>
        {plan.runbook_url && (
          <a href={plan.runbook_url} target="_blank" rel="noopener noreferrer" className="text-xs text-sky-300 hover:underline">
            Runbook ↗
          </a>
        )}
      </div>
      <ul className="flex flex-col gap-1.5">
        {items.map((s) => (
          <li key={s.step_id} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              // shows the intended state while the tick is on its way (the answer then confirms it)
              checked={tick.isPending && tick.variables?.step === s.step_id ? tick.variables.done : s.done_at !== null}
              disabled={!mayAct || tick.isPending}
              onChange={(e) => tick.mutate({ step: s.step_id, done: e.target.checked })}
              aria-label={`${s.text}${s.required ? " (required)" : ""}`}
              className="mt-0.5 h-4 w-4 shrink-0 accent-emerald-500"
            />
            <span className="w-24 shrink-0 text-xs text-slate-500">{PHASE_LABEL[s.phase] ?? s.phase}</span>
            <span className={`min-w-0 flex-1 break-words ${s.done_at !== null ? "text-slate-400 line-through" : "text-slate-100"}`}>
              {s.text}
              {s.required && <span className="ml-1.5 rounded bg-amber-900/50 px-1 text-[10px] uppercase text-amber-200">required</span>}
            </span>
            {s.done_at !== null && (
              <span className="shrink-0 text-xs text-slate-500">
                {s.done_by}, <LocalTime ms={s.done_at} />
              </span>
            )}
          </li>
        ))}
      </ul>
      {tick.error && (
        <p role="alert" className="mt-1 text-xs text-amber-300">
          {tick.error.message}
        </p>
      )}
    </section>
  );
}

/** Links to incidents of either pane, suggested links (same node, service or address within minutes), and a form to link by id. */
export function IncidentLinks({ data, mayAct }: { data: IncidentDetailAnswer; mayAct: boolean }) {
  const client = useQueryClient();
  const id = data.incident.id;
  const [other, setOther] = useState("");
  const [kind, setKind] = useState<(typeof LINK_KINDS)[number]>("related");
  const refresh = () => void client.invalidateQueries({ queryKey: ["incidents", "page", id] });
  const link = useMutation({
    mutationFn: (body: { other: number; kind: string }) => fetchJson(`/api/v1/incidents/${id}/links`, { method: "POST", body: JSON.stringify(body) }),
    onSuccess: () => setOther(""),
    onSettled: refresh,
  });
  const unlink = useMutation({
    mutationFn: (otherId: number) => fetchJson(`/api/v1/incidents/${id}/links/${otherId}`, { method: "DELETE" }),
    onSettled: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(other.replace(/^#/, ""));
    if (Number.isSafeInteger(n) && n > 0) link.mutate({ other: n, kind });
  };
  if (!mayAct && data.links.length === 0) return null;
  return (
    <section aria-label="linked incidents" className="rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <h2 className="mb-2 text-xs font-semibold uppercase tracking-wider text-slate-400">Linked incidents</h2>
      {data.links.length === 0 ? (
        <p className="text-xs text-slate-500">None yet.</p>
      ) : (
        <ul className="flex flex-col gap-1.5">
          {data.links.map((l) => (
            <li key={l.id} className="flex flex-wrap items-center gap-2 text-sm">
              <span className="w-24 text-xs text-slate-400">{l.kind.replace("_", " ")}</span>
              <SeverityBadge severity={l.severity} />
              <Link href={`/incidents/${l.id}`} className="min-w-0 break-words text-slate-100 hover:text-sky-300 hover:underline">
                #{l.id} {l.title}
              </Link>
              <span className="text-xs text-slate-500">
                {l.pane} · {l.status}
              </span>
              {mayAct && (
                <button type="button" onClick={() => unlink.mutate(l.id)} className="ml-auto rounded px-2 text-xs text-slate-400 hover:bg-slate-800 hover:text-slate-100">
                  Unlink
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {data.suggestions.length > 0 && (
        <div className="mt-3">
          <h3 className="mb-1 text-xs text-slate-500">Suggested: the other pane, the same node, service or address, within minutes</h3>
          <ul className="flex flex-col gap-1.5">
            {data.suggestions.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-2 text-sm">
                <SeverityBadge severity={s.severity} />
                <Link href={`/incidents/${s.id}`} className="min-w-0 break-words text-slate-200 hover:text-sky-300 hover:underline">
                  #{s.id} {s.title}
                </Link>
                <span className="text-xs text-slate-500">shares {s.shared.join(", ")}</span>
                {mayAct && (
                  <button type="button" disabled={link.isPending} onClick={() => link.mutate({ other: s.id, kind: "related" })} className="ml-auto rounded bg-slate-800 px-2 py-0.5 text-xs text-sky-300 hover:bg-slate-700">
                    Link
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {mayAct && (
        <form onSubmit={submit} aria-label="link an incident" className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} aria-label="link kind" className="rounded border border-slate-700 bg-slate-950 px-2 py-1 text-slate-100">
            {LINK_KINDS.map((k) => (
              <option key={k} value={k}>
                {k.replace("_", " ")}
              </option>
            ))}
          </select>
          <input value={other} onChange={(e) => setOther(e.target.value)} placeholder="incident #" aria-label="incident to link" inputMode="numeric" maxLength={17} className="w-28 rounded border border-slate-700 bg-slate-950 px-2 py-1 text-slate-100 placeholder:text-slate-600" />
          <button type="submit" disabled={link.isPending} className="rounded bg-slate-800 px-3 py-1 text-slate-200 hover:bg-slate-700">
            Link
          </button>
        </form>
      )}
      {(link.error ?? unlink.error) && (
        <p role="alert" className="mt-1 text-xs text-amber-300">
          {(link.error ?? unlink.error)!.message}
        </p>
      )}
    </section>
  );
}

/** Who was told about this incident: each notification (event, endpoint, escalation level) with its attempts. */
export function IncidentDeliveries({ id }: { id: number }) {
  const { data } = useQuery({
    queryKey: ["incidents", "deliveries", id] as const,
    queryFn: ({ signal }) => fetchJson<{ deliveries: Delivery[] }>(`/api/v1/incidents/${id}/deliveries`, { signal }),
    refetchInterval: 30_000,
  });
  if (!data || data.deliveries.length === 0) return null;
  return (
    <section aria-label="notifications" className="rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <h2 className="mb-2 text-xs font-semibold uppercase tracking-wider text-slate-400">Notifications</h2>
      <ul className="flex flex-col gap-1 text-xs">
        {data.deliveries.slice(0, 50).map((d) => (
          <li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-0.5">
            <span className={`rounded px-1.5 py-0.5 font-semibold uppercase ${d.status === "delivered" ? "bg-emerald-500/20 text-emerald-200" : d.status === "failed" ? "bg-red-500/20 text-red-200" : "bg-slate-800 text-slate-300"}`}>{d.status}</span>
            <span className="text-slate-200">{d.event}</span>
            {d.level !== null && <span className="text-slate-400">level {d.level}</span>}
            <span className="min-w-0 break-words text-slate-300">to {d.endpoint.name}</span>
            <span className="text-slate-500">
              {d.attempts.length} attempt{d.attempts.length === 1 ? "" : "s"}
              {d.last_status_code !== null ? `, last HTTP ${d.last_status_code}` : d.last_error ? `, last error: ${d.last_error}` : ""}
            </span>
            <span className="text-slate-500">
              <LocalTime ms={d.delivered_at ?? d.created_at} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
