// GET /api/v1/notifications/endpoints/:id/deliveries – the endpoint's deliveries with every attempt, newest first {limit?, before?, status?} (admin)
import { apiRoute, parseId, parseQuery } from "@/server/api/route";
import { deliveriesQuerySchema } from "@/lib/contracts/notify";

export const GET = apiRoute("settings:manage", ({ req, core, params }) => core.notify.endpoints.deliveries(parseId(params.id, "endpoint"), parseQuery(req, deliveriesQuerySchema)));
