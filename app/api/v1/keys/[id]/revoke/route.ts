// POST /api/v1/keys/:id/revoke – revoke an API key; its live connections are dropped (admin)
import { apiRoute, parseId } from "@/server/api/route";

export const POST = apiRoute("keys:manage", ({ core, params, identity }) => {
  const key = core.access.keys.revoke(parseId(params.id, "API key"), identity);
  core.access.accessChanged({ keyId: key.id });
  return { key };
});
