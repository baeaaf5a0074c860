// GET /api/v1/nodes – every node with status, last latency and recent checks
import { apiRoute } from "@/server/api/route";

export const GET = apiRoute("read", ({ core }) => core.networkSnapshot());
