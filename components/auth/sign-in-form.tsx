"use client";

import { useState } from "react";
import { useFormStep } from "./use-form-step";
import { authCall } from "@/lib/auth-client";
import { Field, FormError, Submit } from "./auth-card";

/** Email and password, then (when enrolled) a code from the authenticator app or a recovery code. */
export function SignInForm() {
  const [step, setStep] = useState<"password" | "code">("password");
  const [recovery, setRecovery] = useState(false);
  const { step: run, error, busy } = useFormStep();

  const signIn = run(async (form) => {
    const answer = await authCall<{ twoFactorRedirect?: boolean }>("/sign-in/email", { email: form.get("email"), password: form.get("password") });
    if (answer.twoFactorRedirect) setStep("code");
    else window.location.assign("/");
  });

  const verify = run(async (form) => {
    const code = String(form.get("code") ?? "").trim();
    await authCall(recovery ? "/two-factor/verify-backup-code" : "/two-factor/verify-totp", { code });
    window.location.assign("/");
  });

  if (step === "code") {
    return (
      <form onSubmit={verify}>
        <FormError message={error} />
        <Field
          key={recovery ? "recovery" : "totp"}
          label={recovery ? "Recovery code" : "Code from your authenticator app"}
          name="code"
          autoComplete="one-time-code"
          inputMode={recovery ? "text" : "numeric"}
          required
          autoFocus
        />
        <Submit busy={busy}>Verify</Submit>
        <button type="button" onClick={() => setRecovery(!recovery)} className="mt-3 text-xs text-sky-300 hover:underline">
          {recovery ? "Use the authenticator app instead" : "Use a recovery code instead"}
        </button>
      </form>
    );
  }
  return (
    <form onSubmit={signIn}>
      <FormError message={error} />
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Submit busy={busy}>Sign in</Submit>
    </form>
  );
}
