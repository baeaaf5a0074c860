import { memo } from "react";
import { topGroups, type GroupSlice } from "@/lib/live/apply-security";
import { count as countText } from "@/components/ui/format";

function GroupTable({ title, rows }: { title: string; rows: { key: string; count: number }[] }) {
  return (
    <div className="min-w-0">
      <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wider text-slate-400">{title}</h3>
      <ol className="flex flex-col gap-0.5">
        {rows.map((r) => (
          <li key={r.key} className="grid grid-cols-[minmax(0,1fr)_auto] gap-2 text-xs">
            <span className="truncate text-slate-100" title={r.key.slice(0, 500)}>
              {r.key}
            </span>
            <span className="font-mono tabular-nums text-slate-300">{countText(r.count)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** What a flood of events is made of: the last minute grouped by signature and by source, with counts. */
export const StormSummary = memo(function StormSummary({ groups, rate, onShowList }: { groups: readonly GroupSlice[]; rate: number; onShowList: () => void }) {
  const count = groups.reduce((n, g) => n + g.count, 0);
  return (
    <div role="region" aria-label="event storm" className="flex h-[26rem] flex-col gap-3 overflow-y-auto rounded-md border border-amber-700/50 bg-amber-950/20 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="rounded bg-amber-500/20 px-2 py-0.5 text-xs font-semibold uppercase tracking-wide text-amber-200">Storm</span>
        <span className="text-xs text-slate-300">
          {countText(rate)} events/s · {countText(count)} in the last minute, grouped
        </span>
        <button type="button" onClick={onShowList} className="ml-auto rounded bg-slate-800 px-2 py-1 text-xs text-slate-200 hover:bg-slate-700">
          Show the list
        </button>
      </div>
      <div className="grid grid-cols-1 gap-4 @xl:grid-cols-2">
        <GroupTable title="By signature" rows={topGroups(groups, "signatures", 10)} />
        <GroupTable title="By source" rows={topGroups(groups, "sources", 10)} />
      </div>
    </div>
  );
});
