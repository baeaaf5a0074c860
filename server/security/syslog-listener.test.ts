import dgram from "node:dgram";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SyslogListener } from "./syslog-listener";
import type { LogIngestResult } from "./result";

const received: { lines: string[]; sender: string; transport: string }[] = [];
const ingest = (lines: readonly string[], sender: string, transport: "udp" | "tcp"): LogIngestResult => {
  received.push({ lines: [...lines], sender, transport });
  const rejected = lines.filter((l) => l.includes("BAD"));
  return {
    accepted: lines.length - rejected.length,
    skipped: 0,
    duplicates: 0,
    rejected: rejected.map((_, i) => ({ line: i + 1, reason: "bad line" })),
    rejected_total: rejected.length,
    skipped_by: {},
  };
};

let listener: SyslogListener | null = null;
afterEach(async () => {
  await listener?.stop();
  listener = null;
  received.length = 0;
});

async function start(options: Partial<ConstructorParameters<typeof SyslogListener>[2]> = {}) {
  listener = new SyslogListener(ingest, () => 1_000, { host: "127.0.0.1", port: 0, flushMs: 5, ...options });
  return listener.start();
}

function tcpSend(port: number, payload: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, "127.0.0.1", () => c.end(payload));
    c.on("close", () => resolve());
    c.on("error", reject);
  });
}

describe("syslog listener", () => {
  it("stores each UDP datagram's lines under the sender's address and counts them per sender", async () => {
    const { udp } = await start({ tcp: false });
    const flushed = listener!.flushed();
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((r) => socket.send("<38>Jan  5 10:00:00 host sshd[1]: Failed password for root from 203.0.113.5 port 22 ssh2", udp!, "127.0.0.1", () => r()));
    socket.close();
    await flushed;
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ sender: "127.0.0.1", transport: "udp" });
    expect(received[0].lines[0]).toContain("Failed password");
    expect(listener!.stats()[0]).toMatchObject({ sender: "127.0.0.1", transport: "udp", received: 1, accepted: 1, dropped: 0 });
  });

  it("reads RFC 6587 octet-counted frames and newline-delimited frames on TCP, split across packets", async () => {
    const { tcp } = await start({ udp: false });
    const a = "<38>1 2026-12-01T10:00:00Z host sshd 1 - - Failed password for root from 203.0.113.5 port 22 ssh2";
    const b = "line two\nwith a newline inside the frame";
    const payload = `${Buffer.byteLength(a)} ${a}${Buffer.byteLength(b)} ${b}plain newline frame\n`;
    const flushed = listener!.flushed();
    await tcpSend(tcp!, payload);
    await flushed;
    const lines = received.flatMap((r) => r.lines);
    expect(lines).toEqual([a, "line two", "with a newline inside the frame", "plain newline frame"]);
    expect(listener!.stats()[0]).toMatchObject({ transport: "tcp", received: 4, accepted: 4 });
  });

  it("counts rejected lines per sender with the last reason", async () => {
    const { udp } = await start({ tcp: false });
    const flushed = listener!.flushed();
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((r) => socket.send("good\nBAD one\n", udp!, "127.0.0.1", () => r()));
    socket.close();
    await flushed;
    expect(listener!.stats()[0]).toMatchObject({ received: 2, accepted: 1, rejected: 1, last_rejection: "bad line" });
  });

  it("drops an over-long TCP line with a counted reason and goes on with the next one", async () => {
    const { tcp } = await start({ udp: false, maxFrameBytes: 100 });
    const flushed = listener!.flushed();
    await tcpSend(tcp!, `${"x".repeat(500)}\nafter\n`);
    await flushed;
    expect(received.flatMap((r) => r.lines)).toEqual(["after"]);
    expect(listener!.stats()[0]).toMatchObject({ received: 2, accepted: 1, dropped: 1 });
    expect(listener!.stats()[0].last_rejection).toContain("longer than 100 bytes");
  });

  it("refuses an octet count above the frame limit without buffering it, and closes that connection", async () => {
    const { tcp } = await start({ udp: false, maxFrameBytes: 100 });
    await tcpSend(tcp!, "99999999 <38>never buffered");
    expect(received).toHaveLength(0);
    expect(listener!.stats()[0]).toMatchObject({ dropped: 1 });
    expect(listener!.stats()[0].last_rejection).toContain("frame of 99999999 bytes");
  });

  it("drops lines that are not valid UTF-8, counted, and keeps their neighbours", async () => {
    const { tcp } = await start({ udp: false });
    const flushed = listener!.flushed();
    await tcpSend(tcp!, Buffer.concat([Buffer.from("ok one\n"), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from("ok two\n")]));
    await flushed;
    expect(received.flatMap((r) => r.lines)).toEqual(["ok one", "ok two"]);
    expect(listener!.stats()[0]).toMatchObject({ received: 3, accepted: 2, dropped: 1, last_rejection: "not valid UTF-8" });
  });

  it("drops lines past the queue bound instead of growing without limit, and counts them", async () => {
    const { udp } = await start({ tcp: false, maxQueuedLines: 3, flushMs: 50 });
    const flushed = listener!.flushed();
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((r) => socket.send("1\n2\n3\n4\n5\n", udp!, "127.0.0.1", () => r()));
    socket.close();
    await flushed;
    expect(received.flatMap((r) => r.lines)).toEqual(["1", "2", "3"]);
    expect(listener!.stats()[0]).toMatchObject({ received: 5, accepted: 3, dropped: 2 });
  });
});
