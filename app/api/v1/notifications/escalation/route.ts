// GET /api/v1/notifications/escalation – the escalation policy per severity (admin)
// PUT /api/v1/notifications/escalation – replace it {policies: {<severity>: {levels: [{after, endpoints}]}}} (admin)
// PATCH /api/v1/notifications/escalation – the same body; replaces only the severities it names (admin)
import { apiRoute, parseJsonBody } from "@/server/api/route";
import { escalationInputSchema } from "@/lib/contracts/notify";

export const GET = apiRoute("settings:manage", ({ core }) => core.notify.escalation.get());

export const PUT = apiRoute("settings:manage", async ({ req, core, identity }) => core.notify.escalation.replace(await parseJsonBody(req, escalationInputSchema), identity));

export const PATCH = apiRoute("settings:manage", async ({ req, core, identity }) => core.notify.escalation.update(await parseJsonBody(req, escalationInputSchema), identity));
