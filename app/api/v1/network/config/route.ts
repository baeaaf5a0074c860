// GET /api/v1/network/config – the nodes file (VIGIL_CONFIG): when it was applied, what changed, and why its last read was not applied
import { apiRoute } from "@/server/api/route";

export const GET = apiRoute("read", ({ core }) => core.nodesFileStatus());
