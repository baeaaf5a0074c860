// GET /api/v1/incidents/stats?since&until – MTTA and MTTR by severity and by week, and the oldest active incidents against their targets
import { z } from "zod";
import { apiRoute, parseQuery } from "@/server/api/route";
import { decimalParam } from "@/lib/contracts/common";

const statsQuery = z.strictObject({ since: decimalParam(0, Number.MAX_SAFE_INTEGER).optional(), until: decimalParam(0, Number.MAX_SAFE_INTEGER).optional() });

export const GET = apiRoute("read", ({ req, core }) => core.incidentStats(parseQuery(req, statsQuery)));
