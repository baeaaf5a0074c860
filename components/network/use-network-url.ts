"use client";

import { useCallback, useMemo } from "react";
import { useSearchParams } from "next/navigation";
import { parseGroupBy } from "./grouping";

export type NetworkView = "tiles" | "topology";

/**
 * The network pane's view (`net_view=topology`) and grouping (`net_group=site`) in the page's URL,
 * so a link or a reload shows the same. Written with history.replaceState(null, …), which Next's router
 * follows (useSearchParams updates) without a server round trip for the page (a state holding
 * Next's own keys would bypass that).
 */
export function useNetworkUrl() {
  const params = useSearchParams();
  const search = params.toString();
  const state = useMemo(() => {
    const p = new URLSearchParams(search);
    return { view: (p.get("net_view") === "topology" ? "topology" : "tiles") as NetworkView, groupBy: parseGroupBy(p.get("net_group")) };
  }, [search]);
  const set = useCallback((patch: { view?: NetworkView; groupBy?: string | null }) => {
    const p = new URLSearchParams(window.location.search);
    if (patch.view !== undefined) {
      if (patch.view === "tiles") p.delete("net_view");
      else p.set("net_view", patch.view);
    }
    if (patch.groupBy !== undefined) {
      if (patch.groupBy === null) p.delete("net_group");
      else p.set("net_group", patch.groupBy);
    }
    const qs = p.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${qs ? `?${qs}` : ""}${window.location.hash}`);
  }, []);
  return { ...state, set };
}
