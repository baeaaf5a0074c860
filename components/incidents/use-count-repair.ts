"use client";

import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { incidentQueries } from "@/lib/queries/live-queries";

/** How long an unsure count waits for more unsure deltas before one refetch settles them all. */
const REPAIR_DELAY_MS = 1_000;
/** Repairs that follow each other within this long wait twice as long each time… */
const REPAIR_CALM_MS = 30_000;
/** …up to this: a flood of changes to rows the browser does not hold costs one refetch per 30 s. */
const REPAIR_MAX_DELAY_MS = 30_000;

/**
 * When the live fold could not count a delta exactly (`unsure`), fetches the active set again once
 * things calm down: the answer's counts are true, and the live stream carries on from its sequence.
 * Repairs in quick succession back off (1 s, 2 s, 4 s … 30 s), so a flood never makes a refetch storm.
 */
export function useCountRepair(unsure: boolean | undefined) {
  const client = useQueryClient();
  const last = useRef({ at: -Infinity, delay: 0 });
  useEffect(() => {
    if (!unsure) return;
    const now = Date.now();
    const delay = now - last.current.at < REPAIR_CALM_MS ? Math.min(REPAIR_MAX_DELAY_MS, Math.max(REPAIR_DELAY_MS, last.current.delay * 2)) : REPAIR_DELAY_MS;
    const t = setTimeout(() => {
      last.current = { at: Date.now(), delay };
      void client.refetchQueries({ queryKey: incidentQueries.active().queryKey, exact: true });
    }, delay);
    return () => clearTimeout(t);
  }, [unsure, client]);
}
