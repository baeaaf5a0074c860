"use client";

import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { RESOLUTION_REASONS } from "@/lib/contracts/values/incidents";
import type { BulkResult, Incident, ResponseFigures } from "@/lib/contracts/incidents";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { incidentWorkQueries, postBulk } from "@/lib/queries/incident-work";
import { fetchJson } from "@/lib/queries/fetch-json";
import { SeverityBadge } from "@/components/ui/severity";
import { Ago, useNow } from "@/components/ui/time";
import { useMe } from "@/components/ui/me-context";
import { UserMenu } from "@/components/ui/user-menu";
import { formatCount } from "./format";
import { SilencesPanel } from "./silences-panel";
import { SortHeader, SortSelect, type SortParams } from "./incident-sort";
import { count as countText } from "@/components/ui/format";

const STATUSES = ["active", "open", "acknowledged", "resolved", "all"] as const;
const KEYS = ["status", "severity", "pane", "rule", "assignee", "q", "since", "sort", "order"] as const;
const SINCE = [
  { label: "24 h", ms: 86_400_000 },
  { label: "7 d", ms: 7 * 86_400_000 },
  { label: "30 d", ms: 30 * 86_400_000 },
];
const ROW = 44;
const GRID = "grid-cols-[1.5rem_minmax(0,1fr)] md:grid-cols-[1.5rem_5rem_6.5rem_minmax(0,1fr)_10rem_6rem_6rem_4.5rem]";

type Selection = { mode: "ids"; ids: ReadonlySet<number> } | { mode: "filter" };

/**
 * Every incident, filtered on the server (status, severity, pane, rule, assignee, text) with the
 * filter in the URL and the true total; a virtual list paged by cursor; bulk actions on the rows
 * ticked or on everything the filter matches, run on the server in one transaction.
 */
