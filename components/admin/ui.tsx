import type { ReactNode } from "react";

export const inputClass = "rounded border border-slate-700 bg-slate-950 px-2 py-1.5 text-sm text-slate-100 focus:border-sky-500 focus:outline-none";
export const buttonClass = "rounded bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-600 disabled:opacity-50";
export const quietButtonClass = "rounded border border-slate-600 px-2 py-1 text-xs text-slate-200 hover:bg-slate-800 disabled:opacity-50";

export function Table({ head, children, label }: { head: string[]; children: ReactNode; label: string }) {
  return (
    <div className="overflow-x-auto">
      <table aria-label={label} className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {head.map((h) => (
              <th key={h} className="px-2 py-1.5 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, mono = false }: { children: ReactNode; mono?: boolean }) {
  return <td className={`max-w-[22rem] truncate px-2 py-1.5 align-top text-slate-200 ${mono ? "font-mono text-xs" : ""}`}>{children}</td>;
}

export function Notice({ tone, children }: { tone: "error" | "ok"; children: ReactNode }) {
  const style = tone === "error" ? "border-red-500/40 bg-red-950/40 text-red-200" : "border-emerald-500/40 bg-emerald-950/30 text-emerald-200";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`mb-3 rounded border px-3 py-2 text-sm ${style}`}>
      {children}
    </div>
  );
}

/**
 * The fields a 400 answer names: its message lists up to three issues as "path: reason", joined by
 * "; " ("url: only http…" → url; "rule: …; steps.1.text: …" → rule, steps.1.text).
 */
export function badFields(error: Error | null): Set<string> {
  const out = new Set<string>();
  if (!error || (error as { status?: number }).status !== 400) return out;
  for (const part of error.message.split("; ")) {
    const field = /^([A-Za-z0-9_.]+): /.exec(part)?.[1];
    if (field) out.add(field);
  }
  return out;
}

/** A form's error: the server's message as text (a 400 names the field). */
export function FormError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded border border-red-500/40 bg-red-950/40 px-3 py-2 text-sm break-words text-red-200">
      {error.message}
    </p>
  );
}

export const labelClass = "flex flex-col gap-1 text-xs text-slate-400";
/** An input's class, outlined red when the server named it as the field that was wrong. */
export const fieldClass = (invalid: boolean) => (invalid ? inputClass.replace("border-slate-700", "border-red-500") : inputClass);
export const dangerButtonClass = "rounded border border-red-500/50 px-2 py-1 text-xs text-red-200 hover:bg-red-950/60 disabled:opacity-50";
