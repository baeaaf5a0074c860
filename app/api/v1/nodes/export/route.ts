// GET /api/v1/nodes/export – every node as a nodes file (YAML; push tokens left out), to save as VIGIL_CONFIG
import { apiRoute } from "@/server/api/route";

export const GET = apiRoute("nodes:manage", ({ core }) =>
  new Response(core.exportNodes(), {
    headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": 'attachment; filename="vigil-nodes.yaml"', "cache-control": "no-store" },
  }),
);
