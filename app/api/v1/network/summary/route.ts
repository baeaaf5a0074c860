// GET /api/v1/network/summary?limit=&status=&q= – counts by status over every node and the worst node tiles first
import { apiRoute, parseQuery } from "@/server/api/route";
import { networkSummaryQuerySchema } from "@/lib/contracts/network";

export const GET = apiRoute("read", ({ req, core }) => core.networkSummary(parseQuery(req, networkSummaryQuerySchema)));
