// POST /api/v1/notifications/endpoints/:id/test – send a test notification now, once, and answer the delivery with its attempt (admin)
import { apiRoute, parseId } from "@/server/api/route";

export const POST = apiRoute("settings:manage", async ({ core, params, identity }) => ({ delivery: await core.notify.endpoints.test(parseId(params.id, "endpoint"), identity) }));
