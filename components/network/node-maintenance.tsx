"use client";

import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { nodePageQueries } from "@/lib/queries/node-queries";
import type { MaintenanceInput, NodeDetail } from "@/lib/contracts/network";
import { useCan } from "@/components/ui/me-context";
import { LocalTime } from "@/components/ui/time";
import { blankWindow, fieldProblems, WEEKDAYS, windowOf, type WindowDraft } from "./check-model";
import { BUTTON, Field, INPUT, isStale, SMALL_BUTTON, StaleNotice, useNodePatch } from "./node-edit";

const H = "text-xs font-semibold uppercase tracking-wider text-slate-400";

/** The browser's own IANA zone, and every zone it knows (for the suggestions). */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const zones = (): string[] => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
};

const instant = (v: string | number | undefined): number | null => {
  if (v === undefined) return null;
  const t = typeof v === "number" ? v : Date.parse(v);
  return Number.isFinite(t) ? t : null;
};

function WindowText({ w }: { w: MaintenanceInput }) {
  if (w.end !== undefined) {
    const start = instant(w.start);
    const end = instant(w.end);
    return (
      <span className="text-slate-200">
        once, {start === null ? String(w.start) : <LocalTime ms={start} />} → {end === null ? String(w.end) : <LocalTime ms={end} />}
      </span>
    );
  }
  return (
    <span className="text-slate-200">
      {w.days?.length ? w.days.join(", ") : "every day"} at {String(w.start)} for {String(w.duration)} <span className="text-slate-400">({w.tz})</span>
    </span>
  );
}

/**
 * A node's maintenance windows: one-off (start/end) or recurring (days, local time, duration and
 * an IANA zone), each with a reason. nodes:manage adds and removes them on an API or heartbeat
 * node (PATCH replaces the list; the server's 400 shows next to the field it names); a config
 * node's are read-only (its file is named in the checks section).
 */
