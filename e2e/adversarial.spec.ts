// An adversarial corpus against a real running server: hand-written hostile requests plus ones
// generated with fast-check, on every ingest and query route. Whatever arrives, the server answers
// below 500, stores a batch whole or not at all (the stored count moves by exactly `accepted`),
// and is still healthy after each request.
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { createKey, createUser, seedAnalyst } from "./support/accounts";

interface Case {
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "TRACE" | "OPTIONS";
  path: string;
  body?: Buffer | string;
  headers?: Record<string, string>;
  /** which table an ingest writes, to check that it stored exactly `accepted` rows */
  table?: "security_events" | "heartbeats";
}

const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 20261201);
const GENERATED = Number(process.env.VIGIL_FUZZ_CASES ?? 480);

let vigil: VigilServer;
let key = "";
let adminKey = "";
let db: Database.Database;

test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil));
  await createUser(vigil, "root@bank.test", "admin");
  adminKey = await createKey(vigil, "root@bank.test", "read,act,ingest");
  db = new Database(path.join(vigil.dataDir, "vigil.db"), { readonly: true, fileMustExist: true });
});
test.afterAll(async () => {
  db?.close();
  await vigil?.dispose();
});

const json = "application/json";
const now = () => Date.now();

function handWritten(): Case[] {
  const events = (body: Buffer | string, type = json): Case => ({ name: "", method: "POST", path: "/api/v1/events", body, headers: { "content-type": type }, table: "security_events" });
  const beats = (body: Buffer | string, type = json): Case => ({ name: "", method: "POST", path: "/api/v1/heartbeats", body, headers: { "content-type": type }, table: "heartbeats" });
  let deep = "1";
  for (let i = 0; i < 100_000; i++) deep = `{"a":${deep}}`;
  const cases: [string, Case][] = [
    ["a million empty items", events("[" + Array(1_000_000).fill("{}").join(",") + "]")],
    ["a million empty NDJSON lines", events(Array(1_000_000).fill("{}").join("\n"), "application/x-ndjson")],
    ["attributes 100,000 levels deep", events(`[{"kind":"anomaly","attributes":${deep}}]`)],
    ["a body 100,000 levels deep", events("[".repeat(100_000) + "]".repeat(100_000))],
    ["deep attributes next to a good item", events(`[{"kind":"anomaly","attributes":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}},{"kind":"anomaly"}]`)],
    ["invalid UTF-8 in a line", events(Buffer.concat([Buffer.from('{"kind":"anomaly"}\n{"kind":"anomaly","message":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), "application/x-ndjson")],
    ["invalid UTF-8 document", events(Buffer.from([0x5b, 0xff, 0x5d]))],
    ["a lone surrogate escape", events('[{"kind":"anomaly","message":"\\ud800"}]')],
    ["NUL bytes", events('[{"kind":"anomaly","message":"a\\u0000b"}]')],
    ["truncated JSON", events('[{"kind":"ids_alert"')],
    ["binary garbage", events(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)))],
    ["form content type", events('[{"kind":"anomaly"}]', "application/x-www-form-urlencoded")],
    ["no content type", { name: "", method: "POST", path: "/api/v1/events", body: '[{"kind":"anomaly"}]', headers: {}, table: "security_events" }],
    ["latin-1 charset", events('[{"kind":"anomaly"}]', "application/json; charset=latin1")],
    ["a 1 MB NDJSON line", events(`{"kind":"anomaly","message":"${"x".repeat(1_000_000)}"}\n{"kind":"anomaly"}`, "application/x-ndjson")],
    ["JSON scalar", events("42")],
    ["JSON null", events("null")],
    ["empty array", events("[]")],
    ["time 8.64e15", events(`[{"kind":"anomaly","time":8.64e15}]`)],
    ["time 2^53-1", events(`[{"kind":"anomaly","time":9007199254740991}]`)],
    ["time -000001", events(`[{"kind":"anomaly","time":"-000001-01-01T00:00:00Z"}]`)],
    ["time 2099", events(`[{"kind":"anomaly","time":"2099-01-01T00:00:00Z"}]`)],
    ["time hello 1", events(`[{"kind":"anomaly","time":"hello 1"}]`)],
    ["time 0 as text", events(`[{"kind":"anomaly","time":"0"}]`)],
    ["time 30 February", events(`[{"kind":"anomaly","time":"2026-02-30T00:00:00Z"}]`)],
    ["time 1e400", events(`[{"kind":"anomaly","time":1e400}]`)],
    ["src_ip with a zone", events(`[{"kind":"auth_failure","src_ip":"fe80::1%eth0"}]`)],
    ["src_ip an object", events(`[{"kind":"auth_failure","src_ip":{"toString":"1.2.3.4"}}]`)],
    ["__proto__ key", events(`[{"kind":"anomaly","__proto__":{"admin":true}}]`)],
    ["constructor in attributes", events(`[{"kind":"anomaly","attributes":{"constructor":{"prototype":{"x":1}},"__proto__":{"y":2}}}]`)],
    ["a huge key in attributes", events(`[{"kind":"anomaly","attributes":{"${"k".repeat(100_000)}":1}}]`)],
    ["an unknown field with a huge name", events(`[{"kind":"anomaly","${"u".repeat(200_000)}":1}]`)],
    ["SQL in every string", events(`[{"kind":"auth_failure","user":"'; DROP TABLE security_events; --","signature":"\\" OR 1=1 --","message":"x'); DELETE FROM incidents; --"}]`)],
    ["ANSI escapes and newlines", events(`[{"kind":"anomaly","message":"\\u001b[31mERROR\\u001b[0m\\nforged log line"}]`)],
    ["heartbeat for a path-like node", beats(`[{"node":"../../etc/passwd","ok":true}]`)],
    ["heartbeat latency Infinity-ish", beats(`[{"node":"gw","ok":true,"latency_ms":1e309}]`)],
    ["heartbeat ok as string", beats(`[{"node":"gw","ok":"true"}]`)],
    ["heartbeat node with unicode", beats(`[{"node":"gw\u0000x","ok":true}]`)],
    ["heartbeats for 20,000 new nodes", beats(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ node: `flood-${i}`, ok: false }))))],
    ["heartbeat from the future", beats(`[{"node":"gw","ok":true,"time":"2099-01-01T00:00:00Z"}]`)],
    ["heartbeats mixed case", beats(`[{"node":"Auth-1","ok":true},{"node":"auth-1","ok":true}]`)],
  ];
  const gets: [string, string][] = [
    ["bad %-escape in a path", "/api/v1/incidents/%zz"],
    ["bad %-escape on an admin route", "/api/v1/users/%zz"],
    ["bad %-escape in the query", "/api/v1/events?kind=%E0%A4%A"],
    ["hex id", "/api/v1/incidents/0x3"],
    ["exponent id", "/api/v1/incidents/3e0"],
    ["signed id", "/api/v1/incidents/+3"],
    ["fraction id", "/api/v1/incidents/.3e1"],
    ["huge id", "/api/v1/incidents/99999999999999999999999"],
    ["since epoch ms", `/api/v1/events?since=${now() - 60_000}`],
    ["since ISO", "/api/v1/events?since=2026-11-21T00:00:00Z"],
    ["since garbage", "/api/v1/events?since=yesterday"],
    ["limit hex", "/api/v1/events?limit=0x10"],
    ["limit negative", "/api/v1/events?limit=-1"],
    ["limit huge", "/api/v1/events?limit=1000000000"],
    ["repeated parameter", "/api/v1/events?limit=1&limit=2"],
    ["unknown parameter", "/api/v1/events?src_ip=1.2.3.4"],
    ["status injection", "/api/v1/incidents?status=all'--"],
    ["node cursor garbage", "/api/v1/nodes?after=abc"],
    ["node page", "/api/v1/nodes?limit=1000"],
    ["a path that does not exist", "/api/v1/nope"],
    ["a traversal path", "/api/v1/../../etc/passwd"],
    ["an encoded traversal", "/api/v1/%2e%2e/%2e%2e/etc/passwd"],
  ];
  for (const [name, p] of gets) cases.push([name, { name, method: "GET", path: p }]);
  for (const [name, c] of [
    ["TRACE on the root", { name: "", method: "TRACE", path: "/" }],
    ["TRACE on an API route", { name: "", method: "TRACE", path: "/api/v1/events" }],
    ["DELETE on events", { name: "", method: "DELETE", path: "/api/v1/events" }],
    ["PUT on nodes", { name: "", method: "PUT", path: "/api/v1/nodes", body: "{}" }],
    ["ack with a hex id", { name: "", method: "POST", path: "/api/v1/incidents/0x1/ack", body: "{}", headers: { "content-type": json } }],
    ["ack with a huge note", { name: "", method: "POST", path: "/api/v1/incidents/1/ack", body: JSON.stringify({ note: "n".repeat(2_000_000) }), headers: { "content-type": json } }],
    ["ack with a text body", { name: "", method: "POST", path: "/api/v1/incidents/1/ack", body: "hello", headers: { "content-type": "text/plain" } }],
    ["revoke key 0x3", { name: "", method: "POST", path: "/api/v1/keys/0x3/revoke", body: "{}", headers: { "content-type": json } }],
  ] as [string, Case][]) {
    cases.push([name, c]);
  }
  return cases.map(([name, c]) => ({ ...c, name }));
}

