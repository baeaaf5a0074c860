"use client";

import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { incidentQueries } from "@/lib/queries/live-queries";

/** How long an unsure count waits for more unsure deltas before one refetch settles them all. */
const REPAIR_DELAY_MS = 1_000;

/**
 * When the live fold could not count a delta exactly (`unsure`), fetches the active set again once
 * things calm down: the answer's counts are true, and the live stream carries on from its sequence.
 */
export function useCountRepair(unsure: boolean | undefined) {
  const client = useQueryClient();
  useEffect(() => {
    if (!unsure) return;
    const t = setTimeout(() => void client.refetchQueries({ queryKey: incidentQueries.active().queryKey, exact: true }), REPAIR_DELAY_MS);
    return () => clearTimeout(t);
  }, [unsure, client]);
}
