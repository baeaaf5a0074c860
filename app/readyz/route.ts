// GET /readyz – readiness: database writable, migrations applied, live hub running (503 naming what failed)
import { apiRoute } from "@/server/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute("public", ({ core }) => {
  const readiness = core.ready();
  return Response.json(readiness, { status: readiness.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
});
