"use client";

import { useState, type FormEvent } from "react";

/** Wraps a form's async submit: prevents navigation, tracks busy, and shows a thrown error's message. */
export function useFormStep() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const step = (fn: (form: FormData) => Promise<void>) => async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await fn(new FormData(e.currentTarget));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { step, error, busy };
}
