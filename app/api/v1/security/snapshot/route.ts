// GET /api/v1/security/snapshot – the security pane's first view: newest events and per-minute rate
import { apiRoute } from "@/server/api/route";

export const GET = apiRoute("read", ({ core }) => core.securitySnapshot());
