"use client";

import { useId, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { HttpError } from "@/lib/queries/fetch-json";
import { changeNode, nodePageQueries, type NodeChangeAnswer } from "@/lib/queries/node-queries";
import { CHECK_TYPES, COMMON_FIELDS, TYPE_FIELDS, type CheckDraft, type CheckType, type FieldDef } from "./check-model";

// Shared by the node page's check and maintenance editors: the PATCH that replaces a list, and
// the form pieces (a labelled field with the server's word about it underneath).

export const INPUT = "w-full min-w-0 rounded border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-slate-100 aria-[invalid=true]:border-red-500";
export const BUTTON = "rounded border border-slate-700 px-3 py-1 text-sm text-slate-200 hover:bg-slate-800 disabled:opacity-50";
export const SMALL_BUTTON = "rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-200 hover:bg-slate-800 disabled:opacity-50";

/**
 * PATCH /api/v1/nodes/:id on the definition's `version` the change was made on (the server
 * refuses it with 409 version_conflict when another change came since); the page's data is read
 * again after.
 */
export function useNodePatch(nodeId: number) {
  const qc = useQueryClient();
  const key = nodePageQueries.all(nodeId);
  return useMutation({
    mutationFn: ({ body, version }: { body: Record<string, unknown>; version: number | undefined }) =>
      changeNode(nodeId, "patch", version === undefined ? body : { ...body, version }) as Promise<NodeChangeAnswer>,
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
}

/** Whether a save was refused because someone changed the node since the page read it. */
export const isStale = (e: unknown): e is HttpError => e instanceof HttpError && e.status === 409 && e.code === "version_conflict";

/** The 409 of a save made on an old version: who changed the node and when, and a way to load their change. */
export function StaleNotice({ error, onReload }: { error: HttpError; onReload: () => void }) {
  return (
    <div role="alert" data-testid="stale-notice" className="flex flex-col gap-2 rounded border border-amber-600 bg-amber-950/40 p-3 text-sm text-amber-100">
      <p className="font-semibold">Not saved: this node was changed by someone else after you opened it.</p>
      <p className="break-words text-amber-200">{error.message.replace(/: reload it and make your change again$/, ".")}</p>
      <p className="text-amber-200">Load their change, then make yours again.</p>
      <button type="button" className={`${BUTTON} self-start border-amber-600`} onClick={onReload}>
        Load their change
      </button>
    </div>
  );
}

/** A form field: its label, the control, and under it the server's problem with it, tied by aria-describedby. */
export function Field({ label, problem, children, wide }: { label: string; problem?: string; wide?: boolean; children: (p: { id: string; invalid: boolean; describedBy?: string }) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={`flex min-w-0 flex-col gap-1 text-slate-400 ${wide ? "sm:col-span-2" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, invalid: !!problem, describedBy: problem ? errorId : undefined })}
      {problem && (
        <p id={errorId} data-testid="field-problem" className="break-words text-red-300">
          {problem}
        </p>
      )}
    </div>
  );
}

function Control({ f, value, onChange, p }: { f: FieldDef; value: string; onChange: (v: string) => void; p: { id: string; invalid: boolean; describedBy?: string } }) {
  const common = { id: p.id, className: INPUT, "aria-invalid": p.invalid, "aria-describedby": p.describedBy };
  if (f.kind === "select")
    return (
      <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">default ({f.options![0]})</option>
        {f.options!.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  return <input {...common} value={value} inputMode={f.kind === "number" ? "decimal" : undefined} placeholder={f.placeholder} onChange={(e) => onChange(e.target.value)} />;
}

/** The fields of a check's type, then timing and judgement, then enabled: for a two-column grid. */
export function CheckFields({ draft, onChange, problems }: { draft: CheckDraft; onChange: (d: CheckDraft) => void; problems: Record<string, string> }) {
  const set = (key: string) => (v: string) => onChange({ ...draft, values: { ...draft.values, [key]: v } });
  const field = (f: FieldDef) => (
    <Field key={f.key} label={f.label} problem={problems[f.key]} wide={f.key === "url"}>
      {(p) => <Control f={f} value={draft.values[f.key] ?? ""} onChange={set(f.key)} p={p} />}
    </Field>
  );
  return (
    <>
      {TYPE_FIELDS[draft.type].map(field)}
      <h4 className="pt-1 text-[11px] font-semibold uppercase tracking-wider text-slate-500 sm:col-span-2">Timing and judgement (blank: the defaults)</h4>
      {COMMON_FIELDS.map(field)}
      <label className="flex items-center gap-2 text-slate-300 sm:col-span-2">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => onChange({ ...draft, enabled: e.target.checked })} />
        Enabled
      </label>
    </>
  );
}

/**
 * One check's form: its type (a new check only), id, the type's fields and the common ones, and
 * enabled. Problems come keyed by field name, as the server's 400 names them.
 */
export function CheckForm({
  draft,
  onChange,
  isNew,
  problems,
  rest,
  pending,
  onSubmit,
  onCancel,
}: {
  draft: CheckDraft;
  onChange: (d: CheckDraft) => void;
  isNew: boolean;
  problems: Record<string, string>;
  rest: string[];
  pending: boolean;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  return (
    <form
      aria-label={isNew ? "new check" : `edit check ${draft.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      className="grid grid-cols-1 gap-3 rounded border border-slate-700 bg-slate-950/40 p-3 text-xs sm:grid-cols-2"
    >
      {isNew ? (
        <Field label="Check type" problem={problems.type}>
          {(p) => (
            <select id={p.id} className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={draft.type} onChange={(e) => onChange({ ...draft, type: e.target.value as CheckType })}>
              {CHECK_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <p className="text-slate-300">
          <span className="font-mono font-semibold">{draft.type}</span> check <span className="font-mono">{draft.id}</span>
        </p>
      )}
      {isNew ? (
        <Field label="Check id (optional)" problem={problems.id}>
          {(p) => <input id={p.id} className={INPUT} aria-invalid={p.invalid} aria-describedby={p.describedBy} value={draft.id} placeholder={`${draft.type}`} onChange={(e) => onChange({ ...draft, id: e.target.value })} />}
        </Field>
      ) : (
        problems.id && <p className="break-words text-red-300">{problems.id}</p>
      )}
      {draft.type === "push" && isNew && <p className="text-slate-400 sm:col-span-2">Vigil makes the push URL and shows it once, after saving.</p>}
      <CheckFields draft={draft} onChange={onChange} problems={problems} />
      {Object.keys(draft.extra).length > 0 && <p className="text-slate-500 sm:col-span-2">Kept as they are: {Object.keys(draft.extra).join(", ")} (edit them in the API or the nodes file).</p>}
      {rest.length > 0 && (
        <p role="alert" className="break-words text-sm text-red-300 sm:col-span-2">
          {rest.join("; ")}
        </p>
      )}
      <div className="flex flex-wrap gap-2 sm:col-span-2">
        <button type="submit" className={BUTTON} disabled={pending}>
          {isNew ? "Add check" : "Save check"}
        </button>
        <button type="button" className={BUTTON} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
