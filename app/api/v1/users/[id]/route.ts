// PATCH /api/v1/users/:id – change an account's role or disable it {role?, disabled?} (admin)
import { apiRoute, parseJsonBody } from "@/server/api/route";
import { updateUserSchema } from "@/lib/contracts/access";

export const PATCH = apiRoute("users:manage", async ({ req, core, params, identity }) => {
  const patch = await parseJsonBody(req, updateUserSchema);
  let user = core.access.users.byId(params.id);
  if (patch.role) user = core.access.users.setRole(params.id, patch.role, identity);
  if (patch.disabled !== undefined) user = core.access.users.setDisabled(params.id, patch.disabled, identity);
  core.access.accessChanged({ userId: params.id });
  return { user };
});
