"use client";

import { useEffect, useState, type FormEvent } from "react";
import { EVENT_KINDS } from "@/lib/contracts/values/events";
import { SEVERITIES } from "@/lib/contracts/values/common";
import { SEVERITY_COLORS } from "@/components/ui/severity";
import { DEFAULT_RANGE, RANGES, type TriageFilter } from "@/lib/queries/triage-queries";
import type { UrlPatch } from "./use-triage-url";

const TEXT_FIELDS = [
  { key: "q", label: "Text", placeholder: "any text: signature, message, account…" },
  { key: "src", label: "Source", placeholder: "IP address or host name" },
  { key: "user", label: "Account", placeholder: "user name" },
  { key: "signature", label: "Signature", placeholder: "exact signature" },
  { key: "service", label: "Service", placeholder: "sshd, suricata, payments…" },
] as const;

type TextKey = (typeof TEXT_FIELDS)[number]["key"];

const toggle = (list: string | undefined, value: string): string | null => {
  const set = new Set((list ?? "").split(",").filter(Boolean));
  if (set.has(value)) set.delete(value);
  else set.add(value);
  return set.size ? [...set].join(",") : null;
};

/** datetime-local value (viewer's zone) ↔ epoch ms. */
const toLocalInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/**
 * The filters, each reflected in the URL and run on the server: time range (presets or from/to),
 * severity and kind as toggles, the text fields applied together. On a phone the form folds away
 * behind one button that says how many filters are on.
 */
export function FilterBar({ filter, set }: { filter: TriageFilter; set: (patch: UrlPatch) => void }) {
  const [draft, setDraft] = useState<Record<TextKey, string>>(() => textDraft(filter));
  const [open, setOpen] = useState(false);
  const textKey = TEXT_FIELDS.map((f) => filter[f.key] ?? "").join("\u0000");
  // a pivot or a link changes the URL: the form follows it
  useEffect(() => {
    setDraft(textDraft(filter));
  }, [textKey]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    set(Object.fromEntries(TEXT_FIELDS.map((f) => [f.key, draft[f.key].trim() || null])));
    setOpen(false);
  };
  const range = filter.since || filter.until ? "custom" : (filter.range ?? DEFAULT_RANGE);
  const active = countActive(filter);
  return (
    <section aria-label="filters" className="rounded-lg border border-slate-800 bg-slate-900/60 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <div role="group" aria-label="time range" className="flex flex-wrap gap-1">
          {RANGES.map((r) => (
            <button
              key={r.id}
              type="button"
              aria-pressed={range === r.id}
              onClick={() => set({ range: r.id === DEFAULT_RANGE ? null : r.id, since: null, until: null })}
              className={`rounded px-2 py-1 text-xs ${range === r.id ? "bg-sky-600 text-white" : "bg-slate-800 text-slate-300 hover:bg-slate-700"}`}
            >
              {r.label}
            </button>
          ))}
          {range === "custom" && <span className="rounded bg-sky-600 px-2 py-1 text-xs text-white">custom range</span>}
        </div>
        <button
          type="button"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          className="ml-auto rounded bg-slate-800 px-2 py-1 text-xs text-slate-200 hover:bg-slate-700 md:hidden"
        >
          Filters{active > 0 ? ` (${active})` : ""}
        </button>
      </div>
      <div className={`${open ? "flex" : "hidden"} mt-2 flex-col gap-2 md:flex`}>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <div role="group" aria-label="severity" className="flex flex-wrap items-center gap-1">
            <span className="mr-1 text-xs text-slate-500">Severity</span>
            {SEVERITIES.map((s) => {
              const on = (filter.severity ?? "").split(",").includes(s);
              return (
                <button
                  key={s}
                  type="button"
                  aria-pressed={on}
                  onClick={() => set({ severity: toggle(filter.severity, s) })}
                  className={`inline-flex items-center gap-1 rounded px-2 py-1 text-xs ${on ? "bg-slate-200 text-slate-900" : "bg-slate-800 text-slate-300 hover:bg-slate-700"}`}
                >
                  <span className="h-2 w-2 rounded-sm" style={{ background: SEVERITY_COLORS[s] }} aria-hidden />
                  {s}
                </button>
              );
            })}
          </div>
          <div role="group" aria-label="kind" className="flex flex-wrap items-center gap-1">
            <span className="mr-1 text-xs text-slate-500">Kind</span>
            {EVENT_KINDS.map((k) => {
              const on = (filter.kind ?? "").split(",").includes(k);
              return (
                <button
                  key={k}
                  type="button"
                  aria-pressed={on}
                  onClick={() => set({ kind: toggle(filter.kind, k) })}
                  className={`rounded px-2 py-1 text-xs ${on ? "bg-slate-200 text-slate-900" : "bg-slate-800 text-slate-300 hover:bg-slate-700"}`}
                >
                  {k.replace("_", " ")}
                </button>
              );
            })}
          </div>
        </div>
        <form onSubmit={apply} className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1.5fr_1fr_auto]" aria-label="text filters">
          {TEXT_FIELDS.map((f) => (
            <label key={f.key} className="flex min-w-0 flex-col gap-0.5 text-[11px] text-slate-500">
              {f.label}
              <input
                name={f.key}
                value={draft[f.key]}
                onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
                placeholder={f.placeholder}
                maxLength={f.key === "signature" ? 1024 : 253}
                className="min-w-0 rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 placeholder:text-slate-600 focus:border-sky-500 focus:outline-none"
              />
            </label>
          ))}
          <div className="flex items-end gap-2">
            <button type="submit" className="rounded bg-sky-600 px-3 py-1 text-sm font-medium text-white hover:bg-sky-500">
              Apply
            </button>
          </div>
        </form>
        <CustomRange filter={filter} set={set} />
      </div>
      <ActiveChips filter={filter} set={set} />
    </section>
  );
}

