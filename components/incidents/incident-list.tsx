"use client";

import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { incidentQueries } from "@/lib/queries/live-queries";
import { compareIncidents } from "@/lib/live/apply";
import { Pane } from "@/components/ui/pane";
import { useMe } from "@/components/ui/me-context";
import { IncidentCard } from "./incident-card";
import { useIncidentAction } from "./use-incident-action";

/** Incidents that still need a person, across both panes. */
export function IncidentList() {
  const { data, error } = useQuery(incidentQueries.active());
  const me = useMe();
  const action = useIncidentAction();
  const mayAct = (pane: string) => !!me && !me.mfa_pending && me.permissions.includes(`incidents:${pane}`);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const incidents = useMemo(() => (data?.incidents ?? []).slice().sort(compareIncidents), [data]);
  const open = incidents.filter((i) => i.status === "open").length;

  return (
    <Pane
      title="Incidents"
      label="Incidents"
      aside={
        <span className="text-xs tabular-nums text-slate-400">
          <span className={open ? "font-semibold text-red-400" : ""}>{open} open</span> · {incidents.length - open} acknowledged
        </span>
      }
    >
      {error && <p className="text-sm text-red-400">Could not load incidents: {error.message}</p>}
      {incidents.length === 0 ? (
        <p className="text-sm text-slate-400">No open incidents.</p>
      ) : (
        <ul className="flex max-h-72 flex-col gap-2 overflow-y-auto">
          {incidents.map((incident) => (
            <IncidentCard
              key={incident.id}
              incident={incident}
              mayAct={mayAct(incident.pane)}
              busy={action.isPending && action.variables?.incident.id === incident.id}
              error={errors[incident.id]}
              onAction={(kind) => {
                setErrors(({ [incident.id]: _, ...rest }) => rest);
                action.mutate(
                  { incident, action: kind },
                  { onError: (e) => setErrors((prev) => ({ ...prev, [incident.id]: e.message })) },
                );
              }}
            />
          ))}
        </ul>
      )}
    </Pane>
  );
}
