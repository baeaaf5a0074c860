// GET /api/v1/incidents – one page of incidents by status (open, acknowledged, resolved, active, all), pane and rule, from a `before` cursor, with the filter's true `total` and the active set's `counts` and `groups`
import { apiRoute, parseQuery } from "@/server/api/route";
import { incidentQuerySchema } from "@/lib/contracts/incidents";

export const GET = apiRoute("read", ({ req, core }) => core.incidentsSnapshot(parseQuery(req, incidentQuerySchema)));
