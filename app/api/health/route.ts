// GET /api/health – database and live-hub status (503 when either is down)
import { apiRoute } from "@/server/api/route";

export const GET = apiRoute("public", ({ core }) => {
  const health = core.health();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
});
