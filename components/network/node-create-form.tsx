"use client";

import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { createNode, parseTags, type NodeChangeAnswer } from "@/lib/queries/node-queries";
import { useCan } from "@/components/ui/me-context";
import { Labelled } from "./node-settings";
import { CHECK_TYPES, checkOf, COMMON_FIELDS, draftOf, fieldProblems, TYPE_FIELDS, type CheckDraft, type CheckType } from "./check-model";
import { CheckFields, Field, INPUT } from "./node-edit";

/**
 * /nodes/new: id, name, kind, parent, tags and a first check with every setting of its type
 * (or none: a node judged by its heartbeats) → POST /api/v1/nodes. The server's 400 is shown next
 * to the check field it names; push URLs are shown once. More checks and maintenance windows are
 * added on the node's page.
 */
export function NewNodePage() {
  const mayManage = useCan("nodes:manage");
  const [f, setF] = useState({ id: "", name: "", kind: "server", parent: "", tags: "" });
  const [check, setCheck] = useState<CheckDraft | null>(draftOf(null, "tcp"));
  const [problem, setProblem] = useState<string | null>(null);
  const make = useMutation({ mutationFn: createNode, onError: (e) => setProblem(e.message) });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const tags = parseTags(f.tags);
    if (typeof tags === "string") return setProblem(tags);
    const body: Record<string, unknown> = { id: f.id.trim(), kind: f.kind.trim() || "server", tags, checks: check ? [checkOf(check)] : [] };
    if (f.name.trim()) body.name = f.name.trim();
    if (f.parent.trim()) body.parent = f.parent.trim();
    make.mutate(body);
  };
  // the server's word on the check, beside its fields; the rest under the form
  const split = problem ? fieldProblems(problem, "checks", 0) : { fields: {} as Record<string, string>, rest: [] as string[] };
  const shown = new Set(check ? ["type", "id", ...TYPE_FIELDS[check.type].map((x) => x.key), ...COMMON_FIELDS.map((x) => x.key)] : []);
  const checkProblems = Object.fromEntries(Object.entries(split.fields).filter(([k]) => shown.has(k)));
  const rest = [...split.rest, ...Object.entries(split.fields).filter(([k]) => !shown.has(k)).map(([k, v]) => (k ? `checks.0.${k}: ${v}` : v))];

  return (
    <div className="mx-auto flex min-h-dvh max-w-3xl flex-col gap-4 p-3 sm:p-5">
      <header className="flex flex-wrap items-center gap-3 text-xs">
        <Link href="/" className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
          ← Console
        </Link>
      </header>
      <h1 className="text-lg font-semibold text-slate-100">New node</h1>
      {!mayManage && <p className="text-sm text-slate-400">Making nodes needs nodes:manage (noc, admin).</p>}
      {mayManage && make.data && <Created answer={make.data} />}
      {mayManage && !make.data && (
        <form onSubmit={submit} aria-label="new node" className="grid grid-cols-1 gap-3 rounded-lg border border-slate-800 bg-slate-900/60 p-4 text-xs sm:grid-cols-2">
          <Labelled label="Id (node key)">
            <input className={INPUT} required value={f.id} onChange={set("id")} placeholder="edge-router-1" />
          </Labelled>
          <Labelled label="Name">
            <input className={INPUT} value={f.name} onChange={set("name")} placeholder="the id" />
          </Labelled>
          <Labelled label="Kind">
            <input className={INPUT} value={f.kind} onChange={set("kind")} />
          </Labelled>
          <Labelled label="Parent (node key)">
            <input className={INPUT} value={f.parent} onChange={set("parent")} placeholder="none" />
          </Labelled>
          <Labelled label="Tags (key=value, comma separated)">
            <input className={INPUT} value={f.tags} onChange={set("tags")} placeholder="site=fra1" />
          </Labelled>
          <h2 className="pt-2 text-xs font-semibold uppercase tracking-wider text-slate-400 sm:col-span-2">First check (more on the node&apos;s page)</h2>
          <Field label="Check type" problem={checkProblems.type}>
            {(p) => (
              <select
                id={p.id}
                className={INPUT}
                aria-invalid={p.invalid}
                aria-describedby={p.describedBy}
                value={check?.type ?? ""}
                onChange={(e) => setCheck(e.target.value === "" ? null : { ...(check ?? draftOf(null)), type: e.target.value as CheckType })}
              >
                <option value="">none (judged by its heartbeats)</option>
                {CHECK_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            )}
          </Field>
          {check && (
            <Field label="Check id (optional)" problem={checkProblems.id}>
              {(p) => <input id={p.id} className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={check.id} placeholder={check.type} onChange={(e) => setCheck({ ...check, id: e.target.value })} />}
            </Field>
          )}
          {check && <CheckFields draft={check} onChange={setCheck} problems={checkProblems} />}
          <div className="sm:col-span-2">
            <button type="submit" disabled={make.isPending} className="rounded border border-slate-700 px-3 py-1 text-sm text-slate-200 hover:bg-slate-800 disabled:opacity-50">
              Create node
            </button>
          </div>
          {rest.length > 0 && (
            <p role="alert" className="break-words text-sm text-red-300 sm:col-span-2">
              {rest.join("; ")}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

function Created({ answer }: { answer: NodeChangeAnswer }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <section aria-label="node created" className="flex flex-col gap-2 rounded-lg border border-emerald-800 bg-emerald-950/30 p-4 text-sm">
      <p className="text-emerald-200">
        Node <span className="font-mono">{answer.node.key}</span> created.{" "}
        <Link href={`/nodes/${answer.node.id}`} className="text-sky-300 hover:underline">
          Open its page →
        </Link>
      </p>
      {answer.push_tokens.length > 0 && (
        <div className="flex flex-col gap-1">
          <p className="text-amber-200">Push URLs, shown this once (Vigil keeps only a hash of the token):</p>
          {answer.push_tokens.map((t) => (
            <code key={t.check} data-testid="push-url" className="break-all rounded bg-slate-950 p-2 font-mono text-xs text-slate-100">
              {origin}
              {t.url}
            </code>
          ))}
        </div>
      )}
    </section>
  );
}
