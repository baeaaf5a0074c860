"use client";

import { useCallback, useEffect, useMemo, useRef } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { readFilter, VIEWS, type TriageFilter, type TriageView } from "@/lib/queries/triage-queries";

export type UrlPatch = Partial<Record<keyof TriageFilter | "view" | "event", string | null>>;

/**
 * The triage pane's state lives in its URL: filters, the view (events or a grouping) and the open
 * event. A link or a reload shows the same thing; `set` replaces the entry (filters are not steps
 * of the history a reader goes back through one by one).
 */
export function useTriageUrl() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.toString();
  const state = useMemo(() => {
    const p = new URLSearchParams(search);
    const view = p.get("view");
    const event = Number(p.get("event"));
    return {
      filter: readFilter(p),
      view: (VIEWS as readonly string[]).includes(view ?? "") ? (view as TriageView) : "events",
      event: Number.isSafeInteger(event) && event > 0 ? event : null,
    };
  }, [search]);
  // the URL as last asked for: a change made before the previous one has rendered (a toggle, then
  // Apply at once) builds on it, instead of on the rendered URL, which would bring the undone filter back
  const latest = useRef(search);
  useEffect(() => {
    latest.current = search;
  }, [search]);
  const set = useCallback(
    (patch: UrlPatch) => {
      const p = new URLSearchParams(latest.current);
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === undefined || v === "") p.delete(k);
        else p.set(k, v);
      }
      const qs = p.toString();
      latest.current = qs;
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  return { ...state, set, search };
}
