// GET /api/v1/notifications/escalation/dry-run – who would be paged at which minute {severity} or {incident} (admin)
import { apiRoute, parseQuery } from "@/server/api/route";
import { dryRunQuerySchema } from "@/lib/contracts/notify";

export const GET = apiRoute("settings:manage", ({ req, core }) => core.notify.escalation.dryRun(parseQuery(req, dryRunQuerySchema)));
