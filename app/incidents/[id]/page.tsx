import { connection } from "next/server";
import { notFound } from "next/navigation";
import { IncidentPage } from "@/components/incidents/incident-page";
import { MeProvider } from "@/components/ui/me-context";
import { requireIdentity } from "../../current-identity";

export const metadata = { title: "Incident · Vigil" };

/** One incident: its evidence, who holds it, every action, notes and the timeline. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { me } = await requireIdentity();
  const { id } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(id)) notFound();
  return (
    <MeProvider me={me}>
      <IncidentPage id={Number(id)} />
    </MeProvider>
  );
}
