// GET /api/v1/settings – run-time settings (admin)
// PATCH /api/v1/settings – change them {require_mfa_all?} (admin)
import { apiRoute, parseJsonBody } from "@/server/api/route";
import { settingsPatchSchema } from "@/lib/contracts/access";

export const GET = apiRoute("settings:manage", ({ core }) => ({ settings: core.access.settings.all() }));

export const PATCH = apiRoute("settings:manage", async ({ req, core, identity }) => {
  const patch = await parseJsonBody(req, settingsPatchSchema);
  if (patch.require_mfa_all !== undefined) {
    core.access.settings.set("require_mfa_all", patch.require_mfa_all, identity);
    core.access.accessChanged({}); // every live connection is checked again against the new rule
  }
  return { settings: core.access.settings.all() };
});
