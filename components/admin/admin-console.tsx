"use client";

import { useState } from "react";
import Link from "next/link";
import { UsersPanel } from "./users-panel";
import { KeysPanel } from "./keys-panel";
import { SettingsPanel } from "./settings-panel";
import { AuditPanel } from "./audit-panel";
import { NotificationsPanel } from "./notifications-panel";
import { ResponsePlansPanel } from "./response-plans-panel";

const TABS = { users: "Users", keys: "API keys", settings: "Settings", notifications: "Notifications", plans: "Response plans", audit: "Audit log" } as const;
type Tab = keyof typeof TABS;

/**
 * Administration: accounts, API keys, settings, notifications (webhooks and escalation), response
 * plans and the audit trail. Every tab's changes need a permission only admins hold (users:manage,
 * keys:manage, settings:manage, audit:read), so the page is for admins alone.
 */
export function AdminConsole() {
  const [tab, setTab] = useState<Tab>("users");
  return (
    <main className="mx-auto max-w-6xl p-4">
      <header className="mb-4 flex items-center gap-4">
        <h1 className="text-lg font-bold text-slate-100">
          Vigil <span className="font-normal text-slate-400">administration</span>
        </h1>
        <Link href="/" className="ml-auto text-sm text-sky-300 hover:underline">
          ← Console
        </Link>
      </header>
      <nav className="mb-4 flex flex-wrap gap-1" aria-label="administration">
        {(Object.keys(TABS) as Tab[]).map((t) => (
          <button
            key={t}
            type="button"
            onClick={() => setTab(t)}
            aria-current={tab === t ? "page" : undefined}
            className={`rounded px-3 py-1.5 text-sm ${tab === t ? "bg-slate-700 text-white" : "text-slate-400 hover:bg-slate-800"}`}
          >
            {TABS[t]}
          </button>
        ))}
      </nav>
      <section aria-label={TABS[tab]} className="rounded-lg border border-slate-800 bg-slate-900/60 p-4">
        {tab === "users" && <UsersPanel />}
        {tab === "keys" && <KeysPanel />}
        {tab === "settings" && <SettingsPanel />}
        {tab === "notifications" && <NotificationsPanel />}
        {tab === "plans" && <ResponsePlansPanel />}
        {tab === "audit" && <AuditPanel />}
      </section>
    </main>
  );
}
