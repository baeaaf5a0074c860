"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { adminQueries, auditSearch, type AuditFilters } from "@/lib/queries/admin-queries";
import { clockTime } from "@/components/ui/format";
import { inputClass, Notice, Table, Td } from "./ui";

const ACTIONS = ["", "sign_in", "sign_in_failed", "mfa_enabled", "mfa_disabled", "user_created", "role_changed", "user_disabled", "key_created", "key_revoked", "incident_acknowledged", "incident_resolved", "setting_changed", "setup_completed"];
const show = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));

/** The audit log: filters, chain status, export. */
export function AuditPanel() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const { data, error } = useQuery(adminQueries.audit(filters));
  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value || undefined }));
  return (
    <div>
      {data && (data.chain.ok ? <Notice tone="ok">Hash chain intact over {data.chain.entries} entries.</Notice> : <Notice tone="error">Hash chain broken: {data.chain.reason}</Notice>)}
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
        <a className="rounded border border-slate-600 px-3 py-1.5 text-sm text-slate-200 hover:bg-slate-800" href={`/api/v1/audit?${auditSearch(filters, { format: "csv", limit: "10000" })}`}>
          Export CSV
        </a>
        <a className="rounded border border-slate-600 px-3 py-1.5 text-sm text-slate-200 hover:bg-slate-800" href={`/api/v1/audit?${auditSearch(filters, { format: "ndjson", limit: "10000" })}`}>
          Export NDJSON
        </a>
      </div>
      <Table label="audit log" head={["#", "time", "actor", "action", "target", "from", "before → after"]}>
        {data?.entries.map((e) => (
          <tr key={e.id}>
            <Td>{e.id}</Td>
            <Td>
              <span suppressHydrationWarning>{`${new Date(e.time).toISOString().slice(0, 10)} ${clockTime(e.time)}`}</span>
            </Td>
            <Td>{e.actor}</Td>
            <Td>{e.action}</Td>
            <Td>{e.target ?? ""}</Td>
            <Td mono>{e.source_ip ?? ""}</Td>
            <Td mono>{[show(e.before), show(e.after)].filter(Boolean).join(" → ")}</Td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
