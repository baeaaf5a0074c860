"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/live";

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "live" | "reconnecting";

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
    socket.on("connect", () => set("live"));
    socket.on("disconnect", () => set("reconnecting"));
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}
