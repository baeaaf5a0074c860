"use client";

import { startTransition, useEffect, useState } from "react";
import type { VirtualItem } from "@tanstack/react-virtual";

/** A virtual list's rows before `useAfterMount` lets them render. */
export const NO_ROWS: VirtualItem[] = [];

/**
 * False during the server render, hydration and the first commit; true from a transition started
 * once mounted. A virtual list that renders its rows only then (the server cannot render them: it
 * has no viewport) fills in behind anything urgent, such as a click the person made while the
 * page hydrated (components/ui/early-clicks.ts), instead of in the synchronous pass that answers it.
 */
export function useAfterMount(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    startTransition(() => setMounted(true));
  }, []);
  return mounted;
}
