import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliActor } from "../auth/actor";
import { setCore } from "../registry";
import type { RouteHandler } from "../api/route";
import { testCore } from "../test-support/core";
import { HOST } from "../test-support/people";

// POST /api/v1/ingest/fast over HTTP with ?fields=: Snort 3 alert_csv in a field list the request names.
describe("POST /api/v1/ingest/fast?fields=", () => {
  const { core } = testCore();
  let POST: RouteHandler;
  let token = "";

  beforeAll(async () => {
    setCore(core);
    POST = (await import(path.resolve(import.meta.dirname, "../../app/api/v1/ingest/fast/route.ts"))).POST as RouteHandler;
    await core.access.users.create({ email: "noc@bank.test", role: "noc", password: "correct horse battery" }, cliActor());
    token = core.access.keys.create({ ownerEmail: "noc@bank.test", name: "sensor", scopes: ["ingest"] }, cliActor()).token;
  });
  afterAll(() => setCore(undefined));

  const post = async (query: string, body: string) => {
    const res = await POST(
      new Request(`http://${HOST}/api/v1/ingest/fast${query}`, { method: "POST", headers: { host: HOST, authorization: `Bearer ${token}`, "content-type": "text/plain", "x-vigil-remote-addr": "198.51.100.7" }, body }),
      { params: Promise.resolve({}) },
    );
    return { status: res.status, body: await res.json() };
  };

  it("reads alert_csv lines in the fields named by ?fields= (given once or repeated), msg as the signature", async () => {
    const line = '11/21-11:59:00.000001, 1:2010935:3, "ET POLICY Suspicious inbound to MSSQL port 1433", 203.0.113.7:50284, 192.0.2.10:1433, TCP, allow';
    const r = await post("?fields=timestamp,rule,msg,src_ap,dst_ap,proto,action", line);
    expect(r).toMatchObject({ status: 202, body: { accepted: 1, rejected_total: 0 } });
    const again = await post("?fields=timestamp,rule,msg&fields=src_ap,dst_ap,proto,action", line.replace("11:59:00", "11:59:01"));
    expect(again).toMatchObject({ status: 202, body: { accepted: 1 } });
    const rows = core.handle.sqlite.prepare("SELECT signature, src_ip, dst_port FROM security_events ORDER BY time").all();
    expect(rows).toEqual([
      { signature: "ET POLICY Suspicious inbound to MSSQL port 1433", src_ip: "203.0.113.7", dst_port: 1433 },
      { signature: "ET POLICY Suspicious inbound to MSSQL port 1433", src_ip: "203.0.113.7", dst_port: 1433 },
    ]);
  });

  it("answers 400 naming the field names alert_csv does not write", async () => {
    const r = await post("?fields=timestamp,rule,sig,src", "11/21-11:59:00.000001, 1:1:1, x, y");
    expect(r).toMatchObject({ status: 400, body: { error: { code: "invalid_fields", message: 'fields: Snort 3 alert_csv field list: not alert_csv field names: "sig", "src"' } } });
  });
});
