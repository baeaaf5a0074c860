// GET /api/v1/events – security events newest first, filtered (kind, severity, since, until, src, dst, user, signature, service, q, incident), paged by cursor
// POST /api/v1/events – ingest a JSON array or NDJSON of security events
import { apiRoute, parseQuery, readBatch } from "@/server/api/route";
import { eventQuerySchema } from "@/lib/contracts/events";

export const GET = apiRoute("read", ({ req, core }) => core.events(parseQuery(req, eventQuerySchema)));

export const POST = apiRoute("ingest", async ({ req, core }) => {
  const { items, malformed } = await readBatch(req, core.bodyLimit);
  return Response.json(core.ingestEvents(items, "api", malformed), { status: 202 });
});
