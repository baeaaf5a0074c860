"use client";

import { startTransition, useLayoutEffect, useState, type RefObject } from "react";

/**
 * The element's content width, kept current by a ResizeObserver; null until measured (and on the
 * server). Widths are set in transitions: what the first lets render (a grid's first screenful of
 * tiles, a chart) waits behind anything urgent, such as a click held while the page hydrated,
 * instead of being rendered in the same synchronous pass, and so does the re-layout of a resize
 * (the ResizeObserver's first report, right after `observe`, included).
 */
export function useElementWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const first = el.clientWidth;
    startTransition(() => setWidth(first));
    const observer = new ResizeObserver(([entry]) => startTransition(() => setWidth(Math.floor(entry.contentRect.width))));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
