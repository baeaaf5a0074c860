"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/live";

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "live" | "reconnecting" | "signed-out";

interface LiveContextValue {
  socket: LiveSocket | null;
  state: ConnectionState;
}

const LiveContext = createContext<LiveContextValue>({ socket: null, state: "connecting" });

/** One socket.io connection for the whole page; streams subscribe through `useLiveStream`. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [value, setValue] = useState<LiveContextValue>({ socket: null, state: "connecting" });

  useEffect(() => {
    const socket: LiveSocket = io({ path: "/socket.io", transports: ["websocket"], reconnectionDelayMax: 3000 });
    const set = (state: ConnectionState) => setValue({ socket, state });
    set("connecting");
    let retry: ReturnType<typeof setTimeout> | undefined;
    const reconnectSoon = (ms: number) => {
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), ms);
    };
    socket.on("connect", () => set("live"));
    socket.on("disconnect", (reason) => {
      set("reconnecting");
      // the server closed this connection on purpose (access changed): come back under the new rules
      if (reason === "io server disconnect") reconnectSoon(1000);
    });
    socket.on("connect_error", (error) => {
      if (socket.active) return; // socket.io retries by itself
      // refused by the server: without a valid session (signed out, disabled, expired) say so and
      // stop; pages without a session (sign-in, setup) simply have no live data. Anything else retries.
      if (/sign in|disabled|expired|two-factor/i.test(error.message)) set("signed-out");
      else reconnectSoon(3000);
    });
    return () => {
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}
