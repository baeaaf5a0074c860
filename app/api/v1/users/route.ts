// GET /api/v1/users – every account (admin)
// POST /api/v1/users – create an account {email, name?, role, password} (admin)
import { apiRoute, parseJsonBody } from "@/server/api/route";
import { createUserSchema } from "@/lib/contracts/access";

export const GET = apiRoute("users:manage", ({ core }) => ({ users: core.access.users.list() }));

export const POST = apiRoute("users:manage", async ({ req, core, identity }) => {
  const user = await core.access.users.create(await parseJsonBody(req, createUserSchema), identity);
  return Response.json({ user }, { status: 201 });
});