export function IncidentsTable() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const me = useMe();
  const filter = useMemo(() => {
    const p = new URLSearchParams();
    for (const k of KEYS) {
      const v = params.get(k);
      if (v) p.set(k, v);
    }
    if (!p.has("status")) p.set("status", "active");
    return p;
  }, [params]);
  const filterKey = filter.toString();
  const update = (changes: Partial<Record<(typeof KEYS)[number], string | null>>) => {
    const p = new URLSearchParams(filterKey);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    if (p.get("status") === "active") p.delete("status");
    router.replace(p.size ? `${pathname}?${p}` : pathname, { scroll: false });
  };
  const set = (k: (typeof KEYS)[number], v: string | null) => update({ [k]: v });
  const sort: SortParams = { sort: filter.get("sort"), order: filter.get("order") };
  const setSort = (next: SortParams) => update(next);

  const list = useInfiniteQuery(incidentWorkQueries.list(filterKey));
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.incidents) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const [selection, setSelection] = useState<Selection>({ mode: "ids", ids: new Set() });
  useEffect(() => {
    setSelection({ mode: "ids", ids: new Set() });
  }, [filterKey]);
  const selectedCount = selection.mode === "filter" ? (total ?? 0) : selection.ids.size;
  const [outcome, setOutcome] = useState<{ action: string; r: BulkResult } | null>(null);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, getItemKey: (i) => rows[i]?.id ?? `i${i}`, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastShown >= rows.length - 20) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastShown, rows.length]);

  // keyboard: j/k move, x tick, a acknowledge, r resolve, Enter open, / search, ? help
  const [focus, setFocus] = useState(0);
  const [help, setHelp] = useState(false);
  const [keyMessage, setKeyMessage] = useState<string | null>(null);
  const client = useQueryClient();
  const keyAct = useMutation({
    mutationFn: ({ incident, verb }: { incident: Incident; verb: "ack" | "resolve" }) =>
      fetchJson<{ incident: Incident }>(`/api/v1/incidents/${incident.id}/${verb}`, { method: "POST", body: JSON.stringify({ version: incident.version }) }),
    onSuccess: ({ incident }, { verb }) => setKeyMessage(`#${incident.id} ${verb === "ack" ? "acknowledged" : "resolved"}`),
    onError: (e) => setKeyMessage(e.message),
    onSettled: () => client.invalidateQueries({ queryKey: ["incidents", "table"] }),
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.metaKey || e.ctrlKey || e.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      // Enter on a focused button or link (a sortable header, a filter) is that control's own
      if (e.key === "Enter" && t?.closest("button, a")) return;
      const current = rows[Math.min(focus, rows.length - 1)];
      const move = (d: number) => {
        e.preventDefault();
        const next = Math.max(0, Math.min(rows.length - 1, focus + d));
        setFocus(next);
        virtualizer.scrollToIndex(next, { align: "auto" });
      };
      if (e.key === "j") move(1);
      else if (e.key === "k") move(-1);
      else if (e.key === "/") {
        e.preventDefault();
        document.querySelector<HTMLInputElement>('input[aria-label="text"]')?.focus();
      } else if (e.key === "?") setHelp((h) => !h);
      else if (e.key === "Escape") setHelp(false);
      else if (!current) return;
      else if (e.key === "Enter") router.push(`/incidents/${current.id}`);
      else if (e.key === "x" && mayAct) toggle(current.id);
      else if (e.key === "a" && mayAct && current.status === "open") keyAct.mutate({ incident: current, verb: "ack" });
      else if (e.key === "r" && mayAct && current.status !== "resolved") keyAct.mutate({ incident: current, verb: "resolve" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });
  const toggle = (id: number) =>
    setSelection((s) => {
      const ids = new Set(s.mode === "ids" ? s.ids : rows.map((r) => r.id));
      if (!ids.delete(id)) ids.add(id);
      return { mode: "ids", ids };
    });
  const mayAct = !!me && !me.mfa_pending && me.permissions.some((p) => p.startsWith("incidents:"));

  return (
    <div className="mx-auto flex min-h-dvh max-w-[1600px] flex-col gap-3 p-3 md:h-dvh">
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-bold tracking-tight text-slate-100">
          <Link href="/" className="hover:text-sky-300">
            Vigil
          </Link>{" "}
          <span className="font-normal text-slate-400">· Incidents</span>
        </h1>
        <Link href="/" className="rounded px-2 py-1 text-xs text-slate-300 hover:bg-slate-800">
          ← Console
        </Link>
        <div className="ml-auto hidden sm:block">
          <UserMenu />
        </div>
      </header>
      <Filters filter={filter} set={set} me={me?.email ?? null} />
      {mayAct && selectedCount > 0 && (
        <BulkBar
          selection={selection}
          filter={filter}
          count={selectedCount}
          me={me!.email}
          onDone={(action, r) => {
            setOutcome({ action, r });
            setSelection({ mode: "ids", ids: new Set() });
          }}
        />
      )}
      {outcome && <BulkOutcome action={outcome.action} r={outcome.r} onClose={() => setOutcome(null)} />}
      {help && (
        <div role="dialog" aria-label="keyboard shortcuts" className="rounded-lg border border-slate-700 bg-slate-900 p-3 text-xs text-slate-300">
          <b className="text-slate-100">Keys</b>: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>Enter</kbd> open · <kbd>x</kbd> tick · <kbd>a</kbd> acknowledge · <kbd>r</kbd> resolve (fixed) · <kbd>/</kbd> search · <kbd>?</kbd> this help
        </div>
      )}
      {keyMessage && (
        <p role="status" aria-label="key action" className="text-xs text-sky-300">
          {keyMessage}
        </p>
      )}
      <div className="flex flex-wrap items-baseline gap-3 px-1 text-xs text-slate-400">
        <span role="status" aria-label="matching incidents">
          {total !== undefined ? (
            <>
              <b data-testid="incidents-total" className="text-base font-semibold tabular-nums text-slate-100">
                {countText(total)}
              </b>{" "}
              {total === 1 ? "incident" : "incidents"}
            </>
          ) : (
            "Loading…"
          )}
        </span>
        {total !== undefined && total > 0 && (
          <span className="flex gap-2">
            <a href={`/api/v1/incidents/export?format=csv&${filterKey}`} className="rounded px-2 py-0.5 text-sky-300 hover:bg-slate-800" download>
              Export CSV
            </a>
            <a href={`/api/v1/incidents/export?format=ndjson&${filterKey}`} className="rounded px-2 py-0.5 text-sky-300 hover:bg-slate-800" download>
              NDJSON
            </a>
          </span>
        )}
        <span className="ml-auto">
          <SortSelect value={sort} onChange={setSort} />
        </span>
        <button type="button" onClick={() => setHelp((h) => !h)} className="rounded px-2 py-0.5 text-slate-400 hover:bg-slate-800" aria-label="keyboard shortcuts">
          ? keys
        </button>
        {mayAct && total !== undefined && total > 0 && (
          <button
            type="button"
            onClick={() => setSelection((s) => (s.mode === "filter" ? { mode: "ids", ids: new Set() } : { mode: "filter" }))}
            className="rounded px-2 py-0.5 text-sky-300 hover:bg-slate-800"
          >
            {selection.mode === "filter" ? "Clear selection" : `Select all ${countText(total)} matching`}
          </button>
        )}
      </div>
      {list.error && (
        <p role="alert" className="text-sm text-red-300">
          Could not load incidents: {list.error.message}
        </p>
      )}
      <div role="table" aria-label="incidents" className="flex min-h-[24rem] flex-1 flex-col overflow-hidden rounded-lg border border-slate-800 bg-slate-950/60">
        <div role="row" className={`hidden ${GRID} gap-x-3 border-b border-slate-800 bg-slate-900 px-3 py-1.5 text-[11px] font-semibold uppercase tracking-wider text-slate-500 md:grid`}>
          <span />
          <SortHeader column="severity" label="severity" value={sort} onChange={setSort} />
          <span role="columnheader">status</span>
          <span role="columnheader">incident</span>
          <span role="columnheader">assignee</span>
          <SortHeader column="first_seen" label="first" value={sort} onChange={setSort} />
          <SortHeader column="last_seen" label="last" value={sort} onChange={setSort} />
          <span role="columnheader" className="text-right">
            count
          </span>
        </div>
        <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto">
          {list.data && rows.length === 0 && <p className="p-4 text-sm text-slate-400">No incident matches these filters.</p>}
          <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((v) => {
              const i = rows[v.index];
              if (!i) return null;
              const checked = selection.mode === "filter" || selection.ids.has(i.id);
              return <Row key={v.key} i={i} start={v.start} checked={checked} onToggle={toggle} mayAct={mayAct} focused={v.index === focus} />;
            })}
          </div>
        </div>
      </div>
      <SilencesPanel mayAct={mayAct} />
      <ResponseTimes />
    </div>
  );
}

