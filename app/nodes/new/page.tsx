import { connection } from "next/server";
import { NewNodePage } from "@/components/network/node-create-form";
import { MeProvider } from "@/components/ui/me-context";
import { requireIdentity } from "../../current-identity";

export const metadata = { title: "New node · Vigil" };

/** A form that creates a node with one check (POST /api/v1/nodes). */
export default async function Page() {
  await connection();
  const { me } = await requireIdentity();
  return (
    <MeProvider me={me}>
      <NewNodePage />
    </MeProvider>
  );
}
