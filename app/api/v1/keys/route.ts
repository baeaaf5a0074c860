// GET /api/v1/keys – every API key, without the secret (admin)
// POST /api/v1/keys – create a key {owner_email, name, scopes}; the answer holds it, once (admin)
import { apiRoute, parseJsonBody } from "@/server/api/route";
import { createKeySchema } from "@/lib/contracts/access";

export const GET = apiRoute("keys:manage", ({ core }) => ({ keys: core.access.keys.list() }));

export const POST = apiRoute("keys:manage", async ({ req, core, identity }) => {
  const input = await parseJsonBody(req, createKeySchema);
  const created = core.access.keys.create({ ownerEmail: input.owner_email, name: input.name, scopes: input.scopes }, identity);
  return Response.json(created, { status: 201 });
});
