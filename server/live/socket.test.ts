import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { attachLive } from "./socket";
import { Hub } from "./hub";
import type { Batch, ClientToServerEvents, IncidentDelta, Resync, SecurityDelta, ServerToClientEvents, SubscribeAck, SubscribeRequest } from "../../lib/contracts/live";
import type { Incident } from "../../lib/contracts/incidents";
import { personOf } from "../test-support/core";
import type { IdentityResult } from "../auth/identity";
import { openDatabase } from "../../db/client";
import { createCore } from "../core";
import { cliActor } from "../auth/actor";
import { HOST, ORIGIN, signedIn } from "../test-support/people";
import { socketAuthenticator } from "./socket-auth";
import { closeOnAccessChange } from "./access-watch";

/** Tokens stand for callers here; the real resolver is exercised in the access-matrix test. */
const CALLERS: Record<string, IdentityResult> = {
  reader: { ok: true, identity: personOf("viewer") },
  ingestOnly: { ok: true, identity: { ...personOf("analyst"), kind: "key", permissions: new Set(["ingest"] as const) } },
  pendingMfa: { ok: true, identity: { ...personOf("admin"), mfaPending: true } },
};
const authenticate = async (_req: unknown, token: string | undefined): Promise<IdentityResult> =>
  (token && CALLERS[token]) || { ok: false, status: 401, code: "unauthenticated", message: "sign in or send an API key" };

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const ev = (id: number): SecurityDelta => ({
  type: "event",
  event: { id, time: id, kind: "ids_alert", severity: "low", source: "t", src_ip: null, dst_ip: null, user: null, signature: null, message: null, attributes: null, service: null, src_host: null, src_port: null, dst_port: null, proto: null, occurrences: 1 },
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A real socket.io server over a real HTTP server on an ephemeral port; the hub is flushed by hand. */
async function start(hub = new Hub()) {
  const server = http.createServer();
  const live = attachLive(server, hub, { authenticate });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(() => {
    live.close();
    server.close();
  });
  return { hub, url };
}

function client(url: string, token: string | null = "reader"): Client {
  const socket: Client = connect(url, { path: "/socket.io", transports: ["websocket"], forceNew: true, reconnection: false, auth: token ? { token } : {} });
  cleanups.push(() => socket.disconnect());
  return socket;
}

const subscribe = (socket: Client, request: SubscribeRequest) =>
  new Promise<SubscribeAck>((resolve) => socket.emit("subscribe", request, resolve));
const nextBatch = (socket: Client) => new Promise<Batch>((resolve) => socket.once("batch", resolve));
const ids = (b: Batch) => (b.items as SecurityDelta[]).map((i) => i.event.id);

const refusal = (socket: Client) => new Promise<string>((resolve) => socket.once("connect_error", (e) => resolve(e.message)));

describe("live socket admission", () => {
  it("refuses a handshake without credentials", async () => {
    const { url } = await start();
    expect(await refusal(client(url, null))).toMatch(/sign in/);
  });
  it("refuses a key that may not read", async () => {
    const { url } = await start();
    expect(await refusal(client(url, "ingestOnly"))).toMatch(/read scope/);
  });
  it("refuses a browser handshake from another site's page, even with valid credentials", async () => {
    const { url } = await start();
    const socket: Client = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token: "reader" }, extraHeaders: { origin: "https://evil.example" } });
    cleanups.push(() => socket.disconnect());
    expect(await refusal(socket)).toBeTruthy();
    const own: Client = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token: "reader" }, extraHeaders: { origin: url } });
    cleanups.push(() => own.disconnect());
    await new Promise<void>((resolve) => own.once("connect", () => resolve()));
  });

  it("refuses a user who must still enrol a second factor", async () => {
    const { url } = await start();
    expect(await refusal(client(url, "pendingMfa"))).toMatch(/two-factor/);
  });
});

