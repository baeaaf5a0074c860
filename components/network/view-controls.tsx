"use client";

import type { NetworkView } from "./use-network-url";

const SEGMENT = "px-2.5 py-1 text-xs font-medium";

/** "Tiles | Topology", and in the tiles view "Group by" (none, the preset tag keys, every tag key present). */
export function ViewControls({
  view,
  groupBy,
  keys,
  onView,
  onGroupBy,
}: {
  view: NetworkView;
  groupBy: string | null;
  keys: readonly string[];
  onView: (view: NetworkView) => void;
  onGroupBy: (key: string | null) => void;
}) {
  // a key from the URL that no loaded node has yet still shows as chosen
  const options = groupBy && !keys.includes(groupBy) ? [...keys, groupBy] : keys;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="network view" className="inline-flex overflow-hidden rounded border border-slate-700">
        {(["tiles", "topology"] as const).map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={view === v}
            onClick={() => onView(v)}
            className={`${SEGMENT} capitalize ${view === v ? "bg-slate-700 text-white" : "text-slate-300 hover:bg-slate-800"}`}
          >
            {v}
          </button>
        ))}
      </div>
      {view === "tiles" && (
        <label className="flex items-center gap-1.5 text-xs text-slate-400">
          Group by
          <select
            value={groupBy ?? ""}
            onChange={(e) => onGroupBy(e.target.value || null)}
            className="rounded border border-slate-700 bg-slate-950 px-1.5 py-1 text-xs text-slate-100"
          >
            <option value="">none</option>
            {options.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
