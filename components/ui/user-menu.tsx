"use client";

import { IdleLink } from "./idle-link";
import { useMe } from "./me-context";
import { SignOutButton } from "@/components/auth/sign-out-button";

/** Who is signed in, with links to their account, the admin page, and sign-out. */
export function UserMenu() {
  const me = useMe();
  if (!me) return null;
  return (
    <div className="flex items-center gap-3 text-xs text-slate-400">
      <span aria-label="signed in as" className="max-w-[14rem] truncate">
        <b className="font-medium text-slate-200">{me.email}</b> · {me.role}
      </span>
      {me.permissions.includes("users:manage") && (
        <IdleLink href="/admin" className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
          Admin
        </IdleLink>
      )}
      <IdleLink href="/account" className="rounded px-2 py-1 text-slate-300 hover:bg-slate-800">
        Account
      </IdleLink>
      <SignOutButton />
    </div>
  );
}
