// POST /api/v1/ingest/syslog – RFC 3164, RFC 5424 and ISO-stamped syslog lines (sshd, PAM, su, sudo); the rest counted
// GET /api/v1/ingest/syslog – the syslog listener's ports and per-sender counts
import { apiRoute, readUpload } from "@/server/api/route";
import { ACCEPTED_TYPES } from "@/server/security/content-types";

export const POST = apiRoute("ingest", async ({ req, core }) => Response.json(await core.ingestLogAsync("syslog", await readUpload(req, core.bodyLimit, ACCEPTED_TYPES.syslog), req.headers.get("content-type")), { status: 202 }));

export const GET = apiRoute("read", ({ core }) => core.syslogStatus());
