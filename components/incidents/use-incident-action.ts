"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson, HttpError } from "@/lib/queries/fetch-json";
import { incidentQueries } from "@/lib/queries/live-queries";
import { applyIncidents, type LiveIncidents } from "@/lib/live/apply";
import type { Incident } from "@/lib/contracts/incidents";

export type IncidentActionKind = "ack" | "resolve" | "take";

/** Acknowledge or resolve, sending the version seen so a lost race comes back as a conflict. */
export function useIncidentAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ incident, action, note, me }: { incident: Incident; action: IncidentActionKind; note?: string; me?: string }) =>
      fetchJson<{ incident: Incident }>(`/api/v1/incidents/${incident.id}/${action === "take" ? "assign" : action}`, {
        method: "POST",
        body: JSON.stringify({ version: incident.version, ...(note ? { note } : {}), ...(action === "take" ? { assignee: me } : {}) }),
      }),
    // the answer is folded like a delta (the counts move with it); the delta itself then changes nothing
    onSuccess: ({ incident }) => {
      client.setQueryData<LiveIncidents>(incidentQueries.active().queryKey, (old) => (old ? applyIncidents(old, [{ type: "incident", incident }]) : old));
    },
    // a lost race (409) carries the winner's state: shown at once, before its delta arrives
    onError: (error) => {
      const incident = isConflict(error) ? (error.body as { incident?: Incident }).incident : undefined;
      if (incident) client.setQueryData<LiveIncidents>(incidentQueries.active().queryKey, (old) => (old ? applyIncidents(old, [{ type: "incident", incident }]) : old));
    },
  });
}

/** Someone else changed the incident first: not a failure, news of who holds it. */
export function isConflict(error: unknown): error is HttpError {
  return error instanceof HttpError && error.status === 409;
}
