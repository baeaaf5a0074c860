import type { ReactNode } from "react";

/** The centred card of the sign-in, setup and account pages. */
export function AuthCard({ title, children, wide = false }: { title: string; children: ReactNode; wide?: boolean }) {
  return (
    <main className="flex min-h-screen items-start justify-center p-4 pt-[12vh]">
      <section aria-label={title} className={`w-full ${wide ? "max-w-xl" : "max-w-sm"} rounded-lg border border-slate-800 bg-slate-900/70 p-6 shadow-xl`}>
        <p className="mb-1 text-sm font-bold tracking-tight text-slate-400">Vigil</p>
        <h1 className="mb-5 text-xl font-semibold text-slate-100">{title}</h1>
        {children}
      </section>
    </main>
  );
}

export function Field({ label, ...input }: { label: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="mb-3 flex flex-col gap-1 text-sm text-slate-300">
      {label}
      <input
        {...input}
        className="rounded border border-slate-700 bg-slate-950 px-3 py-2 text-slate-100 focus:border-sky-500 focus:outline-none"
      />
    </label>
  );
}

export function Submit({ children, busy }: { children: ReactNode; busy?: boolean }) {
  return (
    <button type="submit" disabled={busy} className="mt-2 w-full rounded bg-sky-700 px-3 py-2 text-sm font-semibold text-white hover:bg-sky-600 disabled:opacity-50">
      {children}
    </button>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="mb-3 rounded border border-red-500/40 bg-red-950/40 px-3 py-2 text-sm text-red-200">
      {message}
    </p>
  );
}
