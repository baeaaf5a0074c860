"use client";

import { useState } from "react";
import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { RECENT_CHECKS } from "@/lib/contracts/values/network";
import type { CheckDefinition, DetailCheck, NodeDetail } from "@/lib/contracts/network";
import { nodePageQueries, type NodeChangeAnswer } from "@/lib/queries/node-queries";
import { useCan } from "@/components/ui/me-context";
import { checkOf, COMMON_FIELDS, draftOf, fieldProblems, settingsText, TYPE_FIELDS, type CheckDraft, type CheckType } from "./check-model";
import { CheckForm, isStale, SMALL_BUTTON, StaleNotice, useNodePatch } from "./node-edit";
import { latency } from "@/components/ui/format";
import { Ago, LocalTime } from "@/components/ui/time";
import { CheckStrip } from "./check-strip";
import { useNodeIncidentsLive } from "./use-node-live";

const H = "text-xs font-semibold uppercase tracking-wider text-slate-400";
const interval = (ms: number | null) => (ms === null ? "—" : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/**
 * The node's checks: each with its settings as written, its last result and error, and the check
 * strip (the latency chart is NodeLatency, from the roll-ups). nodes:manage adds, edits, removes,
 * enables and disables checks of an API or heartbeat node (PATCH replaces the list; the server's
 * 400 is shown next to the field it names); a config-file node's checks are read-only, its file
 * named. A push check's URL is shown once, when it is made.
 */
export function NodeChecks({ data }: { data: NodeDetail }) {
  const checks = data.checks;
  const probes = data.probes ?? [];
  const def = data.definition ?? null;
  const mayManage = useCan("nodes:manage");
  const fromFile = data.node.source === "config";
  const editable = mayManage && !fromFile && !(data as { removed?: boolean }).removed && def !== null;
  const save = useNodePatch(data.node.id);
  const qc = useQueryClient();
  // a check's form keeps the version the node had when it was opened: a change made since is not overwritten
  const [editing, setEditing] = useState<{ name: string | null; draft: CheckDraft; original: CheckType | null; version?: number } | null>(null);
  const [problem, setProblem] = useState<{ index: number; message: string } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [tokens, setTokens] = useState<NodeChangeAnswer["push_tokens"]>([]);
  const lastOf = (name: string): DetailCheck | undefined => checks.findLast((c) => c.check === name);
  // the list as written when the server sent it; else what the probes say (an older server)
  const list: CheckDefinition[] = def?.checks ?? probes.map((p) => ({ id: p.name, type: p.type, ...(p.enabled ? {} : { enabled: false }) }));
  const probeOf = (name: string) => probes.find((p) => p.name === name);

  const send = (next: CheckDefinition[] | Record<string, unknown>[], index: number, after?: () => void, version = def?.version) => {
    setProblem(null);
    save.mutate(
      { body: { checks: next }, version },
      {
        onSuccess: (answer) => {
          setTokens(answer.push_tokens);
          setRemoving(null);
          after?.();
        },
        onError: (e) => !isStale(e) && setProblem({ index, message: e.message }),
      },
    );
  };
  const submitForm = () => {
    if (!editing) return;
    const at = editing.name === null ? list.length : list.findIndex((c) => c.id === editing.name);
    const check = checkOf(editing.draft, editing.original === null || editing.original === editing.draft.type);
    const next = editing.name === null ? [...list, check] : list.map((c, i) => (i === at ? check : c));
    send(next, at, () => setEditing(null), editing.version);
  };
  const formProblems = (() => {
    if (!editing || !problem) return { fields: {}, rest: [] as string[] };
    const at = editing.name === null ? list.length : list.findIndex((c) => c.id === editing.name);
    const { fields, rest } = fieldProblems(problem.message, "checks", at);
    // a field the form does not show (headers…) is said under the form
    const shown = new Set(["type", "id", ...TYPE_FIELDS[editing.draft.type].map((f) => f.key), ...COMMON_FIELDS.map((f) => f.key)]);
    for (const [k, v] of Object.entries(fields)) if (!shown.has(k)) rest.push(k ? `${k}: ${v}` : v);
    return { fields: Object.fromEntries(Object.entries(fields).filter(([k]) => shown.has(k))), rest };
  })();
  const form = (isNew: boolean) =>
    editing && (
      <CheckForm
        draft={editing.draft}
        onChange={(draft) => setEditing({ ...editing, draft })}
        isNew={isNew}
        problems={formProblems.fields}
        rest={formProblems.rest}
        pending={save.isPending}
        onSubmit={submitForm}
        onCancel={() => {
          setEditing(null);
          setProblem(null);
        }}
      />
    );

  return (
    <section aria-label="checks" className="flex flex-col gap-3 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <div className="flex flex-wrap items-baseline gap-2">
        <h2 className={H}>Checks</h2>
        {editable && !editing && (
          <button type="button" className={`${SMALL_BUTTON} ml-auto`} onClick={() => (setProblem(null), setEditing({ name: null, draft: draftOf(null, "http"), original: null, version: def?.version }))}>
            Add check…
          </button>
        )}
      </div>
      {fromFile && def?.file && (
        <p className="break-words text-xs text-amber-200">
          Defined in <span className="font-mono">{def.file}</span>: edit its checks and maintenance windows there (the file wins over the API).
        </p>
      )}
      {isStale(save.error) && (
        <StaleNotice
          error={save.error}
          onReload={() => {
            save.reset();
            // the form stays open on the fresh version: the change can be made again over theirs
            if (editing) setEditing({ ...editing, version: undefined });
            void qc.invalidateQueries({ queryKey: nodePageQueries.all(data.node.id) });
          }}
        />
      )}
      {tokens.length > 0 && (
        <div className="flex flex-col gap-1 rounded border border-amber-700 bg-amber-950/30 p-2 text-xs">
          <p className="text-amber-200">Push URL, shown this once (Vigil keeps only a hash of the token):</p>
          {tokens.map((t) => (
            <code key={t.check} data-testid="push-url" className="break-all rounded bg-slate-950 p-2 font-mono text-slate-100">
              {t.check}: {typeof window === "undefined" ? "" : window.location.origin}
              {t.url}
            </code>
          ))}
        </div>
      )}
      {list.length === 0 ? (
        <p className="text-xs text-slate-400">Vigil runs no checks for this node: it is judged by the heartbeats it pushes.</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-800 text-xs">
          {list.map((c, index) => {
            const p = probeOf(c.id);
            const last = lastOf(c.id);
            const enabled = c.enabled !== false;
            if (editing?.name === c.id) return <li key={c.id} className="py-2">{form(false)}</li>;
            return (
              <li key={c.id} data-testid="node-check" data-check={c.id} className="flex min-w-0 flex-wrap items-baseline gap-x-3 gap-y-1 py-2">
                <span className="font-mono font-semibold text-slate-100">{c.type}</span>
                {c.id !== c.type && <span className="font-mono text-slate-500">{c.id}</span>}
                <span className="min-w-0 break-all font-mono text-slate-300">{p?.target ?? (c.type === "push" ? "push URL" : "")}</span>
                <span className="text-slate-400">every {interval(p?.interval_ms ?? null)}</span>
                {!enabled && <span className="rounded bg-slate-800 px-1.5 text-slate-300">disabled</span>}
                <span className={`ml-auto ${!last ? "text-slate-500" : last.ok ? "text-emerald-400" : "text-red-400"}`}>
                  {!last ? "not run yet" : last.ok ? `ok ${latency(last.latency_ms)}` : "failed"}
                  {last && (
                    <>
                      {" "}
                      <Ago ms={last.time} />
                    </>
                  )}
                </span>
                {last && !last.ok && (last.error ?? last.message) && <span data-testid="check-error" className="basis-full break-words text-red-300">{last.error ?? last.message}</span>}
                {def && (
                  <dl data-testid="check-settings" className="flex basis-full flex-wrap gap-x-3 gap-y-0.5 text-[11px]">
                    {settingsText(c).map(({ key, value }) => (
                      <div key={key} className="flex min-w-0 gap-1">
                        <dt className="text-slate-500">{key.replaceAll("_", " ")}</dt>
                        <dd className="min-w-0 break-all font-mono text-slate-300">{value}</dd>
                      </div>
                    ))}
                  </dl>
                )}
                {editable && !editing && (
                  <span className="flex basis-full flex-wrap gap-2">
                    <button type="button" className={SMALL_BUTTON} disabled={save.isPending} onClick={() => (setProblem(null), setEditing({ name: c.id, draft: draftOf(c), original: draftOf(c).type, version: def?.version }))}>
                      Edit
                    </button>
                    <button type="button" className={SMALL_BUTTON} disabled={save.isPending} onClick={() => send(list.map((x, i) => (i === index ? { ...x, enabled: !enabled } : x)), index)}>
                      {enabled ? "Disable" : "Enable"}
                    </button>
                    {removing === c.id ? (
                      <>
                        <button type="button" className={`${SMALL_BUTTON} border-red-700 text-red-200`} disabled={save.isPending} onClick={() => send(list.filter((_, i) => i !== index), index)}>
                          Remove {c.id} for good
                        </button>
                        <button type="button" className={SMALL_BUTTON} onClick={() => setRemoving(null)}>
                          Keep it
                        </button>
                      </>
                    ) : (
                      <button type="button" className={`${SMALL_BUTTON} border-red-900 text-red-300`} onClick={() => setRemoving(c.id)}>
                        Remove…
                      </button>
                    )}
                  </span>
                )}
                {problem && !editing && problem.index === index && (
                  <p role="alert" className="basis-full break-words text-red-300">
                    {problem.message}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {editing?.name === null && form(true)}
      {problem && !editing && problem.index >= list.length && (
        <p role="alert" className="break-words text-xs text-red-300">
          {problem.message}
        </p>
      )}
      {!mayManage && def && list.length > 0 && <p className="text-[11px] text-slate-500">Read-only: changing checks needs nodes:manage.</p>}
      <h3 className={H}>Last {Math.min(RECENT_CHECKS, checks.length)} results</h3>
      <CheckStrip checks={checks.slice(-RECENT_CHECKS)} degradedMs={data.settings?.latency_threshold_ms} />
    </section>
  );
}

/** Network incidents that name the node (by its key), newest first, linking to their pages; kept current by the incidents stream. */
export function NodeIncidents({ nodeKey }: { nodeKey: string }) {
  const { data, error } = useQuery(nodePageQueries.incidents(nodeKey));
  useNodeIncidentsLive(nodeKey);
  return (
    <section aria-label="incidents" className="flex flex-col gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <h2 className={H}>Incidents</h2>
      {error && <p className="text-xs text-red-300">Could not load incidents: {error.message}</p>}
      {data && data.incidents.length === 0 && <p className="text-xs text-slate-400">No incidents name this node.</p>}
      {data && data.incidents.length > 0 && (
        <ul className="flex flex-col divide-y divide-slate-800 text-xs">
          {data.incidents.map((i) => (
            <li key={i.id} className="flex min-w-0 flex-wrap items-baseline gap-x-3 py-1">
              <Link href={`/incidents/${i.id}`} className="min-w-0 break-words text-sky-300 hover:underline">
                #{i.id} {i.title}
              </Link>
              <span className="text-slate-400">{i.status}</span>
              <LocalTime ms={i.last_seen} className="ml-auto font-mono text-slate-500" />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
