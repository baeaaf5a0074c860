import dgram from "node:dgram";
import net from "node:net";
import type { LogIngestResult } from "./result";
import { canonicalIp } from "../../lib/net/ip";
import { decodeUtf8 } from "../ingest/body";
import { maskCardNumbers } from "./masking";

export interface SyslogListenerOptions {
  host: string;
  /** UDP and TCP port (the same number for both); 0 picks a free one each (tests) */
  port: number;
  udp?: boolean;
  tcp?: boolean;
  /** a frame longer than this is rejected (and, on TCP, the rest of it discarded) */
  maxFrameBytes?: number;
  /** TCP connections at once; more are refused */
  maxConnections?: number;
  /** lines waiting for the next flush; beyond it lines are dropped and counted per sender */
  maxQueuedLines?: number;
  /** a batch is stored at most this long after its first line arrived */
  flushMs?: number;
  /** senders remembered for the per-sender counts (least recently heard dropped first) */
  maxSenders?: number;
  /** TCP connections idle this long are closed */
  idleMs?: number;
}

export interface SenderStats {
  sender: string;
  transport: "udp" | "tcp";
  received: number;
  accepted: number;
  skipped: number;
  duplicates: number;
  rejected: number;
  /** lines refused before parsing: frame too long, queue full */
  dropped: number;
  first_seen: number;
  last_seen: number;
  last_rejection: string | null;
}

export type IngestLines = (lines: readonly string[], sender: string, transport: "udp" | "tcp") => LogIngestResult;

const DEFAULTS = { maxFrameBytes: 64 * 1024, maxConnections: 256, maxQueuedLines: 50_000, flushMs: 100, maxSenders: 1_000, idleMs: 300_000 };

/**
 * Receives syslog over UDP (one message per datagram) and TCP (RFC 6587: octet-counted frames as
 * RFC 5425 uses, or newline-delimited), batches lines per sender and stores each batch through the
 * same ingest as POST /api/v1/ingest/syslog. Off unless VIGIL_SYSLOG_PORT is set.
 */
export class SyslogListener {
  private readonly opts: Required<SyslogListenerOptions>;
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly connections = new Set<net.Socket>();
  private queue = new Map<string, { transport: "udp" | "tcp"; lines: string[] }>();
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly senders = new Map<string, SenderStats>();
  private readonly flushWaiters: (() => void)[] = [];

  constructor(
    private readonly ingest: IngestLines,
    private readonly now: () => number,
    options: SyslogListenerOptions,
  ) {
    this.opts = { udp: true, tcp: true, ...DEFAULTS, ...options } as Required<SyslogListenerOptions>;
  }

