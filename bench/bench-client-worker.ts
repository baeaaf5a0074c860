// One bench worker thread: holds a share of the socket.io clients so that their decoding work is
// spread over threads instead of one event loop.
import { parentPort, workerData } from "node:worker_threads";
import { io, type Socket } from "socket.io-client";
import { Decoder, Encoder, PacketType, protocol } from "socket.io-parser";

export interface WorkerInit {
  url: string;
  /** a read-scoped API key: the live stream admits no anonymous client */
  token: string;
  clients: number;
  /** decode every batch with JSON.parse, as a browser would (costly: the driver competes with the server) */
  fullParse: boolean;
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
  /** items skipped between consecutive batches (seq_from not following the previous seq_to) */
  gaps: number;
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
  lastSeq: number;
}

interface Batch {
  seq_from: number;
  seq_to: number;
  items: { event?: { attributes?: { mark?: number; sent_at?: number } | null } }[];
}

const BATCH_PREFIX = '2["batch",';

/**
 * Leaves `batch` packets as the raw string: 200 clients each JSON.parse-ing ~1 M events/s would
 * take more CPU than the server itself on a small machine. The wire traffic and the server's work
 * are unchanged; the client only scans for the marked events (which the bench alone produces).
 */
class LiteDecoder extends Decoder {
  override add(chunk: unknown): void {
    if (typeof chunk === "string" && chunk.startsWith(BATCH_PREFIX)) {
      this.emitReserved("decoded", { type: PacketType.EVENT, nsp: "/", data: ["batch", chunk] });
      return;
    }
    super.add(chunk);
  }
}

function scanRaw(raw: string, onMark: (mark: number, sentAt: number) => void): { from: number; to: number } {
  const head = /"seq_from":(\d+),"seq_to":(\d+)/.exec(raw.slice(0, 256));
  if (!head) throw new Error(`unexpected batch header: ${raw.slice(0, 120)}`);
  // searching for '_at":' (then checking the '"sent' before it) is ~5x faster than for '"sent_at":':
  // V8 skips ahead to the pattern's first character, and '"' is every few bytes in JSON
  for (let at = raw.indexOf('_at":'); at >= 0; at = raw.indexOf('_at":', at + 5)) {
    if (!raw.startsWith('"sent', at - 5)) continue;
    const mark = raw.lastIndexOf('"mark":', at);
    onMark(parseInt(raw.slice(mark + 7, mark + 27), 10), parseInt(raw.slice(at + 5, at + 25), 10));
  }
  return { from: Number(head[1]), to: Number(head[2]) };
}

const port = parentPort!;
const { url, token, clients: count, fullParse } = workerData as WorkerInit;
const send = (message: FromWorker) => port.postMessage(message);
const clients: Client[] = [];
// items are counted only while the main thread's measurement window is open
let window = { start: Infinity, end: -Infinity };

function onBatch(client: Client, batch: Batch | string): void {
  const now = Date.now();
  const mark = (mark: number, sentAt: number) => {
    client.marks.push(mark);
    client.latencies.push(now - sentAt);
    if (mark > client.lastMark) client.lastMark = mark;
  };
  let range: { from: number; to: number };
  if (typeof batch === "string") {
    range = scanRaw(batch, mark);
  } else {
    range = { from: batch.seq_from, to: batch.seq_to };
    for (const item of batch.items) {
      const a = item.event?.attributes;
      if (a && typeof a.sent_at === "number" && typeof a.mark === "number") mark(a.mark, a.sent_at);
    }
  }
  if (client.lastSeq >= 0 && range.from > client.lastSeq + 1) client.gaps += range.from - client.lastSeq - 1;
  client.lastSeq = Math.max(client.lastSeq, range.to);
  if (now >= window.start && now <= window.end) client.items += range.to - range.from + 1;
}

function connect(): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = io(url, {
      path: "/socket.io",
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      auth: { token },
      ...(fullParse ? {} : { parser: { protocol, Encoder, Decoder: LiteDecoder } }),
    });
    const client: Client = { socket, items: 0, marks: [], latencies: [], gaps: 0, resyncs: 0, disconnects: 0, lastMark: -1, lastSeq: -1 };
    const timer = setTimeout(() => resolve("connect/subscribe timeout"), 15_000);
    socket.on("connect_error", (error) => {
      clearTimeout(timer);
      resolve(`connect_error: ${error.message}`);
    });
    socket.on("disconnect", () => (client.disconnects += 1));
    socket.on("resync", () => (client.resyncs += 1));
    socket.on("batch", (batch: Batch | string) => onBatch(client, batch));
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
        clients: clients.map(({ items, marks, latencies, gaps, resyncs, disconnects }) => ({ items, marks, latencies, gaps, resyncs, disconnects })),
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
