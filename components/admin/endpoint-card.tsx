"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { notifyQueries } from "@/lib/queries/notify-queries";
import type { Delivery, EndpointListItem } from "@/lib/contracts/notify";
import { LocalTime } from "@/components/ui/time";
import { DeliveryStatusBadge, EndpointDeliveries, lastOutcome } from "./endpoint-deliveries";
import { EndpointForm } from "./endpoint-form";
import { dangerButtonClass, FormError, quietButtonClass } from "./ui";

/** One webhook endpoint: what it hears and where, its last delivery, and its actions. */
export function EndpointCard({ endpoint }: { endpoint: EndpointListItem }) {
  const client = useQueryClient();
  const [mode, setMode] = useState<"view" | "edit" | "confirm-delete">("view");
  const [history, setHistory] = useState(false);
  const refresh = () => void client.invalidateQueries({ queryKey: notifyQueries.all() });
  const base = `/api/v1/notifications/endpoints/${endpoint.id}`;

  const test = useMutation({
    mutationFn: () => fetchJson<{ delivery: Delivery }>(`${base}/test`, { method: "POST", body: "{}" }),
    onSettled: refresh,
  });
  const update = useMutation({
    mutationFn: (body: Record<string, unknown>) => fetchJson(base, { method: "PATCH", body: JSON.stringify(body) }),
    onSuccess: () => {
      setMode("view");
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => fetchJson(base, { method: "DELETE" }), onSuccess: refresh });

  const last = endpoint.last_delivery;
  const tested = test.data?.delivery;
  return (
    <li aria-label={`endpoint ${endpoint.name}`} className="rounded border border-slate-800 bg-slate-950/30 p-3">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 className="min-w-0 break-words font-semibold text-slate-100">{endpoint.name}</h3>
        <span className="text-xs text-slate-400">{endpoint.format === "slack" ? "Slack" : "generic JSON"}</span>
        <span className={`text-xs ${endpoint.enabled ? "text-emerald-300" : "text-slate-500"}`}>{endpoint.enabled ? "enabled" : "disabled"}</span>
      </div>
      <p className="mt-1 break-all font-mono text-xs text-slate-300">{endpoint.url}</p>
      <p className="mt-1 text-xs text-slate-400">
        {endpoint.events.length ? endpoint.events.join(", ") : "no events (only escalation pages it)"} · {endpoint.min_severity} and above
      </p>
      <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-400" data-testid="last-delivery">
        Last delivery:{" "}
        {last ? (
          <>
            <DeliveryStatusBadge status={last.status} />
            <span>{last.event}</span>
            <LocalTime ms={last.delivered_at ?? last.created_at} />
            {lastOutcome(last) && <span className="min-w-0 break-words font-mono">{lastOutcome(last)}</span>}
          </>
        ) : (
          "none yet"
        )}
      </p>

      {mode === "edit" ? (
        <div className="mt-3">
          <EndpointForm endpoint={endpoint} pending={update.isPending} error={update.error} onSubmit={(b) => update.mutate(b)} onCancel={() => setMode("view")} />
        </div>
      ) : (
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <button type="button" className={quietButtonClass} disabled={test.isPending} onClick={() => test.mutate()}>
            {test.isPending ? "Sending…" : "Send test"}
          </button>
          <button type="button" className={quietButtonClass} aria-expanded={history} onClick={() => setHistory((h) => !h)}>
            {history ? "Hide deliveries" : "Deliveries"}
          </button>
          <button type="button" className={quietButtonClass} onClick={() => setMode("edit")}>
            Edit
          </button>
          {mode === "confirm-delete" ? (
            <span className="flex flex-wrap items-center gap-2 text-xs text-slate-300">
              Delete {endpoint.name}? Its history is kept.
              <button type="button" className={dangerButtonClass} disabled={remove.isPending} onClick={() => remove.mutate()}>
                Yes, delete
              </button>
              <button type="button" className={quietButtonClass} onClick={() => setMode("view")}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className={dangerButtonClass} onClick={() => setMode("confirm-delete")}>
              Delete
            </button>
          )}
        </div>
      )}

      {tested && (
        <p role="status" aria-label="test result" className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-300">
          Test {tested.status === "delivered" ? "delivered" : "failed"}:
          <DeliveryStatusBadge status={tested.status} />
          <span className="min-w-0 break-words font-mono">
            {lastOutcome(tested)}
            {tested.attempts[0] ? ` in ${tested.attempts[0].duration_ms} ms` : ""}
          </span>
        </p>
      )}
      <div className="mt-2 empty:hidden">
        <FormError error={test.error ?? remove.error} />
      </div>
      {history && <EndpointDeliveries endpointId={endpoint.id} name={endpoint.name} />}
    </li>
  );
}
