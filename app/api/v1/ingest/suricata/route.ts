// POST /api/v1/ingest/suricata – Suricata EVE JSON lines: alerts and anomalies stored, flows read by the scan rules, the rest counted
import { apiRoute, readUpload } from "@/server/api/route";
import { ACCEPTED_TYPES } from "@/server/security/content-types";

export const POST = apiRoute("ingest", async ({ req, core }) => Response.json(await core.ingestLogAsync("suricata", await readUpload(req, core.bodyLimit, ACCEPTED_TYPES.suricata), req.headers.get("content-type")), { status: 202 }));
