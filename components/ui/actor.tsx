"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

const STORAGE_KEY = "vigil.actor";
const ActorContext = createContext<{ actor: string; setActor: (a: string) => void }>({ actor: "operator", setActor: () => undefined });

/** Who acknowledges from this browser, until accounts exist; remembered in localStorage. */
export function ActorProvider({ children }: { children: ReactNode }) {
  const [actor, setActorState] = useState("operator");
  useEffect(() => {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved) setActorState(saved);
  }, []);
  const setActor = (a: string) => {
    const clean = a.trim().slice(0, 64);
    setActorState(a.slice(0, 64));
    if (clean) window.localStorage.setItem(STORAGE_KEY, clean);
  };
  return <ActorContext.Provider value={{ actor: actor.trim() || "operator", setActor }}>{children}</ActorContext.Provider>;
}

export function useActor() {
  return useContext(ActorContext);
}

export function ActorField() {
  const { actor, setActor } = useActor();
  return (
    <label className="flex items-center gap-2 text-xs text-slate-400">
      Acting as
      <input
        value={actor}
        onChange={(e) => setActor(e.target.value)}
        maxLength={64}
        className="w-28 rounded border border-slate-700 bg-slate-900 px-2 py-1 text-slate-100 focus:border-sky-500 focus:outline-none"
        aria-label="acting as"
      />
    </label>
  );
}
