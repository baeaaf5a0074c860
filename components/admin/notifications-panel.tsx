"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { notifyQueries } from "@/lib/queries/notify-queries";
import type { Endpoint } from "@/lib/contracts/notify";
import { EndpointCard } from "./endpoint-card";
import { EndpointForm } from "./endpoint-form";
import { EscalationEditor } from "./escalation-editor";
import { buttonClass, Notice, quietButtonClass } from "./ui";

const headingClass = "mb-2 text-xs font-semibold uppercase tracking-wider text-slate-400";

/** Notifications: the webhook endpoints and the escalation policy per severity. */
export function NotificationsPanel() {
  return (
    <div className="flex flex-col gap-6">
      <EndpointsSection />
      <section aria-label="escalation policy">
        <h2 className={headingClass}>Escalation policy</h2>
        <EscalationEditor />
      </section>
    </div>
  );
}

function EndpointsSection() {
  const client = useQueryClient();
  const { data, error } = useQuery(notifyQueries.endpoints());
  const [adding, setAdding] = useState(false);
  // the new endpoint's secret lives only here, only until dismissed: never in the query cache
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => fetchJson<{ endpoint: Endpoint; secret: string }>("/api/v1/notifications/endpoints", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: ({ endpoint, secret }) => {
      setCreated({ name: endpoint.name, secret });
      setAdding(false);
      void client.invalidateQueries({ queryKey: notifyQueries.all() });
    },
  });
  return (
    <section aria-label="webhook endpoints">
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <h2 className={headingClass.replace("mb-2 ", "")}>Webhook endpoints</h2>
        {!adding && (
          <button type="button" className={`${buttonClass} ml-auto`} onClick={() => setAdding(true)}>
            New endpoint
          </button>
        )}
      </div>
      <p className="mb-3 text-xs text-slate-500">
        Each delivery is a signed POST (X-Vigil-Signature: HMAC-SHA256 of the timestamp and body under the endpoint&apos;s secret), retried with backoff (10 s, 30 s, 2 min, 10 min, 1 h) until it is answered with a 2xx.
      </p>
      {created && (
        <Notice tone="ok">
          <span className="block">
            Signing secret of <span className="font-semibold">{created.name}</span>, shown only now: copy it to the receiver.
          </span>
          <code aria-label="new endpoint secret" className="mt-1 block select-all break-all font-mono text-xs">
            {created.secret}
          </code>
          <button type="button" className={`${quietButtonClass} mt-2`} onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </Notice>
      )}
      {error && <Notice tone="error">{error.message}</Notice>}
      {adding && (
        <div className="mb-3">
          <EndpointForm pending={create.isPending} error={create.error} onSubmit={(b) => create.mutate(b)} onCancel={() => setAdding(false)} />
        </div>
      )}
      {data && data.endpoints.length === 0 && !adding && <p className="text-sm text-slate-400">No endpoints yet: nobody outside this console is told about incidents.</p>}
      <ul aria-label="endpoints" className="flex flex-col gap-2">
        {data?.endpoints.map((e) => <EndpointCard key={e.id} endpoint={e} />)}
      </ul>
    </section>
  );
}
