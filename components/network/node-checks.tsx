"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { RECENT_CHECKS, type DetailCheck, type NodeDetail } from "@/lib/contracts/network";
import { nodePageQueries } from "@/lib/queries/node-queries";
import { latency } from "@/components/ui/format";
import { Ago, LocalTime } from "@/components/ui/time";
import { CheckStrip } from "./check-strip";
import { useNodeIncidentsLive } from "./use-node-live";

const H = "text-xs font-semibold uppercase tracking-wider text-slate-400";
const interval = (ms: number | null) => (ms === null ? "—" : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** The node's checks (type, target, interval, last result and error) and its check strip (the latency chart is NodeLatency, from the roll-ups). */
export function NodeChecks({ data }: { data: NodeDetail }) {
  const checks = data.checks;
  const probes = data.probes ?? [];
  const lastOf = (name: string): DetailCheck | undefined => checks.findLast((c) => c.check === name);
  return (
    <section aria-label="checks" className="flex flex-col gap-3 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <h2 className={H}>Checks</h2>
      {probes.length === 0 ? (
        <p className="text-xs text-slate-400">Vigil runs no checks for this node: it is judged by the heartbeats it pushes.</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-800 text-xs">
          {probes.map((p) => {
            const last = lastOf(p.name);
            return (
              <li key={p.name} data-testid="node-check" className="flex min-w-0 flex-wrap items-baseline gap-x-3 gap-y-0.5 py-1.5">
                <span className="font-mono font-semibold text-slate-100">{p.type}</span>
                <span className="min-w-0 break-all font-mono text-slate-300">{p.target ?? "push URL"}</span>
                <span className="text-slate-400">every {interval(p.interval_ms)}</span>
                {!p.enabled && <span className="text-slate-500">disabled</span>}
                <span className={`ml-auto ${!last ? "text-slate-500" : last.ok ? "text-emerald-400" : "text-red-400"}`}>
                  {!last ? "not run yet" : last.ok ? `ok ${latency(last.latency_ms)}` : "failed"}
                  {last && (
                    <>
                      {" "}
                      <Ago ms={last.time} />
                    </>
                  )}
                </span>
                {last && !last.ok && (last.error ?? last.message) && <span className="basis-full break-words text-red-300">{last.error ?? last.message}</span>}
              </li>
            );
          })}
        </ul>
      )}
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
