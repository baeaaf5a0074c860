import { Suspense } from "react";
import { connection } from "next/server";
import { TriageView } from "@/components/triage/triage-view";
import { MeProvider } from "@/components/ui/me-context";
import { requireIdentity } from "../current-identity";

export const metadata = { title: "Security triage · Vigil" };

/** The security triage pane: every stored event, filtered, grouped and pivoted on the server. */
export default async function SecurityPage() {
  await connection();
  const { me } = await requireIdentity();
  return (
    <MeProvider me={me}>
      <Suspense>
        <TriageView />
      </Suspense>
    </MeProvider>
  );
}
