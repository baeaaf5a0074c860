// POST /api/setup – create the first admin; refused for good once any account exists
import { ApiError, apiRoute, parseJsonBody } from "@/server/api/route";
import { setupSchema } from "@/lib/contracts/access";

export const POST = apiRoute("public", async ({ req, core }) => {
  const input = await parseJsonBody(req, setupSchema);
  const user = await core.access.users.createFirstAdmin(input, req.headers.get("x-vigil-remote-addr"));
  if (!user) throw new ApiError(409, "setup_done", "Vigil is already set up: sign in instead");
  return Response.json({ user: { email: user.email, role: user.role } }, { status: 201 });
});
