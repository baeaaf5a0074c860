"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/live";
import { loadSocketIo } from "@/components/ui/load-on-demand";

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "live" | "reconnecting" | "signed-out";

interface LiveContextValue {
  socket: LiveSocket | null;
  state: ConnectionState;
  /** when the connection entered `state` (ms since the epoch); null before mount */
  since: number | null;
}

const LiveContext = createContext<LiveContextValue>({ socket: null, state: "connecting", since: null });
const LastHeardContext = createContext<number | null>(null);

const SIGNED_OUT_PATHS = ["/sign-in", "/setup"];

/** How often, at most, `lastHeard` changes: a flood of batches re-renders its readers once a second. */
const HEARD_EVERY_MS = 1_000;

/** socket.io-client's script is fetched again this often while it cannot be, and the page reloaded after this many failures (a minute). */
const LOAD_RETRY_MS = 3000;
const MAX_LOAD_FAILURES = 20;

/** One socket.io connection for the whole page; streams subscribe through `useLiveStream`. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [value, setValue] = useState<LiveContextValue>({ socket: null, state: "connecting", since: null });
  const [lastHeard, setLastHeard] = useState<number | null>(null);

  useEffect(() => {
    // the pages for people without a session have no streams to read: a socket there would be
    // refused and send the sign-in page to itself in a loop (leaving them is always a full load)
    if (SIGNED_OUT_PATHS.includes(window.location.pathname)) return;
    // socket.io-client (about 40 KB) is not among the scripts run before the page hydrates, and
    // the connection opens in a task of its own: after the clicks held while the page loaded are
    // answered (the outermost effect replays them, components/ui/early-clicks.ts), not before
    let stop: (() => void) | undefined;
    let cancelled = false;
    let failures = 0;
    let start: ReturnType<typeof setTimeout>;
    const open = () => {
      loadSocketIo().then(
        ({ io }) => {
          if (cancelled) return;
          const socket: LiveSocket = io({ path: "/socket.io", transports: ["websocket"], reconnectionDelayMax: 3000 });
          stop = follow(socket, (state) => setValue((old) => (old.socket === socket && old.state === state ? old : { socket, state, since: Date.now() })), setLastHeard);
        },
        () => {
          // its script could not be fetched (the server restarting, the network down): say so and
          // try again; a page still without it after a minute loads itself afresh
          if (cancelled) return;
          setValue((old) => (old.state === "reconnecting" ? old : { socket: null, state: "reconnecting", since: Date.now() }));
          if (++failures >= MAX_LOAD_FAILURES) window.location.reload();
          else start = setTimeout(open, LOAD_RETRY_MS);
        },
      );
    };
    start = setTimeout(open, 0);
    return () => {
      cancelled = true;
      clearTimeout(start);
      stop?.();
    };
  }, []);

  return (
    <LiveContext.Provider value={value}>
      <LastHeardContext.Provider value={lastHeard}>{children}</LastHeardContext.Provider>
    </LiveContext.Provider>
  );
}

/** Follows a socket's connection state (`set`) and when it last heard from the server (`setHeard`); returns what closes it. */
function follow(socket: LiveSocket, set: (state: ConnectionState) => void, setHeard: (ms: number) => void): () => void {
  set("connecting");
  // anything from the server (a batch, a resync order, the transport's ping) proves it is there;
  // one pending timer at most, so a flood costs one state update a second and nothing piles up
  let heard = 0;
  let shown = 0;
  let heardTimer: ReturnType<typeof setTimeout> | undefined;
  const showHeard = () => {
    heardTimer = undefined;
    shown = heard;
    setHeard(heard);
  };
  const onHeard = () => {
    heard = Date.now();
    if (heardTimer !== undefined) return;
    if (heard - shown >= HEARD_EVERY_MS) showHeard();
    else heardTimer = setTimeout(showHeard, HEARD_EVERY_MS - (heard - shown));
  };
  socket.onAny(onHeard);
  socket.on("connect", onHeard);
  socket.io.on("ping", onHeard);
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
    clearTimeout(heardTimer);
    socket.offAny(onHeard);
    socket.io.off("ping", onHeard);
    socket.removeAllListeners();
    socket.disconnect();
  };
}

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}

/** When the page last heard from the server (a batch, a resync order or the transport's heartbeat), to the second; null until it has. */
export function useLastHeard(): number | null {
  return useContext(LastHeardContext);
}
