"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RESOLUTION_REASONS } from "@/lib/contracts/values/incidents";
import type { Incident } from "@/lib/contracts/incidents";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { incidentWorkQueries, postIncident, type IncidentDetail, type IncidentVerb } from "@/lib/queries/incident-work";
import { HttpError } from "@/lib/queries/fetch-json";
import { SeverityBadge } from "@/components/ui/severity";
import { Ago, LocalTime } from "@/components/ui/time";
import { useMe } from "@/components/ui/me-context";
import { UserMenu } from "@/components/ui/user-menu";
import { ConnectionBadge } from "@/components/live/live-sync";
import { MitreLink } from "./incident-card";
import { LinkedText } from "@/components/ui/linked-text";
import { formatCount } from "./format";
import { useIncidentWatch } from "./use-incident-watch";
import { IncidentChecklist, IncidentDeliveries, IncidentLinks } from "./incident-plan";

const SNOOZES = [
  { label: "1 hour", ms: 3_600_000 },
  { label: "4 hours", ms: 4 * 3_600_000 },
  { label: "24 hours", ms: 86_400_000 },
];

const STATUS_STYLE: Record<string, string> = {
  open: "bg-red-500/20 text-red-200",
  acknowledged: "bg-sky-500/20 text-sky-200",
  resolved: "bg-emerald-500/20 text-emerald-200",
};

/**
 * One incident as on-call staff work it: what it is and its evidence, who holds it, every action
 * (acknowledge, take, assign, snooze, severity, resolve with a reason, reopen), notes, and the
 * timeline of who did what and when. A lost race shows who was first, not an error.
 */
export function IncidentPage({ id }: { id: number }) {
  const { data, error } = useQuery(incidentWorkQueries.detail(id));
  useIncidentWatch(id);
  return (
    <div className="mx-auto flex min-h-dvh max-w-5xl flex-col gap-4 p-3 sm:p-5">
      <header className="flex flex-wrap items-center gap-3 text-xs">
        <Link href="/" className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
          ← Console
        </Link>
        <Link href="/incidents" className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
          All incidents
        </Link>
        <ConnectionBadge />
        <div className="ml-auto hidden sm:block">
          <UserMenu />
        </div>
      </header>
      {error && (
        <p role="alert" className="text-sm text-red-300">
          {error instanceof HttpError && error.status === 404 ? `Incident ${id} does not exist.` : `Could not load incident ${id}: ${error.message}`}
        </p>
      )}
      {data && <Body data={data} />}
    </div>
  );
}

