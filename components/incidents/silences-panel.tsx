"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Silence } from "@/lib/contracts/incidents";
import { fetchJson } from "@/lib/queries/fetch-json";
import { LocalTime } from "@/components/ui/time";
import { count } from "@/components/ui/format";

const silencesQuery = {
  queryKey: ["silences"] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchJson<{ silences: Silence[] }>("/api/v1/silences", { signal }),
  refetchInterval: 15_000,
};

const describe = (m: Silence["matcher"]) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");

/**
 * Silences and what they hold back: each active one with its matcher, reason, expiry and how many
 * detections it kept from opening incidents; end one early; add one (matcher, reason, duration).
 */
export function SilencesPanel({ mayAct }: { mayAct: boolean }) {
  const client = useQueryClient();
  const { data } = useQuery(silencesQuery);
  const [form, setForm] = useState({ rule: "", source: "", tag: "", pane: "security", hours: "4", reason: "" });
  const create = useMutation({
    mutationFn: () => {
      const matcher: Record<string, string> = { pane: form.pane };
      if (form.rule.trim()) matcher.rule = form.rule.trim();
      if (form.source.trim()) matcher.source = form.source.trim();
      if (form.tag.trim()) matcher.tag = form.tag.trim();
      return fetchJson("/api/v1/silences", { method: "POST", body: JSON.stringify({ matcher, reason: form.reason, ends_at: Date.now() + Number(form.hours) * 3_600_000 }) });
    },
    onSuccess: () => setForm((f) => ({ ...f, rule: "", source: "", tag: "", reason: "" })),
    onSettled: () => client.invalidateQueries({ queryKey: ["silences"] }),
  });
  const end = useMutation({
    mutationFn: (id: number) => fetchJson(`/api/v1/silences/${id}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: ["silences"] }),
  });
  const live = data?.silences.filter((s) => s.state === "active" || s.state === "pending") ?? [];
  const held = live.reduce((n, s) => n + s.hits, 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const input = "rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 placeholder:text-slate-600";
  return (
    <details className="rounded-lg border border-slate-800 bg-slate-900/60 p-3 text-sm" open={live.length > 0}>
      <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wider text-slate-400">
        Silences{" "}
        <span data-testid="silences-summary" className="normal-case tracking-normal text-slate-300">
          · {live.length} active, holding back {count(held)} detection{held === 1 ? "" : "s"}
        </span>
      </summary>
      <ul className="mt-2 flex flex-col gap-1.5" aria-label="silences">
        {(data?.silences ?? []).slice(0, 30).map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs">
            <span className={`rounded px-1.5 py-0.5 font-semibold uppercase ${s.state === "active" ? "bg-violet-500/20 text-violet-200" : "bg-slate-800 text-slate-400"}`}>{s.state}</span>
            <span className="font-mono text-slate-200">{describe(s.matcher)}</span>
            <span className="min-w-0 break-words text-slate-300">“{s.reason}”</span>
            <span className="text-slate-400">
              by {s.created_by}, until <LocalTime ms={s.ended_at ?? s.ends_at} />
            </span>
            <span className="tabular-nums text-slate-300">{count(s.hits)} held</span>
            {mayAct && (s.state === "active" || s.state === "pending") && (
              <button type="button" onClick={() => end.mutate(s.id)} className="rounded px-2 text-slate-400 hover:bg-slate-800 hover:text-slate-100">
                End now
              </button>
            )}
          </li>
        ))}
      </ul>
      {mayAct && (
        <form onSubmit={submit} aria-label="new silence" className="mt-3 flex flex-wrap items-center gap-2">
          <select value={form.pane} onChange={(e) => setForm({ ...form, pane: e.target.value })} aria-label="pane" className={input}>
            <option value="security">security</option>
            <option value="network">network</option>
          </select>
          <input value={form.rule} onChange={(e) => setForm({ ...form, rule: e.target.value })} placeholder="rule (optional)" aria-label="silence rule" maxLength={64} className={`${input} w-40`} />
          <input value={form.source} onChange={(e) => setForm({ ...form, source: e.target.value })} placeholder="address / node / service" aria-label="silence source" maxLength={253} className={`${input} w-48`} />
          {form.pane === "network" && (
            <input value={form.tag} onChange={(e) => setForm({ ...form, tag: e.target.value })} placeholder="node tag, e.g. site=fra1" aria-label="silence tag" maxLength={200} className={`${input} w-44`} />
          )}
          <select value={form.hours} onChange={(e) => setForm({ ...form, hours: e.target.value })} aria-label="duration" className={input}>
            {["1", "4", "24", "72"].map((h) => (
              <option key={h} value={h}>
                {h} h
              </option>
            ))}
          </select>
          <input value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} placeholder="reason (required)" aria-label="silence reason" required minLength={3} maxLength={500} className={`${input} min-w-0 flex-1`} />
          <button type="submit" disabled={create.isPending} className="rounded bg-violet-700 px-3 py-1 text-sm font-medium text-white hover:bg-violet-600 disabled:opacity-50">
            Silence
          </button>
        </form>
      )}
      {(create.error ?? end.error) && (
        <p role="alert" className="mt-1 text-xs text-amber-300">
          {(create.error ?? end.error)!.message}
        </p>
      )}
    </details>
  );
}
