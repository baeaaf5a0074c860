// POST /api/setup – create the first admin with the one-time setup token; refused for good once any account exists
import { z } from "zod";
import { ApiError, apiRoute, parseJsonBody } from "@/server/api/route";
import { setupSchema } from "@/lib/contracts/access";

// the setup token proves the caller can read the server's log or data directory (see SetupToken);
// optional here so that a missing one is answered 403 naming it, like a wrong one
const setupRequestSchema = setupSchema.extend({ setup_token: z.string().max(128).optional() });

export const POST = apiRoute("public", async ({ req, core }) => {
  const { setup_token, ...input } = await parseJsonBody(req, setupRequestSchema);
  const result = await core.access.completeSetup({ ...input, setupToken: setup_token }, req.headers.get("x-vigil-remote-addr"));
  if (!result.ok) throw new ApiError(result.code === "setup_done" ? 409 : 403, result.code, result.message);
  return Response.json({ user: { email: result.user.email, role: result.user.role } }, { status: 201 });
});
