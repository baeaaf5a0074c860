"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { nodePageQueries, OUTAGE_PAGE } from "@/lib/queries/node-queries";
import { LocalTime, useNow } from "@/components/ui/time";
import { minutesText } from "./node-uptime";
import { count } from "@/components/ui/format";

const H = "text-xs font-semibold uppercase tracking-wider text-slate-400";

/** The node's outages (down or unreachable), newest first, a page at a time with the true total. */
export function NodeOutages({ id }: { id: number }) {
  const [offset, setOffset] = useState(0);
  const { data, error } = useQuery({ ...nodePageQueries.outages(id, offset), placeholderData: keepPreviousData });
  const total = data?.total ?? 0;
  // an ongoing outage grows with the clock, not with a reload
  const now = useNow();
  return (
    <section aria-label="outages" className="flex flex-col gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <h2 className={H}>Outages{data ? ` (${count(total)})` : ""}</h2>
      {error && <p className="text-xs text-red-300">Could not load outages: {error.message}</p>}
      {data && total === 0 && <p className="text-xs text-slate-400">No outage on record.</p>}
      {data && data.outages.length > 0 && (
        <table className="w-full table-fixed text-left text-xs">
          <thead className="text-slate-400">
            <tr>
              <th className="w-[34%] py-1 font-medium sm:w-[22%]">Start</th>
              <th className="hidden w-[22%] py-1 font-medium sm:table-cell">End</th>
              <th className="w-[22%] py-1 font-medium sm:w-[14%]">Duration</th>
              <th className="py-1 font-medium">Cause</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-800">
            {data.outages.map((o) => (
              <tr key={o.start} data-testid="outage-row" className="align-top">
                <td className="py-1 pr-2 font-mono text-slate-300"><LocalTime ms={o.start} /></td>
                <td className="hidden py-1 pr-2 font-mono text-slate-300 sm:table-cell">{o.end === null ? <span className="font-sans font-semibold text-red-300">ongoing</span> : <LocalTime ms={o.end} />}</td>
                <td className="py-1 pr-2 tabular-nums text-slate-200">{minutesText((o.end === null && now !== null ? Math.max(o.duration_ms, now - o.start) : o.duration_ms) / 60_000)}{o.end === null && <span className="text-red-300 sm:hidden"> ongoing</span>}</td>
                <td className="break-words py-1 text-slate-300">
                  {o.status === "unreachable" && <span className="mr-1 rounded bg-slate-700 px-1 text-slate-200">unreachable</span>}
                  {o.cause}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > OUTAGE_PAGE && (
        <div className="flex items-center gap-2 text-xs text-slate-400">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - OUTAGE_PAGE))} className="min-h-9 rounded border border-slate-700 px-3 disabled:opacity-40">
            Newer
          </button>
          <span>
            {offset + 1}–{Math.min(total, offset + OUTAGE_PAGE)} of {count(total)}
          </span>
          <button type="button" disabled={offset + OUTAGE_PAGE >= total} onClick={() => setOffset(offset + OUTAGE_PAGE)} className="min-h-9 rounded border border-slate-700 px-3 disabled:opacity-40">
            Older
          </button>
        </div>
      )}
    </section>
  );
}
