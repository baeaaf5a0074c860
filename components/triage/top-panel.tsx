"use client";

import { useQuery } from "@tanstack/react-query";
import type { SecurityTop, TopEntry } from "@/lib/contracts/events";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { triageQueries } from "@/lib/queries/triage-queries";
import { SEVERITY_COLORS } from "@/components/ui/severity";
import type { UrlPatch } from "./use-triage-url";
import { count } from "@/components/ui/format";

/**
 * Top sources, signatures and accounts over the time range (from the server's tallies), each a
 * one-click pivot; each list is ordered worst severity first, then by count, so a flood of
 * low-severity engine events sits below a handful of severe alerts.
 */
export function TopPanel({ since, until, pivot }: { since: number | null; until: number; pivot: (patch: UrlPatch) => void }) {
  const { data, error } = useQuery(triageQueries.top(since, until));
  return (
    <aside aria-label="top of the range" className="flex flex-col gap-3 rounded-lg border border-slate-800 bg-slate-900/60 p-3 text-sm">
      <div>
        <h2 className="text-xs font-semibold uppercase tracking-wider text-slate-400">In this range</h2>
        <p className="text-[11px] text-slate-500">Lists: worst severity first, then count</p>
      </div>
      {error && <p className="text-xs text-red-300">Could not load the top lists: {error.message}</p>}
      {data && (
        <>
          <SeverityBar counts={data.counts} />
          <TopList title="Top sources" entries={data.sources} onPick={(v) => pivot({ src: v, view: "events" })} mono />
          <TopList title="Top signatures" entries={data.signatures} onPick={(v) => pivot({ signature: v, view: "events" })} />
          <TopList title="Top accounts" entries={data.users} onPick={(v) => pivot({ user: v, view: "events" })} mono />
        </>
      )}
    </aside>
  );
}

function SeverityBar({ counts }: { counts: SecurityTop["counts"] }) {
  const total = SEVERITIES.reduce((n, s) => n + counts[s], 0);
  return (
    <div>
      <div className="mb-1 text-xs text-slate-400">
        <b className="tabular-nums text-slate-100">{count(total)}</b> events
      </div>
      <div className="flex h-2 overflow-hidden rounded bg-slate-800" aria-hidden>
        {total > 0 && SEVERITIES.map((s) => <div key={s} style={{ width: `${(100 * counts[s]) / total}%`, background: SEVERITY_COLORS[s] }} />)}
      </div>
      <ul aria-label="events by severity" className="mt-1 flex flex-wrap gap-x-3 text-[11px] tabular-nums text-slate-400">
        {SEVERITIES.map((s) => (
          <li key={s}>
            {s} <span className="text-slate-200">{count(counts[s])}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function TopList({ title, entries, onPick, mono = false }: { title: string; entries: TopEntry[]; onPick: (value: string) => void; mono?: boolean }) {
  // not the first entry's: the lists are in severity order, the largest may come later
  const max = entries.reduce((m, e) => Math.max(m, e.count), 1);
  return (
    <section aria-label={title.toLowerCase()}>
      <h3 className="mb-1 text-xs text-slate-500">{title}</h3>
      {entries.length === 0 ? (
        <p className="text-xs text-slate-600">none</p>
      ) : (
        <ol className="flex flex-col gap-0.5">
          {entries.map((e) => (
            <li key={e.value}>
              <button type="button" onClick={() => onPick(e.value)} title={e.value} className="group relative flex w-full items-center gap-2 overflow-hidden rounded px-1.5 py-0.5 text-left hover:bg-slate-800">
                <span className="absolute inset-y-0 left-0 bg-sky-500/10" style={{ width: `${(100 * e.count) / max}%` }} aria-hidden />
                <span className="relative h-2 w-2 shrink-0 rounded-sm" style={{ background: SEVERITY_COLORS[e.worst] }} aria-label={e.worst} />
                <span className={`relative min-w-0 flex-1 truncate text-xs text-slate-200 group-hover:text-sky-200 ${mono ? "font-mono" : ""}`}>{e.value}</span>
                <span className="relative text-xs tabular-nums text-slate-300">{count(e.count)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