function Row({ i, start, checked, onToggle, mayAct, focused }: { i: Incident; start: number; checked: boolean; onToggle: (id: number) => void; mayAct: boolean; focused: boolean }) {
  return (
    <div
      role="row"
      aria-label={`incident ${i.title}`}
      aria-current={focused ? "true" : undefined}
      className={`absolute left-0 top-0 grid w-full ${GRID} items-center gap-x-3 border-b border-slate-800/70 px-3 text-sm hover:bg-slate-900 ${focused ? "bg-slate-800/70 shadow-[inset_3px_0_0_#38bdf8]" : ""}`}
      style={{ height: ROW, transform: `translateY(${start}px)` }}
    >
      <input type="checkbox" checked={checked} disabled={!mayAct} onChange={() => onToggle(i.id)} aria-label={`select incident ${i.id}`} className="h-4 w-4 accent-sky-500" />
      <span role="cell" className="hidden md:block">
        <SeverityBadge severity={i.severity} />
      </span>
      <span role="cell" className="hidden text-xs text-slate-400 md:block">
        {i.status}
        {i.snoozed_until !== null && " (snoozed)"}
      </span>
      <span role="cell" className="flex min-w-0 items-center gap-2">
        <span className="md:hidden">
          <SeverityBadge severity={i.severity} />
        </span>
        <Link href={`/incidents/${i.id}`} className="min-w-0 truncate text-slate-100 hover:text-sky-300 hover:underline" title={i.title}>
          {i.title}
        </Link>
      </span>
      <span role="cell" className="hidden truncate text-xs text-slate-300 md:block">
        {i.assignee ?? <span className="text-slate-600">—</span>}
      </span>
      <span role="cell" className="hidden text-xs text-slate-400 md:block">
        <Ago ms={i.first_seen} />
      </span>
      <span role="cell" className="hidden text-xs text-slate-400 md:block">
        <Ago ms={i.last_seen} />
      </span>
      <span role="cell" className="hidden text-right text-xs tabular-nums text-slate-300 md:block">
        ×{formatCount(i.count)}
      </span>
    </div>
  );
}

