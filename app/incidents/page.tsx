import { Suspense } from "react";
import { connection } from "next/server";
import { IncidentsTable } from "@/components/incidents/incidents-table";
import { MeProvider } from "@/components/ui/me-context";
import { requireIdentity } from "../current-identity";

export const metadata = { title: "Incidents · Vigil" };

/** Every incident, filtered on the server, with bulk actions and response times. */
export default async function IncidentsPage() {
  await connection();
  const { me } = await requireIdentity();
  return (
    <MeProvider me={me}>
      <Suspense>
        <IncidentsTable />
      </Suspense>
    </MeProvider>
  );
}
