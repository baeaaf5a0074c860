// One bench worker thread: holds a share of the socket.io clients so that decoding the broadcast
// (JSON.parse of every batch, per client) is spread over threads instead of one event loop.
import { parentPort, workerData } from "node:worker_threads";
import { io, type Socket } from "socket.io-client";

export interface WorkerInit {
  url: string;
  clients: number;
}
export type ToWorker =
  | { type: "window"; start: number; end: number }
  | { type: "progress" }
  | { type: "report" }
  | { type: "close" };
export interface ClientReport {
  items: number;
  /** marks received, with their latency at the same index */
  marks: number[];
  latencies: number[];
  resyncs: number;
  disconnects: number;
}
export type FromWorker =
  | { type: "ready"; connected: number; errors: string[] }
  | { type: "progress"; minLastMark: number }
  | { type: "report"; clients: ClientReport[] };

interface Client extends ClientReport {
  socket: Socket;
  lastMark: number;
}

interface BatchItem {
  event?: { attributes?: { mark?: number; sent_at?: number } | null };
}

const port = parentPort!;
const { url, clients: count } = workerData as WorkerInit;
const send = (message: FromWorker) => port.postMessage(message);
const clients: Client[] = [];
// items are counted only while the main thread's measurement window is open
let window = { start: Infinity, end: -Infinity };

function connect(): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = io(url, { path: "/socket.io", transports: ["websocket"], forceNew: true, reconnection: false });
    const client: Client = { socket, items: 0, marks: [], latencies: [], resyncs: 0, disconnects: 0, lastMark: -1 };
    const timer = setTimeout(() => resolve("connect/subscribe timeout"), 15_000);
    socket.on("connect_error", (error) => {
      clearTimeout(timer);
      resolve(`connect_error: ${error.message}`);
    });
    socket.on("disconnect", () => (client.disconnects += 1));
    socket.on("resync", () => (client.resyncs += 1));
    socket.on("batch", (batch: { items: BatchItem[] }) => {
      const now = Date.now();
      if (now >= window.start && now <= window.end) client.items += batch.items.length;
      for (const item of batch.items) {
        const a = item.event?.attributes;
        if (a && typeof a.sent_at === "number" && typeof a.mark === "number") {
          client.marks.push(a.mark);
          client.latencies.push(now - a.sent_at);
          if (a.mark > client.lastMark) client.lastMark = a.mark;
        }
      }
    });
    socket.on("connect", () => {
      socket.emit("subscribe", { streams: ["security"] }, (ack: { ok: boolean; error?: string }) => {
        clearTimeout(timer);
        if (!ack?.ok) return resolve(`subscribe refused: ${ack?.error}`);
        clients.push(client);
        resolve(null);
      });
    });
  });
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "window":
      window = { start: message.start, end: message.end };
      break;
    case "progress":
      send({ type: "progress", minLastMark: Math.min(...clients.map((c) => c.lastMark)) });
      break;
    case "report":
      send({
        type: "report",
        clients: clients.map(({ items, marks, latencies, resyncs, disconnects }) => ({ items, marks, latencies, resyncs, disconnects })),
      });
      break;
    case "close":
      for (const c of clients) c.socket.disconnect();
      port.close();
      break;
  }
});

const results = await Promise.all(Array.from({ length: count }, connect));
const errors = results.filter((r): r is string => r !== null);
send({ type: "ready", connected: clients.length, errors: [...new Set(errors)] });