// generated: hostile but plausible items, bodies and query strings
const ipText = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4().map((ip) => `::ffff:${ip}`),
  fc.ipV6().map((ip) => ip.toUpperCase()),
  fc.string({ maxLength: 50 }),
);
const timeValue = fc.oneof(
  fc.integer({ min: -3_600_000, max: 600_000 }).map((d) => now() + d),
  fc.integer({ min: -3_600_000, max: 600_000 }).map((d) => new Date(now() + d).toISOString()),
  fc.integer({ min: -3_600, max: 60 }).map((d) => Math.floor(now() / 1000) + d),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(0, -1, 8.64e15, 2 ** 53 - 1, "2026-02-30T00:00:00Z", "", "0"),
);
const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 200 }), fc.constantFrom("<script>alert(1)</script>", "'; DROP TABLE x; --", "\u001b[2J", "${jndi:ldap://x}"));
const eventItem = fc.record(
  {
    kind: fc.oneof(fc.constantFrom("ids_alert", "auth_failure", "auth_success", "transaction", "anomaly", "system"), fc.string({ maxLength: 20 })),
    severity: fc.oneof(fc.constantFrom("critical", "high", "medium", "low", "info"), fc.string({ maxLength: 10 })),
    time: timeValue,
    src_ip: ipText,
    dst_ip: ipText,
    user: text,
    signature: text,
    message: text,
    attributes: fc.oneof(fc.jsonValue({ maxDepth: 12 }), fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 4 }))),
    extra: fc.anything({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);
const heartbeatItem = fc.record(
  {
    node: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/), fc.string({ maxLength: 200 })),
    ok: fc.oneof(fc.boolean(), fc.anything({ maxDepth: 1 })),
    latency_ms: fc.oneof(fc.double(), fc.integer()),
    time: timeValue,
    message: text,
  },
  { requiredKeys: ["node", "ok"] },
);
const corrupt = (body: string) =>
  fc.oneof(
    fc.constant(Buffer.from(body)),
    fc.nat({ max: Math.max(0, body.length - 1) }).map((at) => Buffer.concat([Buffer.from(body.slice(0, at)), Buffer.from([0xff]), Buffer.from(body.slice(at))])),
    fc.nat({ max: Math.max(0, body.length - 1) }).map((at) => Buffer.from(body.slice(0, at))),
  );
