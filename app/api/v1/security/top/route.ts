// GET /api/v1/security/top – top sources, signatures and accounts over a range (default the last 24 h)
import { apiRoute, parseQuery } from "@/server/api/route";
import { topQuerySchema } from "@/lib/contracts/events";

export const GET = apiRoute("read", ({ req, core }) => core.securityTop(parseQuery(req, topQuerySchema)));
