import { WallView } from "@/components/wall/wall-view";
import { connection } from "next/server";
import { dehydrate, QueryClient } from "@tanstack/react-query";
import { getCore } from "@/server/registry";
import { ACTIVE_FIRST_PAGE, incidentQueries, networkQueries, securityQueries } from "@/lib/queries/live-queries";
import { Dashboard } from "@/components/dashboard";
import { SnapshotBoundary } from "@/components/live/snapshot-boundary";
import { FIRST_SCREEN_TILES } from "@/lib/contracts/network";
import { requireIdentity } from "./current-identity";

/** The console, or with `?tv=1` the read-only wall screen. Snapshots are read on the server and handed to the browser's cache. */
export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const { me } = await requireIdentity();
  const core = getCore();
  const client = new QueryClient();
  // the first screenful of tiles and the true counts; LiveSync fetches the rest once hydrated
  const network = core.networkSummary({ limit: FIRST_SCREEN_TILES });
  client.setQueryData(networkQueries.summary().queryKey, network.truncated ? { ...network, partial: true } : network);
  client.setQueryData(securityQueries.snapshot().queryKey, core.securitySnapshot());
  const active = core.incidentsSnapshot({ status: "active", limit: ACTIVE_FIRST_PAGE });
  // no view of the active list shows an incident's details (the live stream sends them as null as
  // well; an incident's page reads them): in bench/console-scale.ts they were 25 of the snapshots' 140 KB
  client.setQueryData(incidentQueries.active().queryKey, { ...active, incidents: active.incidents.map((i) => (i.details === null ? i : { ...i, details: null })) });
  return (
    <SnapshotBoundary json={JSON.stringify(dehydrate(client))}>
      {(await searchParams).tv === "1" ? <WallView /> : <Dashboard me={me} />}
    </SnapshotBoundary>
  );
}
