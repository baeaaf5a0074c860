"use client";

import { useEffect, useState, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { LiveProvider } from "@/components/live/live-provider";
import { NowProvider } from "@/components/ui/time";
import { replayEarlyClicks } from "@/components/ui/early-clicks";

/** One QueryClient per browser tab; the socket lives beside it. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1 } } }));
  // the outermost effect: it runs once everything inside has hydrated and attached its handlers
  useEffect(() => {
    replayEarlyClicks();
  }, []);
  return (
    <QueryClientProvider client={client}>
      <LiveProvider>
        <NowProvider>{children}</NowProvider>
      </LiveProvider>
    </QueryClientProvider>
  );
}
