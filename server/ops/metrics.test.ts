import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { io as connect } from "socket.io-client";
import { attachLive } from "../live/socket";
import { personOf } from "../test-support/core";
import type { Batch, SubscribeAck } from "../../lib/contracts/live";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { HOST } from "../test-support/people";
import { setCore } from "../registry";
import { cliActor } from "../auth/actor";
import type { RouteHandler } from "../api/route";
import { createMetrics, OPEN_INCIDENTS_SLICE } from "./metrics";
import { rejectionReason } from "./metrics-labels";
import { isLoopbackAddress, stampLoopback } from "./metrics-access";

/** The value of one sample line (`name{labels} value`) in a Prometheus text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics content", () => {
  const { core, handle, clock } = testCore();

  it("names every figure the issue lists, all prefixed vigil_", async () => {
    const text = await core.metrics.render();
    for (const name of [
      "vigil_ingest_accepted_total",
      "vigil_ingest_rejected_total",
      "vigil_ingest_duration_seconds",
      "vigil_live_clients",
      "vigil_live_deltas_sent_total",
      "vigil_live_deltas_replayed_total",
      "vigil_incidents_open",
      "vigil_database_size_bytes",
      "vigil_audit_checkpoint_verified_id",
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    const names = text.split("\n").filter((l) => l.startsWith("# TYPE ")).map((l) => l.split(" ")[2]);
    expect(names.every((n) => n.startsWith("vigil_"))).toBe(true);
  });

  it("counts accepted items and rejected ones by endpoint and the field at fault, and times each batch", async () => {
    const before = await core.metrics.render();
    core.ingestEvents([{ kind: "anomaly", message: "ok" }, { kind: "nonsense" }, { kind: "anomaly", severity: "apocalyptic" }, { kind: "anomaly" }], "api");
    core.ingestHeartbeats([{ node: "gw-1", ok: true, latency_ms: 4 }], "api");
    const after = await core.metrics.render();
    const delta = (series: string) => (sample(after, series) ?? 0) - (sample(before, series) ?? 0);
    expect(delta('vigil_ingest_accepted_total{endpoint="events",source="api"}')).toBe(2);
    expect(delta('vigil_ingest_rejected_total{endpoint="events",reason="kind"}')).toBe(1);
    expect(delta('vigil_ingest_rejected_total{endpoint="events",reason="severity"}')).toBe(1);
    expect(delta('vigil_ingest_accepted_total{endpoint="heartbeats",source="api"}')).toBe(1);
    expect(delta('vigil_ingest_duration_seconds_count{endpoint="events"}')).toBe(1);
    expect(delta('vigil_ingest_duration_seconds_count{endpoint="heartbeats"}')).toBe(1);
  });

  it("counts rejections past the answer's list as `unlisted`, so the total is never lost", async () => {
    const metrics = createMetrics({ sqlite: handle.sqlite, file: ":memory:" });
    metrics.ingest("events", "api", { accepted: 0, rejected: [{ index: 0, error: "kind: invalid option" }], rejected_total: 1000 });
    const text = await metrics.render();
    expect(sample(text, 'vigil_ingest_rejected_total{endpoint="events",reason="kind"}')).toBe(1);
    expect(sample(text, 'vigil_ingest_rejected_total{endpoint="events",reason="unlisted"}')).toBe(999);
  });

  it("keeps the reason label bounded whatever the callers send", async () => {
    const metrics = createMetrics({ sqlite: handle.sqlite, file: ":memory:" });
    for (let i = 0; i < 200; i++) metrics.ingest("events", "api", { accepted: 0, rejected: [{ index: 0, error: `field${i}: made up` }] });
    const text = await metrics.render();
    const reasons = text.split("\n").filter((l) => l.startsWith("vigil_ingest_rejected_total{"));
    expect(reasons.length).toBeLessThanOrEqual(25);
    expect(sample(text, 'vigil_ingest_rejected_total{endpoint="events",reason="other"}')).toBe(200 - 24);
  });

  it("derives coarse reasons from rejection messages, never the caller's text", () => {
    expect(rejectionReason("severity: Invalid option: expected one of critical|high")).toBe("severity");
    expect(rejectionReason("attributes.deep.er: too deep")).toBe("attributes");
    expect(rejectionReason("line 3 is not valid JSON")).toBe("json");
    expect(rejectionReason('Unrecognized key: "<script>"')).toBe("unknown_field");
    expect(rejectionReason("<script>alert(1)</script>: x")).toBe("invalid");
  });

  it("counts open incidents by pane and severity with a query at scrape time", async () => {
    for (let i = 0; i < 3; i++) core.ingestHeartbeats([{ node: "gw-1", ok: false }], "test");
    core.ingestEvents(Array.from({ length: 12 }, () => ({ kind: "auth_failure", src_ip: "203.0.113.5" })), "test");
    const open = core.incidentsSnapshot({ status: "open", limit: 100 }).incidents;
    expect(open.length).toBeGreaterThan(0);
    const text = await core.metrics.render();
    for (const pane of ["network", "security"]) {
      const expected = open.filter((i) => i.pane === pane).length;
      const total = ["critical", "high", "medium", "low", "info"].reduce((sum, s) => sum + (sample(text, `vigil_incidents_open{pane="${pane}",severity="${s}"}`) ?? NaN), 0);
      expect(total, pane).toBe(expected);
    }
  });

  it("gives the same open-incident counts when it counts in many small slices", async () => {
    const whole = await core.metrics.render();
    const sliced = await createMetrics({ sqlite: handle.sqlite, file: ":memory:", incidentSlice: 1 }).render();
    const series = (text: string) => text.split("\n").filter((l) => l.startsWith("vigil_incidents_open{"));
    expect(series(whole).length).toBe(10);
    expect(series(sliced)).toEqual(series(whole));
  });

  it("walks open incidents along the pane/status index, never a table scan", () => {
    const plan = (handle.sqlite.prepare(`EXPLAIN QUERY PLAN ${OPEN_INCIDENTS_SLICE}`).all("network", "open", 0, 0, 10) as { detail: string }[]).map((r) => r.detail);
    expect(plan).toEqual([expect.stringMatching(/^SEARCH incidents USING INDEX incidents_pane_status_last_seen \(pane=\? AND status=\? AND last_seen>\?\)/)]);
  });

  it("reports the database size from its pages", async () => {
    const text = await core.metrics.render();
    const pages = (handle.sqlite.pragma("page_count", { simple: true }) as number) * (handle.sqlite.pragma("page_size", { simple: true }) as number);
    expect(sample(text, "vigil_database_size_bytes")).toBe(pages);
  });

  it("reads the audit checkpoint, and an empty checkpoint table as 0", async () => {
    handle.sqlite.exec("DELETE FROM audit_checkpoint");
    expect(sample(await core.metrics.render(), "vigil_audit_checkpoint_verified_id")).toBe(0);
    handle.sqlite.prepare("INSERT INTO audit_checkpoint (id, verified_id, hash, verified_at) VALUES (1, 7, 'h', 1700000000000)").run();
    const text = await core.metrics.render();
    expect(sample(text, "vigil_audit_checkpoint_verified_id")).toBe(7);
    expect(sample(text, "vigil_audit_checkpoint_timestamp_seconds")).toBe(1_700_000_000);
  });

  it("shows what the windowed detections hold and have dropped, by rule", async () => {
    const line = (p: number) => `${new Date(clock.now() - 60_000 + p * 1_000).toISOString()} bastion sshd[${p}]: Failed password for root from 203.0.113.${p} port 4${p} ssh2`;
    const figure = (text: string, rule: string, what: string) => sample(text, `vigil_detection_state{rule="${rule}",what="${what}"}`) ?? NaN;
    const before = await core.metrics.render(); // earlier tests here ingested failures too
    expect(core.ingestLog("syslog", new TextEncoder().encode([1, 2, 3].map(line).join("\n")), "text/plain")).toMatchObject({ accepted: 3 });
    const text = await core.metrics.render();
    for (const [rule, what, grew] of [["brute_force", "keys", 3], ["brute_force", "connections", 3], ["password_spraying", "entries", 3], ["brute_force", "evicted_keys", 0]] as const) {
      expect(figure(text, rule, what) - figure(before, rule, what), `${rule} ${what}`).toBe(grew);
    }
  });

  it("shows the socket layer's figures once it is attached", async () => {
    core.metrics.observeLive(() => ({ clients: 3, sent: 120, replayed: 20, resyncs: 1 }));
    const text = await core.metrics.render();
    expect(sample(text, "vigil_live_clients")).toBe(3);
    expect(sample(text, "vigil_live_deltas_sent_total")).toBe(120);
    expect(sample(text, "vigil_live_deltas_replayed_total")).toBe(20);
    expect(sample(text, "vigil_live_resyncs_total")).toBe(1);
  });

  it("adds Node's event-loop lag under vigil_ when process metrics are on", async () => {
    const metrics = createMetrics({ sqlite: handle.sqlite, file: ":memory:", processMetrics: true });
    expect(await metrics.render()).toContain("vigil_nodejs_eventloop_lag_seconds");
  });

  it("still answers when the database is gone, showing what it cannot read as unknown (NaN or no series), not 0", async () => {
    const { core: other, handle: h } = testCore();
    h.close();
    const text = await other.metrics.render();
    expect(text).toContain("# TYPE vigil_ingest_accepted_total counter");
    expect(sample(text, "vigil_database_size_bytes")).toBeNaN();
    expect(sample(text, "vigil_audit_checkpoint_verified_id")).toBeNaN();
    expect(text.split("\n").filter((l) => l.startsWith("vigil_incidents_open{"))).toEqual([]);
  });
});

describe("who may read GET /metrics", () => {
  const { core } = testCore();
  let GET: RouteHandler;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    setCore(core);
    GET = (await import(path.resolve(import.meta.dirname, "../../app/metrics/route.ts"))).GET as RouteHandler;
    await core.access.users.create({ email: "noc@bank.test", role: "noc", password: "correct horse battery" }, cliActor());
    tokens.metrics = core.access.keys.create({ ownerEmail: "noc@bank.test", name: "prometheus", scopes: ["metrics"] }, cliActor()).token;
    tokens.read = core.access.keys.create({ ownerEmail: "noc@bank.test", name: "dashboard", scopes: ["read", "ingest"] }, cliActor()).token;
  });
  afterAll(() => setCore(undefined));

  const get = (headers: Record<string, string>) => GET(new Request(`http://${HOST}/metrics`, { headers: { host: HOST, ...headers } }));

  it("answers a key with the metrics scope from anywhere, in Prometheus text format", async () => {
    const res = await get({ authorization: `Bearer ${tokens.metrics}`, "x-vigil-remote-addr": "198.51.100.7" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain("vigil_ingest_accepted_total");
  });

  it("refuses a key without the metrics scope (403) and a caller without credentials (401)", async () => {
    expect((await get({ authorization: `Bearer ${tokens.read}`, "x-vigil-remote-addr": "198.51.100.7" })).status).toBe(403);
    expect((await get({ "x-vigil-remote-addr": "198.51.100.7" })).status).toBe(401);
  });

  /** the headers the custom server leaves on a request from `peer` that arrived with `headers` */
  const stamped = (peer: string, headers: Record<string, string> = {}) => {
    const req = { headers: { ...headers } as Record<string, string | undefined>, socket: { remoteAddress: peer } };
    stampLoopback(req as unknown as Parameters<typeof stampLoopback>[0]);
    return Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => e[1] !== undefined));
  };

  it("answers a direct caller on loopback without credentials, in any spelling of the address", async () => {
    for (const peer of ["127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]) {
      // Next adds an X-Forwarded-For of its own after the custom server has looked
      expect((await get({ ...stamped(peer), "x-forwarded-for": peer })).status, peer).toBe(200);
    }
  });

  it("does not count a request that came through a proxy, or from elsewhere, as loopback", async () => {
    expect((await get(stamped("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }))).status).toBe(401);
    expect((await get(stamped("127.0.0.1", { forwarded: "for=203.0.113.9" }))).status).toBe(401);
    expect((await get(stamped("198.51.100.7"))).status).toBe(401);
  });

  it("drops a loopback mark sent by the client", async () => {
    const headers = stamped("198.51.100.7", { "x-vigil-loopback": "1" });
    expect(headers["x-vigil-loopback"]).toBeUndefined();
    expect((await get(headers)).status).toBe(401);
  });

  it("knows loopback addresses from others", () => {
    expect(["127.0.0.1", "127.255.0.9", "::1", "[::1]", "::ffff:127.0.0.1"].every(isLoopbackAddress)).toBe(true);
    expect(["128.0.0.1", "::2", "10.0.0.1", "localhost", "", null, "127.0.0.1.evil"].some(isLoopbackAddress)).toBe(false);
  });
});

describe("live delivery figures", () => {
  it("count delta items sent to each subscribed client and items replayed to a reconnecting one", async () => {
    const { core, hub } = testCore();
    const server = http.createServer();
    const live = attachLive(server, hub, { authenticate: async () => ({ ok: true, identity: personOf("viewer") }) });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const open = async () => {
      const socket = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false });
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      return socket;
    };
    const first = await open();
    const second = await open();
    try {
      for (const s of [first, second]) await new Promise<SubscribeAck>((resolve) => s.emit("subscribe", { streams: ["security"] }, resolve));
      const received = new Promise<Batch>((resolve) => second.once("batch", resolve));
      core.ingestEvents([{ kind: "anomaly", message: "a" }, { kind: "anomaly", message: "b" }], "test");
      hub.flush();
      const items = (await received).items.length;
      expect(items).toBeGreaterThan(0);
      expect(live.stats()).toMatchObject({ clients: 2, sent: 2 * items, replayed: 0, resyncs: 0 });

      const third = await open();
      const replayed = new Promise<Batch>((resolve) => third.once("batch", resolve));
      await new Promise<SubscribeAck>((resolve) => third.emit("subscribe", { streams: ["security"], since: { security: 0 }, epoch: hub.epoch }, resolve));
      expect((await replayed).items.length).toBe(items);
      await new Promise<SubscribeAck>((resolve) => third.emit("subscribe", { streams: ["security"], since: { security: 0 }, epoch: "another-epoch" }, resolve));
      expect(live.stats()).toMatchObject({ clients: 3, sent: 3 * items, replayed: items, resyncs: 1 });
      third.close();

      core.metrics.observeLive(live.stats);
      const text = await core.metrics.render();
      expect(sample(text, "vigil_live_deltas_replayed_total")).toBe(items);
    } finally {
      first.close();
      second.close();
      live.close();
      server.close();
    }
  });
});
