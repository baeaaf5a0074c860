import { connection } from "next/server";
import { notFound } from "next/navigation";
import { NodePage } from "@/components/network/node-page";
import { MeProvider } from "@/components/ui/me-context";
import { requireIdentity } from "../../current-identity";

export const metadata = { title: "Node · Vigil" };

/** One node: its status and why, its checks, latency, incidents and (for nodes:manage) its settings. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { me } = await requireIdentity();
  const { id } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(id)) notFound();
  return (
    <MeProvider me={me}>
      <NodePage id={Number(id)} />
    </MeProvider>
  );
}
