// POST /api/v1/ingest/fast – Snort 2/3 and Suricata fast.log alert lines, Snort alert_full records, Snort 2 alert_csv, Snort 3 alert_json and alert_csv
// (?fields=timestamp,rule,msg,…: the field list Snort 3's alert_csv lines are written in, when not its default)
import { apiRoute, readUpload } from "@/server/api/route";
import { ACCEPTED_TYPES } from "@/server/security/content-types";

export const POST = apiRoute("ingest", async ({ req, core }) => {
  const given = new URL(req.url).searchParams.getAll("fields");
  const upload = given.length ? { fields: given.join(",") } : {};
  return Response.json(await core.ingestLogAsync("fast", await readUpload(req, core.bodyLimit, ACCEPTED_TYPES.fast), req.headers.get("content-type"), upload), { status: 202 });
});
