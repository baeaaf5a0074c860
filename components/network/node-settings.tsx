"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { NodeDetail } from "@/lib/contracts/network";
import { changeNode, nodePageQueries, parseTags } from "@/lib/queries/node-queries";
import { isStale, StaleNotice, useNodePatch } from "./node-edit";
import { changedIntervals, intervalProblems } from "./check-model";
import { CheckIntervals } from "./check-intervals";
import { useSettingsDraft } from "./use-settings-draft";

const INPUT = "rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100";
const BUTTON = "rounded border border-slate-700 px-3 py-1 text-sm text-slate-200 hover:bg-slate-800 disabled:opacity-50";

/** Blank → null (unset), else the number, or NaN for text that is not one. */
const numberOrNull = (s: string) => (s.trim() === "" ? null : Number(s));

/**
 * A node's settings for nodes:manage: threshold, failures/successes, parent, tags and each
 * check's interval (PATCH, on the version read: use-settings-draft), pause/resume, and delete
 * after a confirm step. A config-file node is read-only here:
 * the server's 409 says which file and line to edit, and is shown as text.
 */
export function NodeSettingsForm({ data }: { data: NodeDetail }) {
  const n = data.node;
  const qc = useQueryClient();
  const router = useRouter();
  const fromFile = n.source === "config";
  const draft = useSettingsDraft(data);
  const { fields, read } = draft;
  const [problem, setProblem] = useState<string | null>(null);
  const [intervalProblem, setIntervalProblem] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const done = () => qc.invalidateQueries({ queryKey: nodePageQueries.all(n.id) });
  const patch = useNodePatch(n.id);
  const act = useMutation({
    mutationFn: ({ action }: { action: "delete" | "pause" | "resume" }) => changeNode(n.id, action),
    onMutate: () => {
      setProblem(null);
      setSaved(false);
    },
    onError: (e) => setProblem(e.message),
    onSuccess: (_r, { action }) => (action === "delete" ? router.push("/") : void done()),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsedTags = parseTags(fields.tags);
    if (typeof parsedTags === "string") return setProblem(parsedTags);
    const body: Record<string, unknown> = { latency_threshold_ms: numberOrNull(fields.threshold), parent: fields.parent.trim() === "" ? null : fields.parent.trim(), tags: parsedTags };
    for (const [k, v] of [["failures_before_down", fields.failures], ["successes_before_up", fields.successes]] as const) if (v.trim() !== "") body[k] = Number(v);
    const changed = changedIntervals(read.intervals, fields.intervals);
    if (changed) body.intervals = changed;
    setProblem(null);
    setIntervalProblem({});
    setSaved(false);
    patch.mutate(
      { body, version: read.version },
      {
        onSuccess: () => (draft.saved(), setSaved(true)),
        onError: (e) => {
          if (isStale(e)) return;
          // an interval's problem under its check's field, anything else under the form
          const { byCheck, rest } = intervalProblems(e.message);
          setIntervalProblem(byCheck);
          if (rest.length) setProblem(rest.join("; "));
        },
      },
    );
  };
  const reload = async () => {
    patch.reset();
    await qc.refetchQueries({ queryKey: nodePageQueries.all(n.id), exact: true });
    const fresh = qc.getQueryData<NodeDetail>(nodePageQueries.all(n.id));
    if (fresh) draft.fill(fresh);
  };
  const input = (key: "threshold" | "failures" | "successes" | "parent" | "tags") => ({ className: INPUT, value: fields[key], readOnly: fromFile, onChange: (e: { target: { value: string } }) => draft.set(key, e.target.value) });

  return (
    <section aria-label="node settings" className="flex flex-col gap-3 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <h2 className="text-xs font-semibold uppercase tracking-wider text-slate-400">Settings</h2>
      {fromFile && <p className="text-xs text-amber-200">Defined in the nodes file: saving is refused by the server, which names the file and line to edit. Pause and resume work.</p>}
      <form onSubmit={submit} className="grid grid-cols-1 gap-3 text-xs sm:grid-cols-2">
        <Labelled label="Latency threshold (ms)">
          <input {...input("threshold")} inputMode="decimal" placeholder="none" />
        </Labelled>
        <Labelled label="Failures before down">
          <input {...input("failures")} inputMode="numeric" placeholder="3" />
        </Labelled>
        <Labelled label="Successes before up">
          <input {...input("successes")} inputMode="numeric" placeholder="2" />
        </Labelled>
        <Labelled label="Parent (node key)">
          <input {...input("parent")} placeholder="none" />
        </Labelled>
        <Labelled label="Tags (key=value, comma separated)">
          <input {...input("tags")} placeholder="site=fra1, tier=edge" />
        </Labelled>
        <CheckIntervals checks={read.intervals} values={fields.intervals} onChange={(id, v) => draft.set("intervals", { ...fields.intervals, [id]: v })} problems={intervalProblem} readOnly={fromFile} />
        <div className="flex flex-wrap items-center gap-2 sm:col-span-2">
          <button type="submit" className={BUTTON} disabled={act.isPending || patch.isPending}>
            Save settings
          </button>
          {saved && <span className="text-emerald-300">Saved.</span>}
        </div>
      </form>
      {isStale(patch.error) && <StaleNotice error={patch.error} onReload={() => void reload()} />}
      {problem && (
        <p role="alert" className="break-words text-sm text-red-300">
          {problem}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2 border-t border-slate-800 pt-3">
        {n.paused ? (
          <button type="button" className={BUTTON} disabled={act.isPending} onClick={() => act.mutate({ action: "resume" })}>
            Resume checks
          </button>
        ) : (
          <button type="button" className={BUTTON} disabled={act.isPending} onClick={() => act.mutate({ action: "pause" })}>
            Pause checks
          </button>
        )}
        {!confirming ? (
          <button type="button" className={`${BUTTON} ml-auto border-red-800 text-red-300`} onClick={() => setConfirming(true)}>
            Delete node…
          </button>
        ) : (
          <span className="ml-auto flex flex-wrap items-center gap-2 text-xs text-red-200">
            Delete {n.key} with its checks and history?
            <button type="button" className={`${BUTTON} border-red-700 bg-red-900/40 text-red-100`} disabled={act.isPending} onClick={() => act.mutate({ action: "delete" })}>
              Delete for good
            </button>
            <button type="button" className={BUTTON} onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        )}
      </div>
    </section>
  );
}

export function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex min-w-0 flex-col gap-1 text-slate-400">
      {label}
      {children}
    </label>
  );
}
