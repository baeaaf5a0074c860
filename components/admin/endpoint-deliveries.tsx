"use client";

import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { notifyQueries } from "@/lib/queries/notify-queries";
import type { Delivery, DeliveryStatus } from "@/lib/contracts/notify";
import { LocalTime } from "@/components/ui/time";
import { Notice, quietButtonClass } from "./ui";

const STATUS_STYLE: Record<DeliveryStatus, string> = {
  delivered: "bg-emerald-500/20 text-emerald-200",
  failed: "bg-red-500/20 text-red-200",
  pending: "bg-amber-500/20 text-amber-200",
  cancelled: "bg-slate-800 text-slate-300",
};

/** A delivery's status as a small coloured label. */
export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <span className={`rounded px-1.5 py-0.5 text-[11px] font-semibold uppercase ${STATUS_STYLE[status]}`}>{status}</span>;
}

/** "HTTP 200 in 12 ms" or the error, of a delivery's last attempt (plain text). */
export function lastOutcome(d: Pick<Delivery, "last_status_code" | "last_error">): string {
  if (d.last_error) return d.last_status_code !== null ? `HTTP ${d.last_status_code}: ${d.last_error}` : d.last_error;
  return d.last_status_code !== null ? `HTTP ${d.last_status_code}` : "";
}

/** One endpoint's delivery history, newest first, paged by the API's cursor. */
export function EndpointDeliveries({ endpointId, name }: { endpointId: number; name: string }) {
  const { data, error, isPending, fetchNextPage, hasNextPage, isFetchingNextPage } = useInfiniteQuery(notifyQueries.deliveries(endpointId));
  const deliveries = data?.pages.flatMap((p) => p.deliveries) ?? [];
  return (
    <div className="mt-2 border-t border-slate-800 pt-2">
      {error && <Notice tone="error">{error.message}</Notice>}
      {!isPending && deliveries.length === 0 && <p className="text-xs text-slate-500">Nothing sent to this endpoint yet.</p>}
      <ol aria-label={`deliveries to ${name}`} className="flex flex-col divide-y divide-slate-800/70 text-xs">
        {deliveries.map((d) => (
          <li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-0.5 py-1.5">
            <span className="tabular-nums text-slate-400">
              <LocalTime ms={d.created_at} />
            </span>
            <DeliveryStatusBadge status={d.status} />
            <span className="text-slate-200">
              {d.event}
              {d.level !== null && <span className="text-slate-400"> · level {d.level}</span>}
            </span>
            {d.incident_id !== null ? (
              <Link href={`/incidents/${d.incident_id}`} className="text-sky-300 hover:underline">
                incident #{d.incident_id}
              </Link>
            ) : (
              <span className="text-slate-500">no incident</span>
            )}
            <span className="text-slate-400">
              {d.attempts.length} attempt{d.attempts.length === 1 ? "" : "s"}
            </span>
            {d.next_attempt_at !== null && (
              <span className="text-slate-500">
                next at <LocalTime ms={d.next_attempt_at} date={false} />
              </span>
            )}
            {lastOutcome(d) && <span className="min-w-0 basis-full break-words font-mono text-slate-400 sm:basis-auto">{lastOutcome(d)}</span>}
          </li>
        ))}
      </ol>
      {hasNextPage && (
        <button type="button" className={`${quietButtonClass} mt-2`} disabled={isFetchingNextPage} onClick={() => void fetchNextPage()}>
          {isFetchingNextPage ? "Loading…" : "Load older deliveries"}
        </button>
      )}
    </div>
  );
}
