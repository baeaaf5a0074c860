"use client";

import { useCallback, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { fetchGroupPage, incidentQueries } from "@/lib/queries/live-queries";
import { mergeIncidentPage, type LiveIncidents } from "@/lib/live/apply";
import type { IncidentGroup } from "@/lib/contracts/incidents";
import { groupId } from "./incident-items";

/** Loads further pages (`force` again from the same end) of a group's incidents into the live list, one request per group at a time. */
export function useGroupPages() {
  const client = useQueryClient();
  const inFlight = useRef(new Set<string>());
  // the cursor each group last loaded from: reaching the same end again, or an end the held limit
  // moved back (rows dropped for newer ones: lib/live/apply-incidents.ts), loads only on a click
  const loadedFrom = useRef(new Map<string, string | null>());
  const [loading, setLoading] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const load = useCallback(
    async (group: IncidentGroup, cursor: string | null, force = false) => {
      const id = groupId(group);
      if (inFlight.current.has(id)) return;
      if (!force && loadedFrom.current.has(id) && !further(cursor, loadedFrom.current.get(id) ?? null)) return;
      loadedFrom.current.set(id, cursor);
      inFlight.current.add(id);
      setLoading(new Set(inFlight.current));
      try {
        const page = await fetchGroupPage(group, cursor ?? undefined);
        client.setQueryData<LiveIncidents>(incidentQueries.active().queryKey, (old) => (old ? mergeIncidentPage(old, page.incidents) : old));
        setErrors(({ [id]: _, ...rest }) => rest);
      } catch (error) {
        setErrors((prev) => ({ ...prev, [id]: `Could not load more: ${(error as Error).message}` }));
      } finally {
        inFlight.current.delete(id);
        setLoading(new Set(inFlight.current));
      }
    },
    [client],
  );
  return { load, loading, errors };
}

/** Whether a group's cursor (`last_seen-id`, null at the start) lies past the one loaded from before. */
function further(cursor: string | null, before: string | null): boolean {
  if (cursor === null) return false;
  if (before === null) return true;
  const [a, b] = [cursor, before].map((c) => c.split("-").map(Number));
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
