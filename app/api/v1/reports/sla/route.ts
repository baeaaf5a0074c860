// GET /api/v1/reports/sla?node=<id|key>|tag=<key>=<value>&from=&to=&format=json|csv – per node uptime, downtime, incidents, worst hour
import { apiRoute, parseQuery } from "@/server/api/route";
import { slaQuerySchema } from "@/lib/contracts/figures";

export const GET = apiRoute("read", async ({ req, core }) => {
  const q = parseQuery(req, slaQuerySchema);
  const { answer, csv } = await core.slaReport(q);
  if (q.format === "json") return answer;
  // the file name is built from the range alone: nothing the caller typed goes into a header
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return new Response(csv(), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="vigil-sla-${day(answer.from)}-${day(answer.to)}.csv"`,
      "cache-control": "no-store",
    },
  });
});
