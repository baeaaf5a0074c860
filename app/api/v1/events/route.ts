// GET /api/v1/events – newest security events, filtered by kind, severity, since, limit
// POST /api/v1/events – ingest a JSON array or NDJSON of security events
import { apiRoute, parseQuery, readBatch } from "@/server/api/route";
import { eventQuerySchema } from "@/lib/contracts/events";

export const GET = apiRoute("read", ({ req, core }) => core.events(parseQuery(req, eventQuerySchema)));

export const POST = apiRoute("ingest", async ({ req, core }) => {
  const { items, malformed } = await readBatch(req, core.bodyLimit);
  return Response.json(core.ingestEvents(items, "api", malformed), { status: 202 });
});