describe("live socket", () => {
  it("delivers a flushed batch to every subscriber of the stream, and only to them", async () => {
    const { hub, url } = await start();
    const a = client(url);
    const b = client(url);
    await subscribe(a, { streams: ["security"] });
    await subscribe(b, { streams: ["network"] });
    let bGotSecurity = false;
    b.on("batch", (batch) => (bGotSecurity ||= batch.stream === "security"));
    const got = nextBatch(a);
    hub.publish("security", [ev(1), ev(2)]);
    hub.flush();
    expect(await got).toMatchObject({ stream: "security", seq_from: 1, seq_to: 2 });
    await subscribe(b, { streams: ["network"] }); // a round trip: anything sent to b before this has arrived
    expect(bGotSecurity).toBe(false);
  });

  it("sends incidents without their details (the page fetches them), while the hub's other listeners get them whole", async () => {
    const { hub, url } = await start();
    let inProcess: unknown = undefined;
    hub.onBatch((b) => (inProcess = (b.items[0] as IncidentDelta).incident.details));
    const a = client(url);
    await subscribe(a, { streams: ["incidents"] });
    const got = nextBatch(a);
    const incident = { id: 3, title: "40 nodes down", status: "open", details: { members: [{ key: "n1" }] } } as unknown as Incident;
    hub.publish("incidents", [{ type: "incident", incident }]);
    hub.flush();
    expect(((await got).items[0] as IncidentDelta).incident).toMatchObject({ id: 3, title: "40 nodes down", details: null });
    expect(inProcess).toEqual({ members: [{ key: "n1" }] });
  });

  it("replays to a reconnecting client exactly what was published while it was away", async () => {
    const { hub, url } = await start();
    const first = client(url);
    await subscribe(first, { streams: ["security"] });
    const seen = nextBatch(first);
    hub.publish("security", [ev(1)]);
    hub.flush();
    const lastSeq = (await seen).seq_to;
    first.disconnect();

    hub.publish("security", [ev(2), ev(3)]);
    hub.flush();
    hub.publish("security", [ev(4)]); // published, not yet flushed

    const again = client(url);
    const replayed = nextBatch(again);
    const ack = await subscribe(again, { streams: ["security"], since: { security: lastSeq }, epoch: hub.epoch });
    expect(ack).toMatchObject({ ok: true, head: { security: 4 } });
    const replay = await replayed;
    expect([replay.seq_from, ids(replay)]).toEqual([2, [2, 3]]);
    const live = nextBatch(again);
    hub.flush();
    expect(ids(await live)).toEqual([4]);
  });

  it("orders a resync when the client's epoch is from before a restart", async () => {
    const { hub, url } = await start();
    hub.publish("security", [ev(1)]);
    hub.flush();
    const socket = client(url);
    const resync = new Promise<Resync>((resolve) => socket.once("resync", resolve));
    await subscribe(socket, { streams: ["security"], since: { security: 1 }, epoch: "old-epoch" });
    expect(await resync).toEqual({ stream: "security", reason: "server restarted" });
  });

  it("answers a malformed subscribe with an error naming the problem", async () => {
    const { url } = await start();
    const ack = await subscribe(client(url), { streams: ["everything"] } as unknown as SubscribeRequest);
    expect(ack.ok).toBe(false);
    expect(!ack.ok && ack.error).toMatch(/streams/);
  });
});

describe("live socket access changes", () => {
  const secret = "test-secret-test-secret-test-secret-0123";

  /** The server's core over a database file, its socket server wired as server/index.ts wires it, and a second core on the same file standing for the CLI. */
  async function startOnFile() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-live-"));
    const handle = openDatabase(dir);
    const core = createCore(handle, { access: { secret, publicUrl: ORIGIN } });
    const server = http.createServer();
    const live = attachLive(server, core.hub, { authenticate: socketAuthenticator(core) });
    const stopWatching = closeOnAccessChange(live, core.access);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const cliHandle = openDatabase(dir);
    const cli = createCore(cliHandle, { access: { secret, publicUrl: "http://localhost" } });
    cleanups.push(() => {
      stopWatching();
      live.close();
      server.close();
      handle.close();
      cliHandle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return { core, cli, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  const open = (url: string, auth: { token?: string; cookie?: string }) => {
    const socket: Client = connect(url, {
      path: "/socket.io",
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      auth: auth.token ? { token: auth.token } : {},
      extraHeaders: auth.cookie ? { cookie: auth.cookie } : {},
    });
    cleanups.push(() => socket.disconnect());
    return new Promise<Client>((resolve, reject) => {
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", reject);
    });
  };

  /** The server's disconnect, or a failure when the socket is still open a second later. */
  const closedWithinASecond = (socket: Client) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the socket is still open 1 s after the change")), 1000);
      socket.once("disconnect", (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });

  it("closes the sockets of a key revoked by the CLI (another connection) within a second, and only those", async () => {
    const { core, cli, url } = await startOnFile();
    await core.access.users.create({ email: "ana@bank.test", role: "analyst", password: "correct horse battery staple" }, cliActor());
    const doomed = core.access.keys.create({ ownerEmail: "ana@bank.test", name: "sensor", scopes: ["read"] }, cliActor());
    const kept = core.access.keys.create({ ownerEmail: "ana@bank.test", name: "wall", scopes: ["read"] }, cliActor());
    const [a, b] = await Promise.all([open(url, { token: doomed.token }), open(url, { token: kept.token })]);
    const closed = closedWithinASecond(a);
    cli.access.keys.revoke(doomed.key.id, cliActor());
    expect(await closed).toBe("io server disconnect");
    expect((await subscribe(b, { streams: ["security"] })).ok).toBe(true);
    expect(b.connected).toBe(true);
  });

  it("closes a signed-in user's socket within a second when the CLI changes their role", async () => {
    const { core, cli, url } = await startOnFile();
    const ana = await signedIn(core, "ana@bank.test", "analyst");
    const socket = await open(url, { cookie: ana.cookie });
    const closed = closedWithinASecond(socket);
    cli.access.users.setRole(ana.id, "viewer", cliActor());
    expect(await closed).toBe("io server disconnect");
  });

  it("closes the socket of a session that signs out", async () => {
    const { core, url } = await startOnFile();
    const ana = await signedIn(core, "ana@bank.test", "analyst");
    const socket = await open(url, { cookie: ana.cookie });
    const closed = closedWithinASecond(socket);
    const res = await core.access.auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-out`, { method: "POST", headers: { host: HOST, origin: ORIGIN, cookie: ana.cookie, "content-type": "application/json" }, body: "{}" }),
    );
    expect(res.status).toBe(200);
    expect(await closed).toBe("io server disconnect");
  });
});
