// DNS rebinding: a page on attacker.example whose name is made to resolve to 127.0.0.1 reaches
// Vigil with `Host: attacker.example` (and its own Origin). Every entry point must refuse it:
// first-run setup, sign-in, the API and the socket handshake, polling and WebSocket alike.
import http from "node:http";
import net from "node:net";
import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { createKey, createUser, PASSWORD, setupToken } from "./support/accounts";

let vigil: VigilServer;
test.beforeAll(async () => {
  vigil = await startVigil();
});
test.afterAll(async () => {
  await vigil?.dispose();
});

const own = () => `127.0.0.1:${vigil.port}`;
const forged = () => `attacker.example:${vigil.port}`;

function request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: vigil.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The status line a WebSocket upgrade to socket.io gets with this Host and Origin. */
function upgrade(host: string, origin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(vigil.port, "127.0.0.1", () => {
      socket.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}\r\n${origin ? `Origin: ${origin}\r\n` : ""}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    let data = "";
    socket.on("data", (c) => {
      data += c.toString();
      if (data.includes("\r\n")) {
        resolve(data.split("\r\n")[0]);
        socket.destroy();
      }
    });
    socket.on("close", () => resolve(data.split("\r\n")[0] || "closed without an answer"));
    socket.on("error", reject);
  });
}

test("first-run setup refuses a forged Host, a foreign Origin and the wrong scheme, and creates nothing", async () => {
  const body = JSON.stringify({ name: "Mallory", email: "mallory@attacker.example", password: "correct horse battery staple!", setup_token: setupToken(vigil) });
  const json = { "content-type": "application/json" };
  expect((await request("POST", "/api/setup", { ...json, host: forged(), origin: `http://${forged()}` }, body)).status).toBe(421);
  expect((await request("POST", "/api/setup", { ...json, host: own(), origin: `http://${forged()}` }, body)).status).toBe(403);
  expect((await request("POST", "/api/setup", { ...json, host: own(), origin: `https://${own()}` }, body)).status).toBe(403);
  expect((await request("GET", "/setup", { host: forged() })).status).toBe(421);
  // nothing was created: the one-time token still works for the real operator
  const real = await request("POST", "/api/setup", { ...json, host: own(), origin: `http://${own()}` }, body.replace("mallory@attacker.example", "ops@bank.test"));
  expect(real.status, real.body).toBe(201);
});

test("sign-in refuses a forged Host and a foreign Origin", async () => {
  await createUser(vigil, "nina@bank.test", "noc");
  const body = JSON.stringify({ email: "nina@bank.test", password: PASSWORD });
  const json = { "content-type": "application/json" };
  expect((await request("POST", "/api/auth/sign-in/email", { ...json, host: forged(), origin: `http://${forged()}` }, body)).status).toBe(421);
  const foreign = await request("POST", "/api/auth/sign-in/email", { ...json, host: own(), origin: `http://${forged()}` }, body);
  expect(foreign.status).toBe(403);
  const ok = await request("POST", "/api/auth/sign-in/email", { ...json, host: own(), origin: `http://${own()}` }, body);
  expect(ok.status, ok.body).toBe(200);
});

test("the API refuses a forged Host even with a valid key", async () => {
  const key = await createKey(vigil, "nina@bank.test", "read");
  expect((await request("GET", "/api/v1/nodes", { host: forged(), authorization: `Bearer ${key}` })).status).toBe(421);
  expect((await request("GET", "/api/v1/nodes", { host: own(), authorization: `Bearer ${key}` })).status).toBe(200);
});

test("the socket handshake refuses a forged Host or Origin, over WebSocket and polling", async () => {
  expect(await upgrade(own())).toContain("101");
  expect(await upgrade(forged())).not.toContain("101");
  expect(await upgrade(own(), `http://${forged()}`)).not.toContain("101");
  expect((await request("GET", "/socket.io/?EIO=4&transport=polling", { host: own() })).status).toBe(200);
  expect((await request("GET", "/socket.io/?EIO=4&transport=polling", { host: forged() })).status).not.toBe(200);
});
