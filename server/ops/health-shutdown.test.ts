import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { openDatabase } from "../../db/client";
import { createCore } from "../core";
import { Hub } from "../live/hub";
import { attachLive } from "../live/socket";
import { personOf } from "../test-support/core";
import { createLogger } from "./logging";
import { shutDown, trackInFlight } from "./health-shutdown";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A running server like server/index.ts builds: file database, core, HTTP, socket.io. */
async function running(drainMs: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-shutdown-"));
  dirs.push(dir);
  const handle = openDatabase(dir);
  const hub = new Hub({ capacity: 100 });
  const core = createCore(handle, { hub, access: { secret: "test-secret-test-secret-test-secret-0123" } });
  const slowArrived = deferred();
  const releaseSlow = deferred();
  const server = http.createServer((req, res) => {
    if (req.url === "/slow") {
      slowArrived.resolve();
      void releaseSlow.promise.then(() => {
        core.ingestEvents([{ kind: "anomaly", message: "written while draining" }], "test");
        res.end("done");
      });
    } else res.end("fast");
  });
  const live = attachLive(server, hub, { authenticate: async () => ({ ok: true, identity: personOf("viewer") }) });
  const inFlight = trackInFlight(server);
  hub.start(50);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  const parts = { server, inFlight, stopProducers: () => undefined, closeLive: () => live.close(), stopHub: () => hub.stop(), sqlite: handle.sqlite, log, drainMs };
  return { dir, handle, core, url, parts, lines, slowArrived, releaseSlow };
}

describe("graceful shutdown (SIGTERM)", () => {
  let client: Socket | undefined;
  afterEach(() => {
    client?.close();
    client = undefined;
  });

  it("drains an in-flight request, refuses new ones, makes socket clients reconnect, checkpoints the WAL and closes the database", async () => {
    const s = await running(10_000);
    s.core.ingestEvents(Array.from({ length: 50 }, (_, i) => ({ kind: "anomaly", message: `before ${i}` })), "test");
    expect(fs.statSync(path.join(s.dir, "vigil.db-wal")).size).toBeGreaterThan(0);

    // a socket.io client that reconnects by itself, but not within this test
    client = connect(s.url, { transports: ["websocket"], reconnectionDelay: 60_000, reconnectionDelayMax: 60_000 });
    await new Promise<void>((resolve) => client!.once("connect", () => resolve()));
    const disconnected = new Promise<string>((resolve) => client!.once("disconnect", (reason) => resolve(reason)));

    const slow = fetch(`${s.url}/slow`).then((r) => r.text());
    await s.slowArrived.promise;

    let finished = false;
    const stopping = shutDown(s.parts, "SIGTERM").then(() => (finished = true));

    // the transport closes: socket.io's client treats that as a reason to reconnect
    expect(await disconnected).toBe("transport close");
    expect(client.active).toBe(true);
    // no new connection is accepted while the old request drains
    await expect(fetch(`${s.url}/fast`)).rejects.toThrow();
    expect(finished).toBe(false);
    expect(s.handle.sqlite.open).toBe(true);

    s.releaseSlow.resolve();
    expect(await slow).toBe("done");
    await stopping;

    expect(s.handle.sqlite.open).toBe(false);
    const walLeft = fs.existsSync(path.join(s.dir, "vigil.db-wal")) ? fs.statSync(path.join(s.dir, "vigil.db-wal")).size : 0;
    expect(walLeft).toBe(0);
    const reopened = openDatabase(s.dir);
    expect((reopened.sqlite.prepare("SELECT COUNT(*) AS n FROM security_events").get() as { n: number }).n).toBe(51);
    reopened.close();

    const messages = s.lines.map((l) => l.msg);
    expect(messages).toEqual([
      "SIGTERM: shutting down",
      "shutdown: stopped accepting connections",
      "shutdown: live transports closed; socket clients will reconnect",
      "shutdown: draining in-flight requests",
      "shutdown: in-flight requests finished",
      "shutdown: WAL checkpointed",
      "shutdown: database closed; exiting",
    ]);
    const checkpoint = s.lines.find((l) => l.msg === "shutdown: WAL checkpointed")!;
    expect(checkpoint.busy).toBe(0);
    expect(checkpoint.walBytesBefore).toBeGreaterThan(0);
    expect(checkpoint.walBytesAfter).toBe(0);
  });

  it("waits no longer than the drain time for a request that does not finish", async () => {
    const s = await running(50);
    const slow = fetch(`${s.url}/slow`).then(
      (r) => r.status,
      () => "cut",
    );
    await s.slowArrived.promise;
    await shutDown(s.parts, "SIGTERM");
    expect(await slow).toBe("cut");
    expect(s.handle.sqlite.open).toBe(false);
    expect(s.lines.find((l) => l.level === "warn")?.msg).toBe("shutdown: requests still in flight after the drain time; closing their connections");
  });
});