function CustomRange({ filter, set }: { filter: TriageFilter; set: (patch: UrlPatch) => void }) {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  useEffect(() => {
    setFrom(filter.since && /^\d+$/.test(filter.since) ? toLocalInput(Number(filter.since)) : "");
    setTo(filter.until && /^\d+$/.test(filter.until) ? toLocalInput(Number(filter.until)) : "");
  }, [filter.since, filter.until]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const ms = (v: string) => (v ? String(new Date(v).getTime()) : null);
    set({ since: ms(from), until: ms(to), range: null });
  };
  return (
    <form onSubmit={apply} aria-label="custom time range" className="flex flex-wrap items-end gap-2 text-[11px] text-slate-500">
      <label className="flex flex-col gap-0.5">
        From (your time)
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 [color-scheme:dark]" />
      </label>
      <label className="flex flex-col gap-0.5">
        To
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 [color-scheme:dark]" />
      </label>
      <button type="submit" className="rounded bg-slate-800 px-3 py-1 text-sm text-slate-200 hover:bg-slate-700">
        Set range
      </button>
    </form>
  );
}

const CHIP_LABELS: Partial<Record<keyof TriageFilter, string>> = {
  incident: "evidence of incident",
  src: "source",
  dst: "destination",
  user: "account",
  signature: "signature",
  service: "service",
  q: "text",
  since: "from",
  until: "to",
};

/** What narrows the list, each removable in one click. */
function ActiveChips({ filter, set }: { filter: TriageFilter; set: (patch: UrlPatch) => void }) {
  const chips = (Object.keys(CHIP_LABELS) as (keyof TriageFilter)[]).filter((k) => filter[k] !== undefined);
  if (chips.length === 0) return null;
  return (
    <ul aria-label="active filters" className="mt-2 flex flex-wrap gap-1.5">
      {chips.map((k) => (
        <li key={k} className="inline-flex max-w-full items-center gap-1 rounded-full bg-sky-900/50 py-0.5 pl-2.5 pr-1 text-xs text-sky-100">
          <span className="text-sky-300">{CHIP_LABELS[k]}</span>
          <span className="truncate font-mono">{k === "incident" ? `#${filter[k]}` : (k === "since" || k === "until") && /^\d+$/.test(filter[k]!) ? new Date(Number(filter[k])).toLocaleString() : filter[k]}</span>
          <button type="button" onClick={() => set({ [k]: null })} aria-label={`remove ${CHIP_LABELS[k]} filter`} className="rounded-full px-1.5 text-sky-300 hover:bg-sky-800 hover:text-white">
            ×
          </button>
        </li>
      ))}
      {chips.length > 1 && (
        <li>
          <button type="button" onClick={() => set(Object.fromEntries(chips.map((k) => [k, null])))} className="rounded-full px-2 py-0.5 text-xs text-slate-400 hover:bg-slate-800 hover:text-slate-100">
            clear all
          </button>
        </li>
      )}
    </ul>
  );
}

function textDraft(f: TriageFilter): Record<TextKey, string> {
  return Object.fromEntries(TEXT_FIELDS.map((t) => [t.key, f[t.key] ?? ""])) as Record<TextKey, string>;
}

function countActive(f: TriageFilter): number {
  return (["kind", "severity", "src", "dst", "user", "signature", "service", "q", "incident"] as const).filter((k) => f[k] !== undefined).length;
}
