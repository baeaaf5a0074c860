"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Me } from "@/lib/contracts/access";

const MeContext = createContext<Me | null>(null);

/** The signed-in person, for showing only the actions they may take (the server enforces). */
export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export function useMe(): Me | null {
  return useContext(MeContext);
}

export function useCan(permission: string): boolean {
  const me = useMe();
  return !!me && !me.mfa_pending && me.permissions.includes(permission);
}