function Filters({ filter, set, me }: { filter: URLSearchParams; set: (k: (typeof KEYS)[number], v: string | null) => void; me: string | null }) {
  const [q, setQ] = useState(filter.get("q") ?? "");
  const [rule, setRule] = useState(filter.get("rule") ?? "");
  useEffect(() => {
    setQ(filter.get("q") ?? "");
  }, [filter]);
  useEffect(() => {
    setRule(filter.get("rule") ?? "");
  }, [filter]);
  const status = filter.get("status") ?? "active";
  const severities = (filter.get("severity") ?? "").split(",").filter(Boolean);
  const assignee = filter.get("assignee");
  const chip = (on: boolean) => `rounded px-2 py-1 text-xs ${on ? "bg-sky-600 text-white" : "bg-slate-800 text-slate-300 hover:bg-slate-700"}`;
  const apply = (e: FormEvent) => {
    e.preventDefault();
    set("q", q.trim() || null);
  };
  return (
    <section aria-label="filters" className="flex flex-col gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div role="group" aria-label="status" className="flex flex-wrap gap-1">
          {STATUSES.map((s) => (
            <button key={s} type="button" aria-pressed={status === s} onClick={() => set("status", s)} className={chip(status === s)}>
              {s}
            </button>
          ))}
        </div>
        <div role="group" aria-label="severity" className="flex flex-wrap gap-1">
          {SEVERITIES.map((s) => {
            const on = severities.includes(s);
            const next = on ? severities.filter((x) => x !== s) : [...severities, s];
            return (
              <button key={s} type="button" aria-pressed={on} onClick={() => set("severity", next.join(",") || null)} className={chip(on)}>
                {s}
              </button>
            );
          })}
        </div>
        <div role="group" aria-label="pane" className="flex gap-1">
          {(["network", "security"] as const).map((p) => (
            <button key={p} type="button" aria-pressed={filter.get("pane") === p} onClick={() => set("pane", filter.get("pane") === p ? null : p)} className={chip(filter.get("pane") === p)}>
              {p}
            </button>
          ))}
        </div>
        <div role="group" aria-label="active in" className="flex items-center gap-1">
          <span className="text-xs text-slate-500">active in</span>
          {SINCE.map((r) => {
            const since = Number(filter.get("since") ?? NaN);
            // a preset is "on" when the stored since is within a minute of now − range at the time it was set
            const on = Number.isFinite(since) && Math.abs(Date.now() - r.ms - since) < r.ms / 2 && SINCE.every((o) => o === r || Math.abs(Date.now() - o.ms - since) >= Math.abs(Date.now() - r.ms - since));
            return (
              <button key={r.label} type="button" aria-pressed={on} onClick={() => set("since", on ? null : String(Math.floor((Date.now() - r.ms) / 60_000) * 60_000))} className={chip(on)}>
                {r.label}
              </button>
            );
          })}
        </div>
        <div role="group" aria-label="assignee" className="flex gap-1">
          {me && (
            <button type="button" aria-pressed={assignee === me} onClick={() => set("assignee", assignee === me ? null : me)} className={chip(assignee === me)}>
              mine
            </button>
          )}
          <button type="button" aria-pressed={assignee === "none"} onClick={() => set("assignee", assignee === "none" ? null : "none")} className={chip(assignee === "none")}>
            unassigned
          </button>
        </div>
      </div>
      <form onSubmit={apply} className="flex flex-wrap items-center gap-2">
        <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="words in the title, rule or entity" aria-label="text" maxLength={200} className="min-w-0 flex-1 basis-full sm:basis-auto rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 placeholder:text-slate-600 sm:max-w-sm" />
        <input
          value={rule}
          onChange={(e) => setRule(e.target.value)}
          onBlur={() => set("rule", rule.trim() || null)}
          placeholder="rule (e.g. brute_force)"
          aria-label="rule"
          maxLength={64}
          className="w-44 rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 placeholder:text-slate-600"
        />
        <button type="submit" className="rounded bg-sky-600 px-3 py-1 text-sm font-medium text-white hover:bg-sky-500">
          Apply
        </button>
      </form>
    </section>
  );
}

function BulkBar({ selection, filter, count, me, onDone }: { selection: Selection; filter: URLSearchParams; count: number; me: string; onDone: (action: string, r: BulkResult) => void }) {
  const client = useQueryClient();
  const [reason, setReason] = useState<(typeof RESOLUTION_REASONS)[number]>("fixed");
  const bulk = useMutation({
    mutationFn: (body: Record<string, unknown>) => {
      // "all matching" sends the list's own filter: the server selects, so nothing is capped by what was loaded
      const target = selection.mode === "filter" ? { filter: Object.fromEntries(filter) } : { ids: [...selection.ids] };
      return postBulk({ ...body, ...target });
    },
    onSuccess: (r, body) => {
      onDone(String(body.action), r);
      void client.invalidateQueries({ queryKey: ["incidents"] });
    },
  });
  const run = (body: Record<string, unknown>) => bulk.mutate(body);
  const btn = "rounded px-3 py-1 text-sm font-medium disabled:opacity-50";
  return (
    <section aria-label="bulk actions" className="flex flex-col gap-2 rounded-lg border border-sky-800/60 bg-sky-950/30 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-sky-100">
          <b className="tabular-nums">{countText(count)}</b> selected{selection.mode === "filter" ? " (every match of the filter)" : ""}
        </span>
        <button type="button" disabled={bulk.isPending} onClick={() => run({ action: "acknowledge" })} className={`${btn} bg-sky-700 text-white hover:bg-sky-600`}>
          Acknowledge
        </button>
        <button type="button" disabled={bulk.isPending} onClick={() => run({ action: "assign", assignee: me })} className={`${btn} bg-slate-700 text-slate-100 hover:bg-slate-600`}>
          Take
        </button>
        <button type="button" disabled={bulk.isPending} onClick={() => run({ action: "snooze", until: Date.now() + 3_600_000 })} className={`${btn} bg-slate-700 text-slate-100 hover:bg-slate-600`}>
          Snooze 1 h
        </button>
        <select value={reason} onChange={(e) => setReason(e.target.value as typeof reason)} aria-label="resolution reason" className="rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100">
          {RESOLUTION_REASONS.map((r) => (
            <option key={r} value={r}>
              {r.replace("_", " ")}
            </option>
          ))}
        </select>
        <button type="button" disabled={bulk.isPending} onClick={() => run({ action: "resolve", reason })} className={`${btn} border border-emerald-700 text-emerald-200 hover:bg-emerald-900/40`}>
          Resolve
        </button>
        {bulk.isPending && <span className="text-xs text-sky-300">working…</span>}
      </div>
      {bulk.error && (
        <p role="alert" className="text-sm text-amber-300">
          {bulk.error.message}
        </p>
      )}
    </section>
  );
}

