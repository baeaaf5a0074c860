"use client";

import { incidentOrder, INCIDENT_SORTS, type IncidentOrderKey, type IncidentSort, type SortOrder } from "@/lib/contracts/values/incidents";

/** The list's order as the URL holds it: `sort` (absent: newest) and `order` (absent: the sort's own). */
export interface SortParams {
  sort: string | null;
  order: string | null;
}

/** Changes to the URL's sort and order (null removes the parameter). */
export type SortChange = (next: SortParams) => void;

const LABELS: Record<IncidentSort, string> = {
  newest: "most recently active",
  oldest: "least recently active",
  last_seen: "last seen",
  severity: "severity, worst first",
  "age-open": "longest open",
  updated: "recently updated",
};

const isSort = (s: string | null): s is IncidentSort => s !== null && (INCIDENT_SORTS as readonly string[]).includes(s);
const isOrder = (o: string | null): o is SortOrder => o === "asc" || o === "desc";

/** The order the URL names (anything the server would refuse reads as the default). */
export function currentOrder(p: SortParams) {
  return incidentOrder(isSort(p.sort) ? p.sort : "newest", isOrder(p.order) && !["newest", "oldest", null].includes(p.sort) ? p.order : undefined);
}

const OFFERED: IncidentSort[] = ["newest", "oldest", "severity", "age-open", "updated"];

/** The sort select (the one control on a phone, where the header row is hidden); a sort from the URL the list does not offer by name still shows as chosen. */
export function SortSelect({ value, onChange }: { value: SortParams; onChange: SortChange }) {
  const sort = isSort(value.sort) ? value.sort : "newest";
  const order = isOrder(value.order) && !["newest", "oldest"].includes(sort) ? value.order : null;
  const current = order ? `${sort}:${order}` : sort;
  const offered: [string, string][] = OFFERED.map((s) => [s, LABELS[s]]);
  if (!offered.some(([v]) => v === current)) offered.push([current, order ? `${LABELS[sort]}, ${order === "asc" ? "ascending" : "descending"}` : LABELS[sort]]);
  return (
    <label className="flex items-center gap-1 text-xs text-slate-500">
      sort
      <select
        aria-label="sort"
        value={current}
        onChange={(e) => {
          const [s, o] = e.target.value.split(":");
          onChange({ sort: s === "newest" ? null : s, order: o ?? null });
        }}
        className="rounded border border-slate-700 bg-slate-950 px-2 py-1 text-xs text-slate-100"
      >
        {offered.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What a click on a column header asks for: the column's sort, or its reverse when it is already the order. */
const COLUMN: Partial<Record<IncidentOrderKey, { first: SortParams; second: SortParams }>> = {
  severity: { first: { sort: "severity", order: null }, second: { sort: "severity", order: "asc" } },
  // first seen, oldest first: the longest open
  first_seen: { first: { sort: "age-open", order: null }, second: { sort: "age-open", order: "asc" } },
  last_seen: { first: { sort: null, order: null }, second: { sort: "oldest", order: null } },
};

/**
 * A sortable column header: a button that sorts by the column (then reverses it), with aria-sort
 * saying the column's direction as shown (first seen ascending is the longest open first).
 */
export function SortHeader({ column, label, value, onChange, className = "" }: { column: "severity" | "first_seen" | "last_seen"; label: string; value: SortParams; onChange: SortChange; className?: string }) {
  const order = currentOrder(value);
  const active = order.key === column;
  const spec = COLUMN[column]!;
  const isFirst = active && JSON.stringify(currentOrder(spec.first)) === JSON.stringify(order);
  const next = active && isFirst ? spec.second : spec.first;
  const ariaSort = !active ? "none" : order.dir === "asc" ? "ascending" : "descending";
  return (
    <span role="columnheader" aria-sort={ariaSort} className={className}>
      <button type="button" onClick={() => onChange(next)} className={`inline-flex items-center gap-1 uppercase tracking-wider hover:text-slate-200 ${active ? "text-sky-300" : ""}`} title={`sort by ${label}`}>
        {label}
        <span aria-hidden="true">{!active ? "↕" : order.dir === "desc" ? "↓" : "↑"}</span>
      </button>
    </span>
  );
}