const ingestCase = (p: string, table: Case["table"], item: fc.Arbitrary<unknown>) =>
  fc
    .tuple(fc.array(item, { maxLength: 40 }), fc.boolean(), fc.constantFrom(json, "application/x-ndjson", json, "text/plain"))
    .chain(([items, ndjson, type]) =>
      corrupt(ndjson ? items.map((i) => JSON.stringify(i) ?? "null").join("\n") : JSON.stringify(items)).map(
        (body): Case => ({ name: `generated ${p}`, method: "POST", path: p, body, headers: { "content-type": type }, table }),
      ),
    );
const queryCase = fc
  .tuple(
    fc.constantFrom("/api/v1/events", "/api/v1/incidents", "/api/v1/nodes", "/api/v1/security/snapshot", "/api/v1/incidents/1", "/api/v1/audit"),
    fc.array(fc.tuple(fc.constantFrom("kind", "severity", "since", "limit", "status", "pane", "after", "before", "q", "format", "x"), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("%zz", "%", "1e3", "0x10", "-5", "all", "network", "csv"))), { maxLength: 4 }),
  )
  .map(([p, params]): Case => ({ name: `generated GET ${p}`, method: "GET", path: `${p}?${params.map(([k, v]) => `${k}=${v === "%zz" || v === "%" ? v : encodeURIComponent(v)}`).join("&")}` }));