function Body({ data }: { data: IncidentDetail }) {
  const i = data.incident;
  const me = useMe();
  const mayAct = !!me && !me.mfa_pending && me.permissions.includes(`incidents:${i.pane}`);
  return (
    <>
      <section aria-label="incident" className="flex flex-col gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
        <div className="flex flex-wrap items-center gap-2">
          <SeverityBadge severity={i.severity} />
          <span data-testid="incident-status" className={`rounded px-2 py-0.5 text-xs font-semibold uppercase tracking-wide ${STATUS_STYLE[i.status]}`}>
            {i.status}
            {i.snoozed_until !== null && " · snoozed"}
          </span>
          <span className="text-xs text-slate-500">#{i.id}</span>
        </div>
        <h1 className="break-words text-lg font-semibold text-slate-100">{i.title}</h1>
        {i.explanation && <p className="break-words text-sm text-slate-300">{i.explanation}</p>}
        <dl className="grid grid-cols-[7rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs sm:grid-cols-[7rem_minmax(0,1fr)_7rem_minmax(0,1fr)]">
          <Field k="first seen">
            <LocalTime ms={i.first_seen} /> (<Ago ms={i.first_seen} />)
          </Field>
          <Field k="last seen">
            <LocalTime ms={i.last_seen} /> (<Ago ms={i.last_seen} />)
          </Field>
          <Field k="occurrences">{formatCount(i.count)}</Field>
          <Field k="rule">{i.rule}</Field>
          <Field k="entity">
            <span className="font-mono">{i.entity}</span>
          </Field>
          <Field k="pane">{i.pane}</Field>
          <Field k="assignee">{i.assignee ?? <span className="text-slate-500">nobody</span>}</Field>
          {i.acknowledged_by && (
            <Field k="acknowledged">
              {i.acknowledged_by}, {i.acknowledged_at !== null && <LocalTime ms={i.acknowledged_at} />}
            </Field>
          )}
          {i.snoozed_until !== null && (
            <Field k="snoozed until">
              <LocalTime ms={i.snoozed_until} />
            </Field>
          )}
          {i.resolved_by && (
            <Field k="resolved">
              {i.resolved_by}, {i.resolved_at !== null && <LocalTime ms={i.resolved_at} />} ({(i.resolution ?? "fixed").replace("_", " ")})
            </Field>
          )}
          {i.mitre && (
            <Field k="MITRE ATT&CK">
              <MitreLink technique={i.mitre} />
            </Field>
          )}
          {i.previous_id !== null && (
            <Field k="previously">
              <Link href={`/incidents/${i.previous_id}`} className="text-sky-300 hover:underline">
                incident #{i.previous_id}
              </Link>
            </Field>
          )}
        </dl>
        <div className="flex flex-wrap gap-3 text-xs">
          {i.pane === "security" && (
            <Link href={`/security?incident=${i.id}&range=all`} className="text-sky-300 hover:underline">
              Evidence events →
            </Link>
          )}
        </div>
        {i.details && Object.keys(i.details).length > 0 && (
          <details className="text-xs">
            <summary className="cursor-pointer text-slate-400">Detection figures</summary>
            <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-950 p-2 text-slate-300 [overflow-wrap:anywhere]">{JSON.stringify(i.details, null, 2)}</pre>
          </details>
        )}
      </section>
      {mayAct ? <Actions incident={i} me={me!.email} /> : <p className="text-xs text-slate-500">You may read this incident but not act on {i.pane} incidents.</p>}
      <IncidentChecklist data={data} mayAct={mayAct} />
      <IncidentLinks data={data} mayAct={mayAct} />
      <IncidentDeliveries id={i.id} />
      <section aria-label="timeline" className="rounded-lg border border-slate-800 bg-slate-900/60 p-4">
        <h2 className="mb-2 text-xs font-semibold uppercase tracking-wider text-slate-400">Timeline</h2>
        <ol aria-label="incident timeline" className="flex flex-col gap-1.5 border-l border-slate-700 pl-3 text-sm">
          {data.timeline.map((t) => (
            <li key={t.id} className="break-words">
              <span className="font-mono text-xs text-slate-500">
                <LocalTime ms={t.time} />
              </span>{" "}
              <b className="font-semibold text-slate-100">{t.action}</b> <span className="text-slate-400">by {t.actor}</span>
              {t.from_status && t.to_status && (
                <span className="text-xs text-slate-500">
                  {" "}
                  ({t.from_status} → {t.to_status})
                </span>
              )}
              {t.note && (
                <p className="whitespace-pre-wrap break-words text-slate-300">
                  <LinkedText text={t.note} />
                </p>
              )}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function Field({ k, children }: { k: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{k}</dt>
      <dd className="min-w-0 break-words text-slate-200">{children}</dd>
    </>
  );
}

function Actions({ incident: i, me }: { incident: Incident; me: string }) {
  const client = useQueryClient();
  const [message, setMessage] = useState<{ text: string; conflict: boolean } | null>(null);
  const [note, setNote] = useState("");
  const [reason, setReason] = useState<(typeof RESOLUTION_REASONS)[number]>("fixed");
  const [assignee, setAssignee] = useState("");
  const [override, setOverride] = useState("");
  const blocked = message?.text.includes("required step") ?? false;
  const act = useMutation({
    mutationFn: ({ verb, body }: { verb: IncidentVerb; body: Record<string, unknown> }) => postIncident(i.id, verb, body),
    onMutate: () => setMessage(null),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["incidents", "page", i.id] }),
    onError: (e) => {
      const conflict = e instanceof HttpError && e.status === 409;
      setMessage({ text: e.message, conflict });
      if (!conflict) return;
      // the 409 carries the incident as it now is: shown at once, the timeline follows on refetch
      const now = (e.body as { incident?: Incident } | null)?.incident;
      if (now) client.setQueryData<IncidentDetail>(["incidents", "page", i.id], (old) => (old ? { ...old, incident: now } : old));
      void client.invalidateQueries({ queryKey: ["incidents", "page", i.id] });
    },
  });
  const run = (verb: IncidentVerb, body: Record<string, unknown> = {}) => act.mutate({ verb, body: { version: i.version, ...body } });
  const busy = act.isPending;
  const addNote = (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    act.mutate({ verb: "notes", body: { note } }, { onSuccess: () => setNote("") });
  };
  const btn = "min-h-10 rounded px-3 text-sm font-semibold disabled:opacity-50";
  const resolved = i.status === "resolved";
  return (
    <section aria-label="actions" className="flex flex-col gap-3 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <div className="flex flex-wrap gap-2">
        {i.status === "open" && (
          <button type="button" disabled={busy} onClick={() => run("ack")} className={`${btn} bg-sky-700 text-white hover:bg-sky-600`}>
            Acknowledge
          </button>
        )}
        {!resolved && i.assignee !== me && (
          <button type="button" disabled={busy} onClick={() => run("assign", { assignee: me })} className={`${btn} bg-slate-700 text-slate-100 hover:bg-slate-600`}>
            Take it
          </button>
        )}
        {!resolved && i.assignee !== null && (
          <button type="button" disabled={busy} onClick={() => run("assign", { assignee: null })} className={`${btn} border border-slate-600 text-slate-200 hover:bg-slate-800`}>
            Unassign
          </button>
        )}
        {resolved && (
          <button type="button" disabled={busy} onClick={() => run("reopen")} className={`${btn} bg-amber-700 text-white hover:bg-amber-600`}>
            Reopen
          </button>
        )}
      </div>
      {!resolved && (
        <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
          <div role="group" aria-label="snooze" className="flex flex-wrap items-center gap-1.5">
            <span className="text-xs text-slate-500">Snooze</span>
            {SNOOZES.map((s) => (
              <button key={s.label} type="button" disabled={busy} onClick={() => run("snooze", { until: Date.now() + s.ms })} className="rounded bg-slate-800 px-2 py-1 text-xs text-slate-200 hover:bg-slate-700 disabled:opacity-50">
                {s.label}
              </button>
            ))}
          </div>
          <form
            aria-label="resolve"
            className="flex flex-wrap items-center gap-1.5"
            onSubmit={(e) => {
              e.preventDefault();
              run("resolve", { reason, ...(note.trim() ? { note } : {}), ...(blocked && override.trim() ? { override: override.trim() } : {}) });
            }}
          >
            <label className="text-xs text-slate-500" htmlFor="reason">
              Resolve as
            </label>
            <select id="reason" value={reason} onChange={(e) => setReason(e.target.value as typeof reason)} className="rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100">
              {RESOLUTION_REASONS.map((r) => (
                <option key={r} value={r}>
                  {r.replace("_", " ")}
                </option>
              ))}
            </select>
            {blocked && (
              <input value={override} onChange={(e) => setOverride(e.target.value)} placeholder="why resolve anyway" aria-label="override reason" maxLength={500} className="w-48 rounded border border-amber-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 placeholder:text-slate-600" />
            )}
            <button type="submit" disabled={busy} className={`${btn} border border-emerald-700 text-emerald-200 hover:bg-emerald-900/40`}>
              Resolve
            </button>
          </form>
          <form
            aria-label="assign"
            className="flex flex-wrap items-center gap-1.5"
            onSubmit={(e) => {
              e.preventDefault();
              if (assignee.trim()) run("assign", { assignee: assignee.trim() });
            }}
          >
            <input value={assignee} onChange={(e) => setAssignee(e.target.value)} placeholder="assign to (email)" aria-label="assignee" maxLength={254} className="w-48 rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 placeholder:text-slate-600" />
            <button type="submit" disabled={busy} className="rounded bg-slate-800 px-2 py-1 text-sm text-slate-200 hover:bg-slate-700 disabled:opacity-50">
              Assign
            </button>
          </form>
          <label className="flex items-center gap-1.5 text-xs text-slate-500">
            Severity
            <select value={i.severity} disabled={busy} onChange={(e) => run("severity", { severity: e.target.value })} className="rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100">
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <form onSubmit={addNote} aria-label="note" className="flex flex-col gap-1.5">
        <textarea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={2000}
          rows={3}
          placeholder="A note for the timeline (plain text; also sent with Resolve)"
          aria-label="note text"
          className="rounded border border-slate-700 bg-slate-950 px-2 py-1.5 text-sm text-slate-100 placeholder:text-slate-600"
        />
        <div>
          <button type="submit" disabled={busy || !note.trim()} className="rounded bg-slate-700 px-3 py-1 text-sm text-slate-100 hover:bg-slate-600 disabled:opacity-50">
            Add note
          </button>
        </div>
      </form>
      {message && (
        <p role="alert" className={`break-words text-sm ${message.conflict ? "text-sky-300" : "text-amber-300"}`}>
          {message.text}
        </p>
      )}
    </section>
  );
}
