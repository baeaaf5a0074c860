"use client";

import { useState, type FormEvent } from "react";
import { authCall } from "@/lib/auth-client";
import { fetchJson } from "@/lib/queries/fetch-json";
import { Field, FormError, Submit } from "./auth-card";

/** Creates the first admin, signs them in, and sends them to set up two-factor authentication. */
export function SetupForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const [name, email, password, setupToken] = ["name", "email", "password", "setup_token"].map((k) => String(form.get(k) ?? ""));
    if (password !== form.get("confirm")) return setError("The two passwords differ.");
    setBusy(true);
    setError(null);
    try {
      await fetchJson("/api/setup", { method: "POST", body: JSON.stringify({ name, email, password, setup_token: setupToken.trim() }) });
      await authCall("/sign-in/email", { email, password });
      window.location.assign("/account");
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit}>
      <p className="mb-4 text-sm text-slate-400">
        No account exists yet. Create the first administrator; this page disappears once you do. The setup token proves you run this server; it is also in the setup-token file of the data directory. You will set up two-factor authentication next.
      </p>
      <FormError message={error} />
      <Field
        label="Setup token (from the server's startup log, or run: npm run vigil -- setup-token)"
        name="setup_token"
        autoComplete="off"
        spellCheck={false}
        required
        maxLength={128}
      />
      <Field label="Name" name="name" autoComplete="name" required maxLength={100} />
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      <Field label="Password (at least 12 characters)" name="password" type="password" autoComplete="new-password" minLength={12} required />
      <Field label="Password again" name="confirm" type="password" autoComplete="new-password" minLength={12} required />
      <Submit busy={busy}>Create administrator</Submit>
    </form>
  );
}