  async start(): Promise<{ udp: number | null; tcp: number | null }> {
    const { host, port } = this.opts;
    let udpPort: number | null = null;
    let tcpPort: number | null = null;
    if (this.opts.udp) {
      const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
      socket.on("message", (msg, rinfo) => this.onDatagram(msg, rinfo.address));
      socket.on("error", () => undefined); // a bad datagram never takes the server down
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(port, host, () => {
          socket.off("error", reject);
          resolve();
        });
      });
      this.udp = socket;
      udpPort = socket.address().port;
    }
    if (this.opts.tcp) {
      const server = net.createServer((conn) => this.onConnection(conn));
      server.maxConnections = this.opts.maxConnections;
      server.on("error", () => undefined);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(udpPort ?? port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      this.tcp = server;
      tcpPort = (server.address() as net.AddressInfo).port;
    }
    return { udp: udpPort, tcp: tcpPort };
  }

  async stop(): Promise<void> {
    this.flush();
    for (const c of this.connections) c.destroy();
    await Promise.all([
      this.udp ? new Promise<void>((r) => this.udp!.close(() => r())) : null,
      this.tcp ? new Promise<void>((r) => this.tcp!.close(() => r())) : null,
    ]);
    this.udp = null;
    this.tcp = null;
  }

  /** Per-sender counts, most recently heard first. */
  stats(): SenderStats[] {
    return [...this.senders.values()].sort((a, b) => b.last_seen - a.last_seen);
  }

  /** Resolves after the next flush has stored what was queued (tests await it instead of sleeping). */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  private onDatagram(msg: Buffer, address: string): void {
    const sender = canonicalIp(address) ?? address;
    if (msg.length > this.opts.maxFrameBytes) return this.drop(sender, "udp", `datagram of ${msg.length} bytes; at most ${this.opts.maxFrameBytes}`);
    this.enqueueText(msg, sender, "udp");
  }

  private onConnection(conn: net.Socket): void {
    const sender = canonicalIp(conn.remoteAddress ?? "") ?? "unknown";
    this.connections.add(conn);
    conn.setTimeout(this.opts.idleMs, () => conn.destroy());
    conn.on("close", () => this.connections.delete(conn));
    conn.on("error", () => conn.destroy());
    let buffer: Buffer = Buffer.alloc(0);
    let discarding = false; // inside an over-long newline-delimited frame: skip to its end
    conn.on("data", (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        if (buffer.length === 0) return;
        if (discarding) {
          const lf = buffer.indexOf(0x0a);
          if (lf < 0) {
            buffer = Buffer.alloc(0);
            return;
          }
          buffer = buffer.subarray(lf + 1);
          discarding = false;
          continue;
        }
        const counted = /^([1-9][0-9]{0,8}) /.exec(buffer.subarray(0, 11).toString("latin1"));
        if (counted) {
          const length = Number(counted[1]);
          const start = counted[1].length + 1;
          if (length > this.opts.maxFrameBytes) {
            this.drop(sender, "tcp", `frame of ${length} bytes; at most ${this.opts.maxFrameBytes}`);
            conn.destroy(); // the stream cannot be resynchronised without reading the whole frame
            return;
          }
          if (buffer.length < start + length) return;
          this.enqueueText(buffer.subarray(start, start + length), sender, "tcp");
          buffer = buffer.subarray(start + length);
          continue;
        }
        let end = buffer.indexOf(0x0a);
        const nul = buffer.indexOf(0x00);
        if (nul >= 0 && (end < 0 || nul < end)) end = nul;
        if (end < 0) {
          if (buffer.length > this.opts.maxFrameBytes) {
            this.drop(sender, "tcp", `line longer than ${this.opts.maxFrameBytes} bytes`);
            buffer = Buffer.alloc(0);
            discarding = true;
          }
          return;
        }
        if (end > this.opts.maxFrameBytes) this.drop(sender, "tcp", `line longer than ${this.opts.maxFrameBytes} bytes`);
        else this.enqueueText(buffer.subarray(0, end), sender, "tcp");
        buffer = buffer.subarray(end + 1);
      }
    });
  }

  private enqueueText(bytes: Buffer, sender: string, transport: "udp" | "tcp"): void {
    for (let start = 0; start < bytes.length; ) {
      let end = bytes.indexOf(0x0a, start);
      if (end < 0) end = bytes.length;
      const line = decodeUtf8(bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end));
      start = end + 1;
      if (line === null) {
        this.drop(sender, transport, "not valid UTF-8");
        continue;
      }
      if (!line.trim()) continue;
      if (this.queued >= this.opts.maxQueuedLines) {
        this.drop(sender, transport, "queue full: Vigil is storing more slowly than lines arrive");
        continue;
      }
      let q = this.queue.get(sender);
      if (!q) this.queue.set(sender, (q = { transport, lines: [] }));
      q.lines.push(line);
      this.queued++;
      this.stat(sender, transport).received++;
    }
    if (this.queued > 0 && !this.timer) this.timer = setTimeout(() => this.flush(), this.opts.flushMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const queue = this.queue;
    this.queue = new Map();
    this.queued = 0;
    for (const [sender, { transport, lines }] of queue) {
      const s = this.stat(sender, transport);
      try {
        const r = this.ingest(lines, sender, transport);
        s.accepted += r.accepted;
        s.skipped += r.skipped;
        s.duplicates += r.duplicates;
        s.rejected += r.rejected_total;
        if (r.rejected.length) s.last_rejection = r.rejected[r.rejected.length - 1].reason;
      } catch (error) {
        s.rejected += lines.length;
        s.last_rejection = maskCardNumbers(`not stored: ${(error as Error).message}`.slice(0, 300));
      }
    }
    for (const resolve of this.flushWaiters.splice(0)) resolve();
  }

  private drop(sender: string, transport: "udp" | "tcp", reason: string): void {
    const s = this.stat(sender, transport);
    s.received++;
    s.dropped++;
    s.last_rejection = maskCardNumbers(reason);
  }

  private stat(sender: string, transport: "udp" | "tcp"): SenderStats {
    const key = `${transport}:${sender}`;
    let s = this.senders.get(key);
    const now = this.now();
    if (s) this.senders.delete(key);
    else {
      if (this.senders.size >= this.opts.maxSenders) this.senders.delete(this.senders.keys().next().value!);
      s = { sender, transport, received: 0, accepted: 0, skipped: 0, duplicates: 0, rejected: 0, dropped: 0, first_seen: now, last_seen: now, last_rejection: null };
    }
    s.last_seen = now;
    this.senders.set(key, s); // re-inserted: the Map stays in least-recently-heard order
    return s;
  }
}
