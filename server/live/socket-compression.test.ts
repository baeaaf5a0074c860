import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { attachLive } from "./socket";
import { Hub } from "./hub";
import { personOf } from "../test-support/core";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function start(compression: boolean) {
  const server = http.createServer();
  const live = attachLive(server, new Hub(), { authenticate: async () => ({ ok: true, identity: personOf("viewer") }), compression });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    live.close();
    server.close();
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/socket.io/?EIO=4&transport=websocket`;
}

/** The server's Sec-WebSocket-Extensions answer to a client that offers permessage-deflate, as browsers do. */
function negotiated(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: true });
    cleanups.push(() => ws.terminate());
    ws.once("upgrade", (res) => resolve(String(res.headers["sec-websocket-extensions"] ?? "")));
    ws.once("error", reject);
  });
}

describe("live message compression (VIGIL_LIVE_COMPRESSION)", () => {
  it("agrees to permessage-deflate, without a window kept between messages, when turned on", async () => {
    const extensions = await negotiated(await start(true));
    expect(extensions).toContain("permessage-deflate");
    expect(extensions).toContain("server_no_context_takeover");
  });
  it("sends messages as they are by default", async () => {
    expect(await negotiated(await start(false))).toBe("");
  });
});
