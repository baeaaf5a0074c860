"use client";

import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useMutation } from "@tanstack/react-query";
import { createNode, parseTags, type NodeChangeAnswer } from "@/lib/queries/node-queries";
import { useCan } from "@/components/ui/me-context";
import { Labelled } from "./node-settings";

const INPUT = "rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100";
const CHECK_TYPES = ["http", "tcp", "dns", "tls", "icmp", "push"] as const;
type CheckType = (typeof CHECK_TYPES)[number];
/** Each type's main field, as the check takes it. */
const MAIN: Record<CheckType, { label: string; placeholder: string } | null> = {
  http: { label: "URL", placeholder: "https://api.example/health" },
  tcp: { label: "Host:port", placeholder: "10.0.0.1:179" },
  dns: { label: "Name", placeholder: "api.example" },
  tls: { label: "Host", placeholder: "api.example" },
  icmp: { label: "Host", placeholder: "10.0.0.1" },
  push: null,
};

/** The one check the form makes, or a problem in words. */
function checkOf(type: CheckType, main: string, every: string): Record<string, unknown> | string {
  const v = main.trim();
  const check: Record<string, unknown> = { type };
  if (every.trim()) check.interval = every.trim();
  if (type === "push") return check;
  if (!v) return `the ${type} check needs its ${MAIN[type]!.label.toLowerCase()}`;
  if (type === "http") return { ...check, url: v };
  if (type === "dns") return { ...check, name: v };
  if (type === "tcp") {
    const m = /^(.+):(\d{1,5})$/.exec(v);
    if (!m) return "host:port, e.g. 10.0.0.1:179";
    return { ...check, host: m[1].replace(/^\[(.*)\]$/, "$1"), port: Number(m[2]) };
  }
  return { ...check, host: v };
}

/** /nodes/new: id, name, kind, parent, tags and one check → POST /api/v1/nodes; push URLs are shown once. */
export function NewNodePage() {
  const mayManage = useCan("nodes:manage");
  const [f, setF] = useState({ id: "", name: "", kind: "server", parent: "", tags: "", type: "tcp" as CheckType, main: "", every: "" });
  const [problem, setProblem] = useState<string | null>(null);
  const make = useMutation({ mutationFn: createNode, onError: (e) => setProblem(e.message) });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const tags = parseTags(f.tags);
    if (typeof tags === "string") return setProblem(tags);
    const check = checkOf(f.type, f.main, f.every);
    if (typeof check === "string") return setProblem(check);
    const body: Record<string, unknown> = { id: f.id.trim(), kind: f.kind.trim() || "server", tags, checks: [check] };
    if (f.name.trim()) body.name = f.name.trim();
    if (f.parent.trim()) body.parent = f.parent.trim();
    make.mutate(body);
  };

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
          <Labelled label="Check type">
            <select className={INPUT} value={f.type} onChange={set("type")}>
              {CHECK_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </Labelled>
          {MAIN[f.type] && (
            <Labelled label={`Check ${MAIN[f.type]!.label.toLowerCase()}`}>
              <input className={INPUT} value={f.main} onChange={set("main")} placeholder={MAIN[f.type]!.placeholder} />
            </Labelled>
          )}
          <Labelled label="Check interval">
            <input className={INPUT} value={f.every} onChange={set("every")} placeholder="1m" />
          </Labelled>
          <div className="sm:col-span-2">
            <button type="submit" disabled={make.isPending} className="rounded border border-slate-700 px-3 py-1 text-sm text-slate-200 hover:bg-slate-800 disabled:opacity-50">
              Create node
            </button>
          </div>
          {problem && (
            <p role="alert" className="break-words text-sm text-red-300 sm:col-span-2">
              {problem}
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
