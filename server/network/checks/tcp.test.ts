import net from "node:net";
import { describe, expect, it } from "vitest";
import { CheckTimeout } from "./check";
import { tcpCheck } from "./tcp";
import { tcpCheckSchema } from "./spec";
import { listen } from "./test-servers";

const check = (port: number) => tcpCheck(tcpCheckSchema.parse({ type: "tcp", host: "127.0.0.1", port }));

describe("TCP check against a real local port", () => {
  it("is up while the port accepts, and down with the reason once it closes", async () => {
    const accepted: net.Socket[] = [];
    const server = await listen(net.createServer((s) => accepted.push(s)));
    const up = await check(server.port).run(new AbortController().signal);
    expect(up).toMatchObject({ ok: true, status: "up", details: { remote_address: "127.0.0.1" } });
    expect(up.latency_ms).toBeGreaterThanOrEqual(0);
    expect(accepted).toHaveLength(1);
    await server.close();
    expect(await check(server.port).run(new AbortController().signal)).toMatchObject({ ok: false, status: "down", error: "connection refused (ECONNREFUSED)" });
  });
  it("settles with the timeout reason when its signal aborts before the connection completes", async () => {
    const controller = new AbortController();
    const run = check(9).run(controller.signal);
    controller.abort(new CheckTimeout(5000));
    expect(await run).toEqual({ ok: false, status: "down", latency_ms: null, error: "timed out after 5000 ms", details: {} });
  });
  it("refuses settings that are not a host and a port", () => {
    expect(tcpCheckSchema.safeParse({ type: "tcp", host: "-oProxyCommand=x", port: 22 }).success).toBe(false);
    expect(tcpCheckSchema.safeParse({ type: "tcp", host: "db.internal", port: 70_000 }).success).toBe(false);
    expect(tcpCheckSchema.parse({ type: "tcp", host: "db.internal", port: 5432, interval: "30s", timeout: "5s" })).toMatchObject({ interval_ms: 30_000, timeout_ms: 5000 });
  });
});
