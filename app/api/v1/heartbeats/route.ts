// POST /api/v1/heartbeats – ingest pushed heartbeats {node, ok, latency_ms?, time?, message?}
import { apiRoute, readBatch } from "@/server/api/route";

export const POST = apiRoute("ingest", async ({ req, core }) => {
  const { items, malformed } = await readBatch(req, core.bodyLimit);
  return Response.json(core.ingestHeartbeats(items, "api", malformed), { status: 202 });
});
