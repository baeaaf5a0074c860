import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { signedIn } from "../test-support/people";
import { setCore } from "../registry";
import { cliActor } from "../auth/actor";
import { POST as ack } from "../../app/api/v1/incidents/[id]/ack/route";

const { core } = testCore();
const tokens: string[] = [];
let url = "";
let close = () => undefined as void;

beforeAll(async () => {
  setCore(core);
  await signedIn(core, "analyst@bank.test", "analyst");
  // fifty people (keys with their own names): fifty different actors
  for (let k = 0; k < 50; k++) tokens.push(core.access.keys.create({ ownerEmail: "analyst@bank.test", name: `racer-${k}`, scopes: ["read", "act"] }, cliActor()).token);
  // a real HTTP server in front of the route handler, as Next serves it
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const id = /\/api\/v1\/incidents\/(\d+)\/ack$/.exec(req.url ?? "")?.[1] ?? "0";
    const answer = await ack(
      new Request(`http://vigil.test:3000${req.url}`, { method: "POST", headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) }),
      { params: Promise.resolve({ id }) },
    );
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => void server.close();
});
afterAll(() => {
  close();
  setCore(undefined);
});

describe("fifty acknowledgements of one incident at once, over HTTP", () => {
  it("have exactly one winner and 49 clean 409s that name the winner", async () => {
    core.ingestEvents(Array.from({ length: 10 }, (_, i) => ({ kind: "auth_failure", src_ip: "203.0.113.5", time: core.clock.now() - 30_000 + i })), "test");
    const [incident] = core.incidentsSnapshot({ status: "open", limit: 1 }).incidents;
    const answers = await Promise.all(
      tokens.map((token) =>
        fetch(`${url}/api/v1/incidents/${incident.id}/ack`, {
          method: "POST",
          headers: { host: "vigil.test:3000", authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ version: incident.version }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { incident?: { acknowledged_by: string }; error?: { message: string } } })),
      ),
    );
    const won = answers.filter((a) => a.status === 200);
    const lost = answers.filter((a) => a.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    const winner = won[0].body.incident!.acknowledged_by;
    expect(winner).toMatch(/^key:racer-\d+$/);
    for (const l of lost) expect(l.body.error!.message).toContain(`acknowledged by ${winner} at `);
    expect(core.incident(incident.id)?.timeline.filter((t) => t.action === "acknowledged")).toHaveLength(1);
  });
});
