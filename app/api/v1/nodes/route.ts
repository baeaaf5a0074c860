// GET /api/v1/nodes?limit=&after= – a page of nodes (id order) with status, last latency and recent checks, and the total
import { apiRoute, parseQuery } from "@/server/api/route";
import { nodeQuerySchema } from "@/lib/contracts/network";

export const GET = apiRoute("read", ({ req, core }) => core.nodesPage(parseQuery(req, nodeQuerySchema)));
