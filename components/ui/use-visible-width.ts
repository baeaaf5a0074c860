"use client";

import { useEffect, useRef, useState } from "react";

/**
 * The box's width while it is on screen, else 0: a chart mounts only when visible and always
 * with a measured size (recharts measuring a hidden or unlaid box logs `width(0)` warnings).
 */
export function useVisibleWidth<T extends HTMLElement = HTMLDivElement>() {
  const ref = useRef<T>(null);
  const [visible, setVisible] = useState(false);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver(([entry]) => setVisible(entry.isIntersecting));
    const ro = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    io.observe(el);
    ro.observe(el);
    return () => {
      io.disconnect();
      ro.disconnect();
    };
  }, []);
  return { ref, width: visible ? width : 0 };
}
