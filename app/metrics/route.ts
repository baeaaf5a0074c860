// GET /metrics – Prometheus text exposition (vigil_*): a key with the metrics scope, or a direct loopback caller
import { apiRoute } from "@/server/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  "metrics:read",
  async ({ core }) => new Response(await core.metrics.render(), { headers: { "content-type": core.metrics.contentType, "cache-control": "no-store" } }),
  { loopback: true },
);
