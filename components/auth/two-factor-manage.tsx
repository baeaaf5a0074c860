"use client";

import { useState, type FormEvent } from "react";
import { authCall } from "@/lib/auth-client";
import { Field, FormError } from "./auth-card";
import { RecoveryCodes } from "./two-factor-setup";

/** For an enrolled user: fresh recovery codes, and turning two-factor off where it is not required. */
export function TwoFactorManage({ required }: { required: boolean }) {
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const password = new FormData(e.currentTarget).get("password");
    setError(null);
    try {
      if (submitter?.value === "disable") {
        await authCall("/two-factor/disable", { password });
        window.location.reload();
      } else {
        setCodes((await authCall<{ backupCodes: string[] }>("/two-factor/generate-backup-codes", { password })).backupCodes);
      }
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <form onSubmit={act}>
      <p className="mb-3 text-sm text-emerald-300">Two-factor authentication is on.</p>
      {codes && <RecoveryCodes codes={codes} />}
      <FormError message={error} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <div className="flex gap-2">
        <button type="submit" value="codes" className="flex-1 rounded border border-slate-600 px-3 py-2 text-sm text-slate-200 hover:bg-slate-800">
          New recovery codes
        </button>
        {!required && (
          <button type="submit" value="disable" className="flex-1 rounded border border-red-500/50 px-3 py-2 text-sm text-red-200 hover:bg-red-950/40">
            Turn off
          </button>
        )}
      </div>
    </form>
  );
}