export function NodeMaintenance({ data }: { data: NodeDetail }) {
  const def = data.definition ?? null;
  const list = def?.maintenance ?? [];
  const mayManage = useCan("nodes:manage");
  const fromFile = data.node.source === "config";
  const editable = mayManage && !fromFile && !(data as { removed?: boolean }).removed && def !== null;
  const save = useNodePatch(data.node.id);
  const qc = useQueryClient();
  const [draft, setDraft] = useState<WindowDraft | null>(null);
  const [problem, setProblem] = useState<{ index: number; message: string } | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);

  const send = (next: MaintenanceInput[], index: number, after?: () => void) => {
    setProblem(null);
    // the list and its version come from the same read of the node
    save.mutate({ body: { maintenance: next }, version: def?.version }, { onSuccess: () => (setRemoving(null), after?.()), onError: (e) => !isStale(e) && setProblem({ index, message: e.message }) });
  };
  const { fields, rest } = problem && draft ? fieldProblems(problem.message, "maintenance", list.length) : { fields: {} as Record<string, string>, rest: [] as string[] };
  // the recurring window's local time is its `start`; a one-off's `start` is an instant
  const shown = draft?.kind === "once" ? ["start", "end", "reason"] : ["days", "start", "duration", "tz", "reason"];
  for (const [k, v] of Object.entries(fields)) if (!shown.includes(k)) rest.push(k ? `${k}: ${v}` : v);
  const set = (k: keyof WindowDraft) => (e: { target: { value: string } }) => draft && setDraft({ ...draft, [k]: e.target.value });

  return (
    <section aria-label="maintenance" className="flex flex-col gap-3 rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <div className="flex flex-wrap items-baseline gap-2">
        <h2 className={H}>Maintenance windows</h2>
        {isStale(save.error) && (
          <div className="basis-full">
            <StaleNotice
              error={save.error}
              onReload={() => {
                save.reset();
                void qc.invalidateQueries({ queryKey: nodePageQueries.all(data.node.id) });
              }}
            />
          </div>
        )}
        {editable && !draft && (
          <button type="button" className={`${SMALL_BUTTON} ml-auto`} onClick={() => (setProblem(null), setDraft(blankWindow(browserZone())))}>
            Add window…
          </button>
        )}
      </div>
      <p className="text-[11px] text-slate-500">During a window the node is in maintenance: no incidents, and the time is left out of uptime.</p>
      {list.length === 0 ? (
        <p className="text-xs text-slate-400">No maintenance windows.</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-800 text-xs">
          {list.map((w, index) => (
            <li key={index} data-testid="maintenance-window" className="flex min-w-0 flex-wrap items-baseline gap-x-3 gap-y-1 py-1.5">
              <WindowText w={w} />
              {w.reason && <span className="min-w-0 break-words text-slate-400">— {w.reason}</span>}
              {editable && (
                <span className="ml-auto flex flex-wrap gap-2">
                  {removing === index ? (
                    <>
                      <button type="button" className={`${SMALL_BUTTON} border-red-700 text-red-200`} disabled={save.isPending} onClick={() => send(list.filter((_, i) => i !== index), index)}>
                        Remove for good
                      </button>
                      <button type="button" className={SMALL_BUTTON} onClick={() => setRemoving(null)}>
                        Keep it
                      </button>
                    </>
                  ) : (
                    <button type="button" className={`${SMALL_BUTTON} border-red-900 text-red-300`} onClick={() => setRemoving(index)}>
                      Remove…
                    </button>
                  )}
                </span>
              )}
              {problem && !draft && problem.index === index && (
                <p role="alert" className="basis-full break-words text-red-300">
                  {problem.message}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {draft && (
        <form
          aria-label="new maintenance window"
          onSubmit={(e) => {
            e.preventDefault();
            send([...list, windowOf(draft)], list.length, () => setDraft(null));
          }}
          className="grid grid-cols-1 gap-3 rounded border border-slate-700 bg-slate-950/40 p-3 text-xs sm:grid-cols-2"
        >
          <fieldset className="flex flex-wrap gap-4 text-slate-300 sm:col-span-2">
            <legend className="sr-only">Kind of window</legend>
            {(["once", "recurring"] as const).map((k) => (
              <label key={k} className="flex items-center gap-1.5">
                <input type="radio" name="kind" checked={draft.kind === k} onChange={() => setDraft({ ...draft, kind: k })} />
                {k === "once" ? "Once" : "Every week"}
              </label>
            ))}
          </fieldset>
          {draft.kind === "once" ? (
            <>
              <Field label="Starts (your local time)" problem={fields.start}>
                {(p) => <input id={p.id} type="datetime-local" className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={draft.start} onChange={set("start")} />}
              </Field>
              <Field label="Ends (your local time)" problem={fields.end}>
                {(p) => <input id={p.id} type="datetime-local" className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={draft.end} onChange={set("end")} />}
              </Field>
            </>
          ) : (
            <>
              <fieldset className="flex min-w-0 flex-col gap-1 text-slate-400 sm:col-span-2" aria-describedby={fields.days ? "window-days-problem" : undefined}>
                <legend className="mb-1">Days (none: every day)</legend>
                <div className="flex flex-wrap gap-x-3 gap-y-1 text-slate-300">
                  {WEEKDAYS.map((d) => (
                    <label key={d} className="flex items-center gap-1">
                      <input type="checkbox" checked={draft.days.includes(d)} onChange={(e) => setDraft({ ...draft, days: e.target.checked ? [...draft.days, d] : draft.days.filter((x) => x !== d) })} />
                      {d}
                    </label>
                  ))}
                </div>
                {fields.days && (
                  <p id="window-days-problem" data-testid="field-problem" className="text-red-300">
                    {fields.days}
                  </p>
                )}
              </fieldset>
              <Field label="Starts at (local to the zone)" problem={fields.start}>
                {(p) => <input id={p.id} type="time" className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={draft.time} onChange={set("time")} />}
              </Field>
              <Field label="Lasts (e.g. 2h, 90m)" problem={fields.duration}>
                {(p) => <input id={p.id} className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={draft.duration} onChange={set("duration")} />}
              </Field>
              <Field label="Time zone (IANA)" problem={fields.tz} wide>
                {(p) => (
                  <>
                    <input id={p.id} list="iana-zones" className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={draft.tz} onChange={set("tz")} placeholder="Europe/Berlin" />
                    <datalist id="iana-zones">
                      {zones().map((z) => (
                        <option key={z} value={z} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
            </>
          )}
          <Field label="Reason" problem={fields.reason} wide>
            {(p) => <input id={p.id} className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={draft.reason} onChange={set("reason")} placeholder="router firmware upgrade" />}
          </Field>
          {rest.length > 0 && (
            <p role="alert" className="break-words text-sm text-red-300 sm:col-span-2">
              {rest.join("; ")}
            </p>
          )}
          <div className="flex flex-wrap gap-2 sm:col-span-2">
            <button type="submit" className={BUTTON} disabled={save.isPending}>
              Add window
            </button>
            <button type="button" className={BUTTON} onClick={() => (setDraft(null), setProblem(null))}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {!mayManage && list.length > 0 && <p className="text-[11px] text-slate-500">Read-only: changing windows needs nodes:manage.</p>}
    </section>
  );
}
