"use client";

import type { ReactNode } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { NodeDetail } from "@/lib/contracts/network";
import { nodePageQueries } from "@/lib/queries/node-queries";
import { HttpError } from "@/lib/queries/fetch-json";
import { useCan } from "@/components/ui/me-context";
import { UserMenu } from "@/components/ui/user-menu";
import { ConnectionBadge } from "@/components/live/live-sync";
import { latency } from "@/components/ui/format";
import { Ago, LocalTime } from "@/components/ui/time";
import { STATUS_STYLE } from "./status";
import { NodeChecks, NodeIncidents } from "./node-checks";
import { NodeSettingsForm } from "./node-settings";
import { NodeLatency } from "./node-latency";
import { NodeUptime } from "./node-uptime";
import { NodeOutages } from "./node-outages";
import { NodeMaintenance } from "./node-maintenance";
import { useNodeLive } from "./use-node-live";

/**
 * One node on its own page: status since when and why, tags, parent, source, paused; uptime over
 * 24 h / 7 d / 30 d and a chosen range with the SLA CSV (the node's, or a tag's), the latency chart
 * from the roll-ups, its checks with their settings, maintenance windows, outages and incidents;
 * and, for nodes:manage, editing the checks and windows, its settings, pause/resume, delete and
 * the export of every node as YAML. It follows the live
 * stream: a status change, a new check or an incident shows without a reload.
 */
export function NodePage({ id }: { id: number }) {
  const { data, error } = useQuery(nodePageQueries.detail(id));
  useNodeLive(id, data);
  const mayManage = useCan("nodes:manage");
  return (
    <div className="mx-auto flex min-h-dvh max-w-5xl flex-col gap-4 p-3 sm:p-5">
      <header className="flex flex-wrap items-center gap-3 text-xs">
        <Link href="/" className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
          ← Console
        </Link>
        {mayManage && (
          <Link href="/nodes/new" className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
            New node
          </Link>
        )}
        {mayManage && (
          <a href="/api/v1/nodes/export" download className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
            Export all nodes (YAML)
          </a>
        )}
        <ConnectionBadge />
        <div className="ml-auto hidden sm:block">
          <UserMenu />
        </div>
      </header>
      {error && (
        <p role="alert" className="text-sm text-red-300">
          {error instanceof HttpError && error.status === 404 ? `Node ${id} does not exist.` : `Could not load node ${id}: ${error.message}`}
        </p>
      )}
      {data?.removed && (
        <p role="alert" className="text-sm text-amber-300">
          This node was deleted; what is shown is what it was.
        </p>
      )}
      {data && (
        <>
          <Overview data={data} />
          <NodeUptime id={id} tags={data.node.tags ?? {}} />
          <NodeLatency id={id} stroke={STATUS_STYLE[data.node.status].stroke} />
          <NodeChecks data={data} />
          <NodeMaintenance data={data} />
          <NodeOutages id={id} />
          <NodeIncidents nodeKey={data.node.key} />
          {mayManage ? <NodeSettingsForm data={data} /> : <p className="text-xs text-slate-500">You may read this node but not change it (nodes:manage).</p>}
        </>
      )}
    </div>
  );
}

function Overview({ data }: { data: NodeDetail }) {
  const n = data.node;
  const style = STATUS_STYLE[n.status];
  const tags = Object.entries(n.tags ?? {});
  return (
    <section aria-label="node" className="flex flex-col gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className={`h-3 w-3 shrink-0 rounded-full ${style.dot}`} aria-hidden />
        <span data-testid="node-status" className="text-sm font-semibold text-slate-100">
          {style.label}
        </span>
        {n.paused && <span data-testid="node-paused" className="rounded bg-slate-700 px-2 py-0.5 text-xs font-semibold uppercase text-slate-200">paused</span>}
        <span className="text-xs text-slate-500">#{n.id}</span>
      </div>
      <h1 className="break-words text-lg font-semibold text-slate-100">{n.name}</h1>
      <p className="break-all font-mono text-xs text-slate-400">{n.key}</p>
      {n.reason && <p className="break-words text-sm text-slate-300">{n.reason}</p>}
      <dl className="grid grid-cols-[7rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs sm:grid-cols-[7rem_minmax(0,1fr)_7rem_minmax(0,1fr)]">
        <Field k="since">{n.since ? <><LocalTime ms={n.since} /> (<Ago ms={n.since} />)</> : "—"}</Field>
        <Field k="kind">{n.kind.replace("_", " ")}{n.critical ? " · critical" : ""}</Field>
        <Field k="source">
          <span data-testid="node-source">{n.source ?? "heartbeat"}</span>
        </Field>
        <Field k="depends on">
          {data.parent ? (
            <Link href={`/nodes/${data.parent.id}`} className="text-sky-300 hover:underline">
              {data.parent.name}
            </Link>
          ) : (
            <span className="text-slate-500">nothing</span>
          )}
        </Field>
        <Field k="last latency">{latency(n.last_latency_ms)}</Field>
        <Field k="last check">{n.last_check_at === null ? "never" : <Ago ms={n.last_check_at} />}</Field>
        <Field k="threshold">
          <span data-testid="node-threshold">{data.settings?.latency_threshold_ms != null ? `${data.settings.latency_threshold_ms} ms` : "none"}</span>
        </Field>
        <Field k="tags">
          {tags.length === 0 ? (
            <span className="text-slate-500">none</span>
          ) : (
            <span className="flex flex-wrap gap-1">
              {tags.map(([k, v]) => (
                <span key={k} className="break-all rounded bg-slate-800 px-1.5 font-mono text-slate-200">
                  {k}={v}
                </span>
              ))}
            </span>
          )}
        </Field>
      </dl>
    </section>
  );
}

function Field({ k, children }: { k: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-400">{k}</dt>
      <dd className="min-w-0 break-words text-slate-200">{children}</dd>
    </>
  );
}
