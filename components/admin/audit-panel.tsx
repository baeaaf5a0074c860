"use client";

import { useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { adminQueries, auditSearch, type AuditFilters } from "@/lib/queries/admin-queries";
import { fetchJson } from "@/lib/queries/fetch-json";
import type { AuditChainState } from "@/lib/contracts/access";
import { clockTime } from "@/components/ui/format";
import { inputClass, Notice, quietButtonClass, Table, Td } from "./ui";

const ACTIONS = ["", "sign_in", "sign_in_failed", "mfa_enabled", "mfa_disabled", "user_created", "role_changed", "user_disabled", "key_created", "key_revoked", "incident_acknowledged", "incident_resolved", "setting_changed", "setup_completed"];
const show = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));
const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 10)} ${clockTime(ms)}`;
const linkClass = "rounded border border-slate-600 px-3 py-1.5 text-sm text-slate-200 hover:bg-slate-800";

/** The audit log: chain state, filters, pages newest first, export. */
export function AuditPanel() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const { data, error, fetchNextPage, hasNextPage, isFetchingNextPage } = useInfiniteQuery(adminQueries.audit(filters));
  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value || undefined }));
  const entries = data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div>
      <ChainStatus />
      {error && <Notice tone="error">{error.message}</Notice>}
      <div className="mb-3 flex flex-wrap gap-2">
        <select aria-label="filter by action" className={inputClass} value={filters.action ?? ""} onChange={set("action")}>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a || "any action"}
            </option>
          ))}
        </select>
        <input aria-label="filter by actor" placeholder="actor (exact)" className={inputClass} value={filters.actor ?? ""} onChange={set("actor")} />
        <input aria-label="search" placeholder="search target and values" className={inputClass} value={filters.q ?? ""} onChange={set("q")} />
        <a className={linkClass} href={`/api/v1/audit?${auditSearch(filters, { format: "csv" })}`}>
          Export CSV
        </a>
        <a className={linkClass} href={`/api/v1/audit?${auditSearch(filters, { format: "ndjson" })}`}>
          Export NDJSON
        </a>
      </div>
      <Table label="audit log" head={["#", "time", "actor", "action", "target", "from", "before → after"]}>
        {entries.map((e) => (
          <tr key={e.id}>
            <Td>{e.id}</Td>
            <Td>
              <span suppressHydrationWarning>{when(e.time)}</span>
            </Td>
            <Td>{e.actor}</Td>
            <Td>{e.action}</Td>
            <Td>{e.target ?? ""}</Td>
            <Td mono>{e.source_ip ?? ""}</Td>
            <Td mono>{[show(e.before), show(e.after)].filter(Boolean).join(" → ")}</Td>
          </tr>
        ))}
      </Table>
      {hasNextPage && (
        <div className="mt-3 flex items-center gap-3 text-sm text-slate-400">
          <button type="button" className={quietButtonClass} disabled={isFetchingNextPage} onClick={() => void fetchNextPage()}>
            {isFetchingNextPage ? "Loading…" : "Load older"}
          </button>
          {/* a filtered page looks at a bounded window of entries, so it may be short or empty */}
          <span>
            looked down to entry #{data?.pages.at(-1)?.next_before}
            {entries.length === 0 ? ": no matches yet" : ""}
          </span>
        </div>
      )}
    </div>
  );
}

/** Verified through #N of #M, the last full check, and "Verify now" with its progress. */
function ChainStatus() {
  const client = useQueryClient();
  const { data } = useQuery(adminQueries.auditChain());
  const start = useMutation({
    mutationFn: () => fetchJson<{ chain: AuditChainState }>("/api/v1/audit/verify", { method: "POST", body: "{}" }),
    onSuccess: (body) => client.setQueryData(adminQueries.auditChain().queryKey, body),
  });
  if (!data) return null;
  const { chain } = data;
  const { full } = chain;
  return (
    <div className="mb-3">
      {chain.broken ? (
        <Notice tone="error">
          Hash chain broken at entry #{chain.broken.id}: {chain.broken.reason}
        </Notice>
      ) : (
        <Notice tone="ok">
          Hash chain intact through entry #{chain.verified_through} of #{chain.head}
          {chain.verified_through < chain.head ? " (checking the newest entries…)" : "."}
        </Notice>
      )}
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-300">
        <span suppressHydrationWarning>
          {full.at === null
            ? "No full verification yet."
            : `Last full verification ${when(full.at)}: ${full.ok ? `intact, ${full.entries} entries` : `broken at entry #${full.broken_id}`}.`}
        </span>
        {full.running && full.progress ? (
          <span className="flex items-center gap-2">
            <progress aria-label="full verification progress" value={full.progress.checked} max={Math.max(full.progress.total, 1)} />
            checking {full.progress.checked} of {full.progress.total}
          </span>
        ) : (
          <button type="button" className={quietButtonClass} disabled={start.isPending} onClick={() => start.mutate()}>
            Verify now
          </button>
        )}
        {full.error && <span className="text-red-300">Last run failed: {full.error}</span>}
        {start.error && <span className="text-red-300">{start.error.message}</span>}
      </div>
    </div>
  );
}
