"use client";

import { useEffect, useRef } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { networkQueries } from "@/lib/queries/live-queries";
import { RECENT_CHECKS } from "@/lib/contracts/values/network";
import type { NodeTileView } from "@/lib/contracts/network";
import { latency } from "@/components/ui/format";
import { Ago, LocalTime } from "@/components/ui/time";
import { STATUS_STYLE } from "./status";
import { CheckStrip } from "./check-strip";
import { LatencyChart } from "./latency-chart";

const LISTED = 20;

/**
 * The detail of an opened tile, loaded on demand: its check strip, latency chart and last checks.
 * The tile's live fields (status, last check) come from the summary; the checks are refetched
 * when a new heartbeat for this node arrives.
 */
export function NodeDetailPanel({ tile, onClose }: { tile: NodeTileView; onClose: () => void }) {
  const { data, error, refetch } = useQuery(networkQueries.node(tile.id));
  const closeRef = useRef<HTMLButtonElement>(null);
  const style = STATUS_STYLE[tile.status];

  useEffect(() => {
    closeRef.current?.focus();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  // a newer check than the one loaded: fetch the strip again
  const loadedUpTo = data?.checks.at(-1)?.time ?? null;
  useEffect(() => {
    if (data && tile.last_check_at !== null && (loadedUpTo === null || tile.last_check_at > loadedUpTo)) void refetch();
  }, [tile.last_check_at, loadedUpTo, data, refetch]);

  const checks = data?.checks ?? [];
  return (
    <div className="fixed inset-0 z-40 flex justify-end bg-slate-950/60" onClick={onClose}>
      <aside
        role="dialog"
        aria-modal="true"
        aria-label={`node ${tile.name} detail`}
        onClick={(e) => e.stopPropagation()}
        className="flex h-full w-full flex-col gap-4 overflow-y-auto border-l border-slate-800 bg-slate-900 p-4 shadow-2xl sm:w-[30rem]"
      >
        <header className="flex items-start gap-3">
          <span className={`mt-1.5 h-3 w-3 shrink-0 rounded-full ${style.dot}`} aria-hidden />
          <div className="min-w-0 flex-1">
            <h3 className="break-words text-base font-semibold text-slate-100">{tile.name}</h3>
            <p className="break-all font-mono text-xs text-slate-400">{tile.key}</p>
          </div>
          <button ref={closeRef} type="button" onClick={onClose} className="rounded border border-slate-700 px-2 py-1 text-sm text-slate-300 hover:bg-slate-800">
            Close
          </button>
        </header>
        <Link href={`/nodes/${tile.id}`} className="self-start text-sm text-sky-300 hover:underline">
          Open node page →
        </Link>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-400">Status</dt>
          <dd className="font-medium text-slate-100" data-testid="detail-status">{style.label}</dd>
          <dt className="text-slate-400">Kind</dt>
          <dd className="break-words text-slate-200">{tile.kind.replace("_", " ")}{tile.critical ? " · critical" : ""}</dd>
          {data?.parent && (
            <>
              <dt className="text-slate-400">Depends on</dt>
              <dd className="break-words text-slate-200">{data.parent.name}</dd>
            </>
          )}
          <dt className="text-slate-400">Last latency</dt>
          <dd className="font-mono text-slate-200">{latency(tile.last_latency_ms)}</dd>
          <dt className="text-slate-400">Last check</dt>
          <dd className="text-slate-200">{tile.last_check_at === null ? "never" : <Ago ms={tile.last_check_at} />}</dd>
        </dl>
        {error && <p className="text-sm text-red-400">Could not load the node&apos;s checks: {error.message}</p>}
        {!data && !error && <p className="text-sm text-slate-400">Loading checks…</p>}
        {data && (
          <>
            <section aria-label="recent checks" className="flex flex-col gap-2">
              <h4 className="text-xs font-semibold uppercase tracking-wider text-slate-400">Last {Math.min(RECENT_CHECKS, checks.length)} checks</h4>
              <CheckStrip checks={checks.slice(-RECENT_CHECKS)} />
            </section>
            <section className="flex flex-col gap-2">
              <h4 className="text-xs font-semibold uppercase tracking-wider text-slate-400">Latency (ms)</h4>
              {checks.length > 1 ? <LatencyChart checks={checks} stroke={style.stroke} /> : <p className="text-sm text-slate-400">Not enough checks for a chart yet.</p>}
            </section>
            <section className="flex flex-col gap-1">
              <h4 className="text-xs font-semibold uppercase tracking-wider text-slate-400">Latest</h4>
              <ol className="flex flex-col divide-y divide-slate-800 text-xs">
                {checks
                  .slice(-LISTED)
                  .reverse()
                  .map((c, i) => (
                    <li key={`${c.time}-${i}`} className="flex min-w-0 items-baseline gap-3 py-1">
                      <LocalTime ms={c.time} className="shrink-0 font-mono tabular-nums text-slate-400" />
                      <span className={`shrink-0 font-medium ${c.ok ? "text-emerald-400" : "text-red-400"}`}>{c.ok ? "ok" : "failed"}</span>
                      <span className="shrink-0 font-mono tabular-nums text-slate-200">{c.ok ? latency(c.latency_ms) : ""}</span>
                      {c.message && (
                        <span className="min-w-0 truncate text-slate-400" title={c.message}>
                          {c.message}
                        </span>
                      )}
                    </li>
                  ))}
              </ol>
            </section>
          </>
        )}
      </aside>
    </div>
  );
}
