"use client";

import { useState } from "react";
import Link from "next/link";
import { UsersPanel } from "./users-panel";
import { KeysPanel } from "./keys-panel";
import { SettingsPanel } from "./settings-panel";
import { AuditPanel } from "./audit-panel";
import { NotificationsPanel } from "./notifications-panel";
import { ResponsePlansPanel } from "./response-plans-panel";

import { TABS, type AdminTab } from "./admin-tabs";

type Tab = AdminTab;

/**
 * Administration: accounts, API keys, settings, notifications (webhooks and escalation), response
 * plans and the audit trail. Every tab's changes need a permission only admins hold (users:manage,
 * keys:manage, settings:manage, audit:read), so the page is for admins alone.
 */
export function AdminConsole({ initialTab = "users" }: { initialTab?: AdminTab }) {
  const [tab, setTab] = useState<Tab>(initialTab);
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
          // a link, so each tab has its own address (bookmarks, links in runbooks, a click before the
          // page is interactive); once it is, the tab changes in place and the address follows
          <a
            key={t}
            href={`/admin?tab=${t}`}
            onClick={(e) => {
              if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
              e.preventDefault();
              setTab(t);
              window.history.replaceState(null, "", `/admin?tab=${t}`);
            }}
            aria-current={tab === t ? "page" : undefined}
            className={`rounded px-3 py-1.5 text-sm ${tab === t ? "bg-slate-700 text-white" : "text-slate-400 hover:bg-slate-800"}`}
          >
            {TABS[t]}
          </a>
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
