// GET /api/v1/events/groups – the filter's security events grouped by signature, source, account, service or kind
import { apiRoute, parseQuery } from "@/server/api/route";
import { eventGroupsQuerySchema } from "@/lib/contracts/events";

export const GET = apiRoute("read", ({ req, core }) => core.eventGroups(parseQuery(req, eventGroupsQuerySchema)));
