// GET /api/v1/me – the caller: email, role, permissions, whether two-factor enrolment is pending
import { apiRoute } from "@/server/api/route";

export const GET = apiRoute("authenticated", ({ core, identity }) => core.access.describe(identity));
