import Link from "next/link";
import { connection } from "next/server";
import { getCore } from "@/server/registry";
import { MFA_REQUIRED_ROLES } from "@/server/auth/permissions";
import { AuthCard } from "@/components/auth/auth-card";
import { TwoFactorSetup } from "@/components/auth/two-factor-setup";
import { TwoFactorManage } from "@/components/auth/two-factor-manage";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { requireIdentity } from "../current-identity";

export const metadata = { title: "Account · Vigil" };

export default async function AccountPage() {
  await connection();
  const { identity, me } = await requireIdentity({ allowMfaPending: true });
  const required = MFA_REQUIRED_ROLES.includes(identity.role) || getCore().access.settings.get("require_mfa_all") === true;
  return (
    <AuthCard title="Your account" wide>
      <p className="mb-4 text-sm text-slate-400">
        Signed in as <b className="text-slate-200">{me.email}</b> ({me.role})
      </p>
      {me.mfa_pending && (
        <p role="alert" className="mb-4 rounded border border-amber-500/40 bg-amber-950/30 px-3 py-2 text-sm text-amber-200">
          Your role requires two-factor authentication. Set it up to open the console.
        </p>
      )}
      {me.two_factor_enabled ? <TwoFactorManage required={required} /> : <TwoFactorSetup />}
      <div className="mt-6 flex items-center justify-between border-t border-slate-800 pt-4 text-sm">
        {!me.mfa_pending ? (
          <Link href="/" className="text-sky-300 hover:underline">
            ← Back to the console
          </Link>
        ) : (
          <span />
        )}
        <SignOutButton />
      </div>
    </AuthCard>
  );
}
