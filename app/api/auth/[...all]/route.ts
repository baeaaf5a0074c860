// /api/auth/* – better-auth: sign-in, sign-out, session, two-factor enrolment and verification
import { getCore } from "@/server/registry";

const handle = (req: Request) => getCore().access.auth.handler(req);
export const GET = handle;
export const POST = handle;
