"use client";

import Link from "next/link";
import { useSyncExternalStore, type ComponentProps } from "react";

// Next's <Link> prefetches its page (a `?_rsc` request, and that page's scripts) as soon as it is
// in view: on the console's first load that was right after hydration, ahead of a click held while
// the page loaded and competing with it for the main thread and the 6 connections. Links on the
// console prefetch once the page has loaded and the browser is idle instead; a click before then
// navigates all the same (the page is fetched on the click).

let idle = false;
const listeners = new Set<() => void>();
let waiting = false;

function becomeIdle() {
  idle = true;
  for (const l of listeners) l();
  listeners.clear();
}

function waitForIdle() {
  if (waiting) return;
  waiting = true;
  const afterLoad = () =>
    typeof window.requestIdleCallback === "function" ? window.requestIdleCallback(becomeIdle, { timeout: 3000 }) : setTimeout(becomeIdle, 1000);
  if (document.readyState === "complete") afterLoad();
  else window.addEventListener("load", afterLoad, { once: true });
}

function subscribe(listener: () => void) {
  if (idle) return () => {};
  listeners.add(listener);
  waitForIdle();
  return () => listeners.delete(listener);
}

/** True once the page has loaded and the browser was idle after it; false on the server and while hydrating. */
export function useLoadedAndIdle(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => idle,
    () => false,
  );
}

/** next/link whose prefetch waits for `useLoadedAndIdle` (an explicit `prefetch={false}` stays off). */
export function IdleLink({ prefetch, ...props }: ComponentProps<typeof Link>) {
  const ready = useLoadedAndIdle();
  return <Link {...props} prefetch={ready ? prefetch : false} />;
}
