// GET /api/v1/security/rules – the detection thresholds in force per rule, and the rules file (VIGIL_RULES): when it applied, whether its last read failed and why
import { apiRoute } from "@/server/api/route";

export const GET = apiRoute("rules:read", ({ core }) => core.rulesStatus());