function generated(): Case[] {
  const arb = fc.oneof(
    { weight: 3, arbitrary: ingestCase("/api/v1/events", "security_events", eventItem) },
    { weight: 2, arbitrary: ingestCase("/api/v1/heartbeats", "heartbeats", heartbeatItem) },
    { weight: 2, arbitrary: queryCase },
  );
  return fc.sample(arb, { numRuns: GENERATED, seed: SEED });
}

const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** A raw HTTP request (fetch refuses TRACE and rewrites some headers). */
function raw(method: string, p: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const url = new URL(vigil.url + p);
    const req = http.request({ host: url.hostname, port: url.port, path: p, method, headers: { host: url.host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const send = (c: Case, authorization: string) => raw(c.method, c.path, { authorization: `Bearer ${authorization}`, ...c.headers }, c.body);

test("the adversarial corpus: no 5xx, no half-stored batch, healthy after every request", async () => {
  test.setTimeout(300_000);
  const cases = [...handWritten(), ...generated()];
  expect(cases.length).toBeGreaterThanOrEqual(500);
  const failures: string[] = [];
  for (const [i, c] of cases.entries()) {
    const before = c.table ? count(c.table) : 0;
    const { status, body } = await send(c, c.path.startsWith("/api/v1/audit") ? adminKey : key);
    const label = `#${i} ${c.name} ${c.method} ${c.path.slice(0, 80)}`;
    if (status >= 500) failures.push(`${label}: ${status} ${body.slice(0, 200)}`);
    if (c.table) {
      const stored = count(c.table) - before;
      const accepted = status === 202 ? (JSON.parse(body) as { accepted: number }).accepted : 0;
      if (stored !== accepted) failures.push(`${label}: answered ${status} accepted=${accepted} but stored ${stored}`);
      if (status === 202) {
        const answer = JSON.parse(body) as { rejected: unknown[]; rejected_total: number };
        if (answer.rejected.length > 100 || answer.rejected_total < answer.rejected.length) failures.push(`${label}: rejection list not bounded or miscounted`);
      }
    }
    const health = await raw("GET", "/api/health", {});
    if (health.status !== 200) failures.push(`${label}: server unhealthy afterwards (${health.status})`);
  }
  expect(failures).toEqual([]);
});

test("hostile answers name what was wrong", async () => {
  const expectStatus = async (c: Omit<Case, "name">, status: number, code?: string) => {
    const r = await send({ ...c, name: "" }, key);
    expect(r.status, `${c.method} ${c.path}: ${r.body}`).toBe(status);
    if (code) expect(JSON.parse(r.body).error.code).toBe(code);
    return r;
  };
  await expectStatus({ method: "GET", path: "/api/v1/incidents/0x3" }, 400, "invalid_id");
  await expectStatus({ method: "GET", path: "/api/v1/users/%zz" }, 400, "bad_url");
  const trace = await raw("TRACE", "/api/v1/events", {});
  expect(trace.status).toBe(405);
  expect(trace.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
  const del = await raw("DELETE", "/api/v1/events", { authorization: `Bearer ${key}` });
  expect(del.status).toBe(405);
  expect(del.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
  await expectStatus({ method: "POST", path: "/api/v1/events", body: "[]", headers: { "content-type": "text/html" } }, 415, "unsupported_media_type");
  const many = await expectStatus({ method: "POST", path: "/api/v1/events", body: "[" + Array(10_001).fill("{}").join(",") + "]", headers: { "content-type": json } }, 413, "too_many_items");
  expect(many.body).toContain("10001");
  const since = await expectStatus({ method: "GET", path: `/api/v1/events?since=${now() - 3_600_000}` }, 200);
  expect(JSON.parse(since.body).events).toBeInstanceOf(Array);
  await expectStatus({ method: "GET", path: "/api/v1/events?src_ip=1.2.3.4" }, 400, "invalid_query");
});
