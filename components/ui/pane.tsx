import type { ReactNode } from "react";

/** A titled panel of the console. */
export function Pane({ title, aside, children, className = "", label }: { title: string; aside?: ReactNode; children: ReactNode; className?: string; label?: string }) {
  return (
    <section aria-label={label ?? title} className={`flex min-w-0 flex-col rounded-lg border border-slate-800 bg-slate-900/60 ${className}`}>
      <header className="flex items-center justify-between gap-3 border-b border-slate-800 px-4 py-2.5">
        <h2 className="text-sm font-semibold uppercase tracking-wider text-slate-300">{title}</h2>
        {aside}
      </header>
      <div className="min-h-0 flex-1 p-3">{children}</div>
    </section>
  );
}