function BulkOutcome({ action, r, onClose }: { action: string; r: BulkResult; onClose: () => void }) {
  return (
    <div className="flex items-start gap-2 rounded-lg border border-slate-800 bg-slate-900/60 p-3">
    <div role="status" aria-label="bulk result" className="min-w-0 flex-1 text-sm text-slate-200">
      {action}: {countText(r.matched)} matched, {countText(r.succeeded)} succeeded, {countText(r.failed.length)} failed
      {r.failed.length > 0 && (
        <ul className="mt-1 max-h-32 overflow-y-auto text-xs text-amber-200">
          {r.failed.slice(0, 50).map((f) => (
            <li key={f.id}>
              #{f.id}: {f.reason}
            </li>
          ))}
          {r.failed.length > 50 && <li>… and {countText(r.failed.length - 50)} more</li>}
        </ul>
      )}
    </div>
    <button type="button" onClick={onClose} className="rounded px-2 text-xs text-slate-400 hover:bg-slate-800 hover:text-slate-100">
      Dismiss
    </button>
    </div>
  );
}

const fmtDuration = (ms: number | null) => {
  if (ms === null) return "—";
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
};

/** MTTA and MTTR by severity over the last 28 days, and the active incidents most over their target. */
function ResponseTimes() {
  const now = useNow();
  const [anchor, setAnchor] = useState<number | null>(null);
  useEffect(() => {
    if (now !== null && anchor === null) setAnchor(now);
  }, [now, anchor]);
  const { data } = useQuery({ ...incidentWorkQueries.stats((anchor ?? 0) - 28 * 86_400_000, anchor ?? 0), enabled: anchor !== null });
  if (!data) return null;
  const rows = Object.entries(data.by_severity).sort(([a], [b]) => SEVERITIES.indexOf(a as never) - SEVERITIES.indexOf(b as never));
  return (
    <details className="rounded-lg border border-slate-800 bg-slate-900/60 p-3 text-sm" open={false}>
      <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wider text-slate-400">Response times, last 28 days</summary>
      <table className="mt-2 w-full text-left text-xs tabular-nums">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 font-normal">severity</th>
            <th className="font-normal">opened</th>
            <th className="font-normal">MTTA (median)</th>
            <th className="font-normal">MTTR (median)</th>
          </tr>
        </thead>
        <tbody className="text-slate-200">
          {rows.map(([s, f]: [string, ResponseFigures]) => (
            <tr key={s} className="border-t border-slate-800">
              <td className="py-1">{s}</td>
              <td>{countText(f.opened)}</td>
              <td>
                {fmtDuration(f.mtta_ms)} ({fmtDuration(f.mtta_median_ms)})
              </td>
              <td>
                {fmtDuration(f.mttr_ms)} ({fmtDuration(f.mttr_median_ms)})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.oldest_open.some((o) => o.over_target) && (
        <p className="mt-2 text-xs text-amber-300">
          {data.oldest_open.filter((o) => o.over_target).length} open incident(s) past their acknowledgement target, the oldest:{" "}
          {data.oldest_open
            .filter((o) => o.over_target)
            .slice(0, 3)
            .map((o) => (
              <Link key={o.id} href={`/incidents/${o.id}`} className="mr-2 underline">
                #{o.id} ({fmtDuration(o.age_ms)})
              </Link>
            ))}
        </p>
      )}
    </details>
  );
}
