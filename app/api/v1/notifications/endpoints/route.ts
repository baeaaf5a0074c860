// GET /api/v1/notifications/endpoints – every webhook endpoint, without secrets (admin)
// POST /api/v1/notifications/endpoints – create one {name, url, format?, secret?, events?, min_severity?, enabled?}; the answer holds the secret, once (admin)
import { apiRoute, parseJsonBody } from "@/server/api/route";
import { endpointInputSchema } from "@/lib/contracts/notify";

export const GET = apiRoute("settings:manage", ({ core }) => ({ endpoints: core.notify.endpoints.list() }));

export const POST = apiRoute("settings:manage", async ({ req, core, identity }) => {
  const input = await parseJsonBody(req, endpointInputSchema);
  return Response.json(core.notify.endpoints.create(input, identity), { status: 201, headers: { "cache-control": "no-store" } });
});
