// Real local servers for the checks' integration tests, all on 127.0.0.1 and an ephemeral port.
// Test support only: nothing in the product imports this file.
import { execFile } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { EventEmitter, once } from "node:events";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";

const run = promisify(execFile);

/** Listens on 127.0.0.1:0 and answers the port; `close` also drops open connections. */
export async function listen(server: net.Server): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  server.on("secureConnection", (s: net.Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An HTTP target answering "ok" on a fixed loopback port that a test can stop (connections refused) and start again. */
export async function restartableTarget() {
  const server = http.createServer((_req, res) => res.end("ok"));
  const { port, close } = await listen(server);
  return {
    url: (path = "/health") => `http://127.0.0.1:${port}${path}`,
    stop: close,
    start: async () => {
      server.listen(port, "127.0.0.1");
      await once(server, "listening");
    },
  };
}

/** Whether `openssl` can be run here (certificates are made at test time). */
export async function hasOpenssl(): Promise<boolean> {
  try {
    await run("openssl", ["version"]);
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for localhost and 127.0.0.1 valid for `days` from now, made by `openssl req`. */
export async function selfSignedCert(days: number): Promise<{ key: string; cert: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "vigil-cert-"));
  try {
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    await run("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", key, "-out", cert, "-days", String(days), "-subj", "/CN=localhost",
      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]);
    return { key: await fs.readFile(key, "utf8"), cert: await fs.readFile(cert, "utf8") };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** An HTTP or HTTPS server whose handler a test may swap; held responses end when it closes. */
export async function httpServer(handler: Handler, tls?: { key: string; cert: string }) {
  let current = handler;
  const server = tls ? https.createServer(tls, (q, s) => current(q, s)) : http.createServer((q, s) => current(q, s));
  const { port, close } = await listen(server);
  return { port, base: `${tls ? "https" : "http"}://127.0.0.1:${port}`, setHandler: (h: Handler) => (current = h), close };
}

/** A TCP server that accepts connections and never says anything. */
export async function silentTcpServer() {
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => {
    accepted.push(s);
    s.resume(); // read (and drop) what the client sends, so its hang-up is seen
  });
  const { port, close } = await listen(server);
  return { port, accepted, close };
}

// --- a minimal DNS server (RFC 1035) answering A questions over UDP ---------------------------

export interface DnsQuestion {
  name: string;
  type: number;
}
function readQuestion(msg: Buffer): { question: DnsQuestion; end: number } | null {
  let at = 12;
  const labels: string[] = [];
  while (at < msg.length) {
    const len = msg[at];
    if (len === 0) break;
    if (len > 63) return null;
    labels.push(msg.subarray(at + 1, at + 1 + len).toString("ascii"));
    at += 1 + len;
  }
  if (at + 5 > msg.length) return null;
  return { question: { name: labels.join(".").toLowerCase(), type: msg.readUInt16BE(at + 1) }, end: at + 5 };
}

/**
 * A DNS server on a UDP port: `answer(question, n)` gives the IPv4 answers for the n-th query
 * (from 0), an rcode number (3 = NXDOMAIN), or "drop" to stay silent. TTL 0, so nothing caches.
 */
export async function dnsServer(answer: (q: DnsQuestion, n: number) => string[] | number | "drop") {
  const socket = dgram.createSocket("udp4");
  const queries: DnsQuestion[] = [];
  /** emits "query" with each question, after it is recorded */
  const events = new EventEmitter();
  socket.on("message", (msg, from) => {
    const read = msg.length >= 12 ? readQuestion(msg) : null;
    if (!read) return;
    queries.push(read.question);
    events.emit("query", read.question);
    const reply = answer(read.question, queries.length - 1);
    if (reply === "drop") return;
    const ips = typeof reply === "number" ? [] : read.question.type === 1 ? reply : [];
    const rcode = typeof reply === "number" ? reply : 0;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8180 | rcode, 2); // response, recursion desired + available
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(ips.length, 6);
    const records = ips.map((ip) => {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question
      rr.writeUInt16BE(1, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(0, 6);
      rr.writeUInt16BE(4, 10);
      ip.split(".").forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
      return rr;
    });
    socket.send(Buffer.concat([header, msg.subarray(12, read.end), ...records]), from.port, from.address);
  });
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  const port = socket.address().port;
  return { port, server: `127.0.0.1:${port}`, queries, events, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
