"use client";

import { useState } from "react";
import { useFormStep } from "./use-form-step";
import { authCall } from "@/lib/auth-client";
import { Field, FormError, Submit } from "./auth-card";
import { TotpQrCode } from "./totp-qr-code";

interface Enrolment {
  totpURI: string;
  backupCodes: string[];
}

/** Secret from an otpauth:// URI, in groups of four for typing into an app by hand. */
function secretOf(uri: string): string {
  const secret = new URL(uri).searchParams.get("secret") ?? "";
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div className="mb-4">
      <p className="mb-2 text-sm text-slate-300">Recovery codes: each works once if you lose the authenticator. Store them now; they are not shown again.</p>
      <ul aria-label="recovery codes" className="grid grid-cols-2 gap-1 rounded bg-slate-950 p-3 font-mono text-sm text-slate-100">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </div>
  );
}

/** Enrols an authenticator app: password, then the secret and recovery codes, then one code to confirm. */
export function TwoFactorSetup() {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const { step, error, busy } = useFormStep();

  if (!enrolment) {
    return (
      <form onSubmit={step(async (form) => setEnrolment(await authCall<Enrolment>("/two-factor/enable", { password: form.get("password") })))}>
        <FormError message={error} />
        <Field label="Your password, to start" name="password" type="password" autoComplete="current-password" required />
        <Submit busy={busy}>Set up two-factor authentication</Submit>
      </form>
    );
  }
  return (
    <form
      onSubmit={step(async (form) => {
        await authCall("/two-factor/verify-totp", { code: String(form.get("code") ?? "").trim() });
        window.location.assign("/");
      })}
    >
      <FormError message={error} />
      <p className="mb-2 text-sm text-slate-300">Scan the code with your authenticator app, or type the key into it (time-based, 6 digits, 30 s):</p>
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <TotpQrCode uri={enrolment.totpURI} />
        <p aria-label="authenticator secret" className="min-w-0 flex-1 break-all rounded bg-slate-950 p-3 font-mono text-base tracking-wider text-emerald-300">
          {secretOf(enrolment.totpURI)}
        </p>
      </div>
      <details className="mb-4 text-xs text-slate-400">
        <summary className="cursor-pointer">otpauth URI</summary>
        <code aria-label="otpauth uri" className="mt-1 block break-all text-slate-300">
          {enrolment.totpURI}
        </code>
      </details>
      <RecoveryCodes codes={enrolment.backupCodes} />
      <Field label="Code shown by the app" name="code" inputMode="numeric" autoComplete="one-time-code" required autoFocus />
      <Submit busy={busy}>Confirm and turn on</Submit>
    </form>
  );
}
