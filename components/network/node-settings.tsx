"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { NodeDetail, NodeSettings } from "@/lib/contracts/network";
import { changeNode, formatTags, nodePageQueries, parseTags, type NodeChangeAnswer } from "@/lib/queries/node-queries";
import { isStale, StaleNotice, useNodePatch } from "./node-edit";

const INPUT = "rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100";
const BUTTON = "rounded border border-slate-700 px-3 py-1 text-sm text-slate-200 hover:bg-slate-800 disabled:opacity-50";

/** The version a form was filled from, with the settings it showed (compared as text). */
function baseOf(version: number | undefined, settings: NodeSettings | null | undefined, tags: Record<string, string> | undefined) {
  return { version, settings: JSON.stringify([settings ?? null, tags ?? {}]) };
}

/** The form's settings in a definition as the API answers it. */
function settingsOf(d: Record<string, unknown>): NodeSettings {
  const n = (k: string) => (typeof d[k] === "number" ? (d[k] as number) : null);
  return { parent: typeof d.parent === "string" ? d.parent : null, latency_threshold_ms: n("latency_threshold_ms"), failures_before_down: n("failures_before_down"), successes_before_up: n("successes_before_up") };
}

/** Blank → null (unset), else the number, or NaN for text that is not one. */
const numberOrNull = (s: string) => (s.trim() === "" ? null : Number(s));

/**
 * A node's settings for nodes:manage: threshold, failures/successes, interval, parent and tags
 * (PATCH), pause/resume, and delete after a confirm step. A config-file node is read-only here:
 * the server's 409 says which file and line to edit, and is shown as text.
 */
export function NodeSettingsForm({ data }: { data: NodeDetail }) {
  const n = data.node;
  const s = data.settings;
  const qc = useQueryClient();
  const router = useRouter();
  const fromFile = n.source === "config";
  const [threshold, setThreshold] = useState(s?.latency_threshold_ms?.toString() ?? "");
  const [failures, setFailures] = useState(s?.failures_before_down?.toString() ?? "");
  const [successes, setSuccesses] = useState(s?.successes_before_up?.toString() ?? "");
  const [interval, setEvery] = useState("");
  const [parent, setParent] = useState(s?.parent ?? "");
  const [tags, setTags] = useState(formatTags(n.tags));
  // the version the fields were filled from: a save is made on it, so a change made since is not
  // overwritten; a newer version that left these settings as they were (a check edited) is taken
  const [base, setBase] = useState(() => baseOf(data.definition?.version, data.settings, n.tags));
  const fresh = baseOf(data.definition?.version, data.settings, n.tags);
  if (fresh.version !== base.version && fresh.settings === base.settings) setBase(fresh);
  const version = base.version;
  /** Fills the fields from the node as read (after loading someone else's change). */
  const fill = (d: NodeDetail) => {
    setThreshold(d.settings?.latency_threshold_ms?.toString() ?? "");
    setFailures(d.settings?.failures_before_down?.toString() ?? "");
    setSuccesses(d.settings?.successes_before_up?.toString() ?? "");
    setParent(d.settings?.parent ?? "");
    setTags(formatTags(d.node.tags));
    setBase(baseOf(d.definition?.version, d.settings, d.node.tags));
  };
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const done = () => qc.invalidateQueries({ queryKey: ["nodes", "page", n.id] });
  const patch = useNodePatch(n.id);
  const act = useMutation({
    mutationFn: ({ action }: { action: "delete" | "pause" | "resume" }) => changeNode(n.id, action),
    onMutate: () => {
      setProblem(null);
      setSaved(false);
    },
    onError: (e) => setProblem(e.message),
    onSuccess: (r, { action }) => {
      if (action === "delete") return router.push("/");
      // pausing a heartbeat node makes it an API node: a new version that changed none of these settings
      const answer = r as NodeChangeAnswer;
      if (answer.version !== undefined) setBase((b) => (b.version === undefined || answer.version === b.version + 1 ? { ...b, version: answer.version } : b));
      void done();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsedTags = parseTags(tags);
    if (typeof parsedTags === "string") return setProblem(parsedTags);
    const body: Record<string, unknown> = { latency_threshold_ms: numberOrNull(threshold), parent: parent.trim() === "" ? null : parent.trim(), tags: parsedTags };
    for (const [k, v] of [["failures_before_down", failures], ["successes_before_up", successes]] as const) if (v.trim() !== "") body[k] = Number(v);
    if (interval.trim() !== "") body.interval = interval.trim();
    setProblem(null);
    setSaved(false);
    patch.mutate({ body, version }, { onSuccess: (answer) => (setBase(baseOf(answer.version, settingsOf(answer.definition), answer.node.tags)), setSaved(true)), onError: (e) => !isStale(e) && setProblem(e.message) });
  };
  const reload = async () => {
    patch.reset();
    await qc.refetchQueries({ queryKey: nodePageQueries.all(n.id), exact: true });
    const fresh = qc.getQueryData<NodeDetail>(nodePageQueries.all(n.id));
    if (fresh) fill(fresh);
  };

  return (
    <section aria-label="node settings" className="flex flex-col gap-3 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <h2 className="text-xs font-semibold uppercase tracking-wider text-slate-400">Settings</h2>
      {fromFile && <p className="text-xs text-amber-200">Defined in the nodes file: saving is refused by the server, which names the file and line to edit. Pause and resume work.</p>}
      <form onSubmit={submit} className="grid grid-cols-1 gap-3 text-xs sm:grid-cols-2">
        <Labelled label="Latency threshold (ms)">
          <input className={INPUT} inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} readOnly={fromFile} placeholder="none" />
        </Labelled>
        <Labelled label="Check interval (e.g. 30s, 5m)">
          <input className={INPUT} value={interval} onChange={(e) => setEvery(e.target.value)} readOnly={fromFile} placeholder="unchanged" />
        </Labelled>
        <Labelled label="Failures before down">
          <input className={INPUT} inputMode="numeric" value={failures} onChange={(e) => setFailures(e.target.value)} readOnly={fromFile} placeholder="3" />
        </Labelled>
        <Labelled label="Successes before up">
          <input className={INPUT} inputMode="numeric" value={successes} onChange={(e) => setSuccesses(e.target.value)} readOnly={fromFile} placeholder="2" />
        </Labelled>
        <Labelled label="Parent (node key)">
          <input className={INPUT} value={parent} onChange={(e) => setParent(e.target.value)} readOnly={fromFile} placeholder="none" />
        </Labelled>
        <Labelled label="Tags (key=value, comma separated)">
          <input className={INPUT} value={tags} onChange={(e) => setTags(e.target.value)} readOnly={fromFile} placeholder="site=fra1, tier=edge" />
        </Labelled>
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
