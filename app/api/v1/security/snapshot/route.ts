// GET /api/v1/security/snapshot – the security pane's first view: newest events and per-minute rate
// (takes no query parameters: an unknown one is a 400 naming it, as on the other triage routes)
import { z } from "zod";
import { apiRoute, parseQuery } from "@/server/api/route";

export const GET = apiRoute("read", ({ core, req }) => {
  parseQuery(req, z.strictObject({}));
  return core.securitySnapshot();
});
