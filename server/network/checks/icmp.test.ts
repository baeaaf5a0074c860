import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckTimeout } from "./check";
import { icmpCheck, parsePingOutput, pingArgs } from "./icmp";
import { icmpCheckSchema, type IcmpCheckSpec } from "./spec";

const IPUTILS_OK = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.041 ms
64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.063 ms

--- 127.0.0.1 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 1001ms
rtt min/avg/max/mdev = 0.041/0.052/0.063/0.011 ms
`;
const IPUTILS_LOST = `PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.

--- 192.0.2.1 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms
`;
const BUSYBOX_OK = `PING 10.0.0.1 (10.0.0.1): 56 data bytes
64 bytes from 10.0.0.1: seq=0 ttl=64 time=0.086 ms

--- 10.0.0.1 ping statistics ---
1 packets transmitted, 1 packets received, 0% packet loss
round-trip min/avg/max = 0.086/0.086/0.086 ms
`;
const MACOS_OK = `PING 1.1.1.1 (1.1.1.1): 56 data bytes
64 bytes from 1.1.1.1: icmp_seq=0 ttl=57 time=11.214 ms

--- 1.1.1.1 ping statistics ---
1 packets transmitted, 1 packets received, 0.0% packet loss
round-trip min/avg/max/stddev = 11.214/11.214/11.214/0.000 ms
`;

describe("parsePingOutput", () => {
  it("reads iputils, BusyBox and macOS summaries", () => {
    expect(parsePingOutput(IPUTILS_OK)).toEqual({ transmitted: 2, received: 2, loss_percent: 0, times: [0.041, 0.063], rtt_avg_ms: 0.052 });
    expect(parsePingOutput(IPUTILS_LOST)).toEqual({ transmitted: 1, received: 0, loss_percent: 100, times: [], rtt_avg_ms: null });
    expect(parsePingOutput(BUSYBOX_OK)).toMatchObject({ received: 1, rtt_avg_ms: 0.086 });
    expect(parsePingOutput(MACOS_OK)).toMatchObject({ received: 1, loss_percent: 0, rtt_avg_ms: 11.214 });
  });
  it("averages reply times when there is no summary line", () => {
    expect(parsePingOutput("64 bytes from x: icmp_seq=1 time=2 ms\n64 bytes from x: icmp_seq=2 time=4 ms\n").rtt_avg_ms).toBe(3);
  });
});

describe("pingArgs", () => {
  it("is a fixed argv ending in the host, seconds on Linux and milliseconds on macOS", () => {
    expect(pingArgs("10.0.0.1", 3, 2500, "linux")).toEqual(["-n", "-c", "3", "-W", "3", "10.0.0.1"]);
    expect(pingArgs("::1", 1, 1000, "linux")).toEqual(["-6", "-n", "-c", "1", "-W", "1", "::1"]);
    expect(pingArgs("router.lan", 1, 5000, "darwin")).toEqual(["-n", "-c", "1", "-W", "5000", "router.lan"]);
  });
});

/** A stand-in `ping` (the test machine may have none): records its argv, prints a canned answer, exits with a code. */
let dir: string;
async function fakePing(name: string, stdout: string, stderr: string, code: number, hang = false): Promise<string> {
  const file = path.join(dir, name);
  const out = path.join(dir, `${name}.out`);
  const err = path.join(dir, `${name}.err`);
  await fs.writeFile(out, stdout);
  await fs.writeFile(err, stderr);
  await fs.writeFile(file, `#!/bin/sh\nprintf '%s\\n' "$@" > "${file}.argv"\ncat "${out}"\ncat "${err}" >&2\n${hang ? "exec sleep 60\n" : ""}exit ${code}\n`, { mode: 0o755 });
  return file;
}
const spec = (host: string, extra: Record<string, unknown> = {}) => icmpCheckSchema.parse({ type: "icmp", host, timeout: "2s", ...extra });
const signal = () => new AbortController().signal;

describe("ICMP check through a ping program", () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "vigil-ping-"));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it("is up with the average round trip, passing the fixed argv", async () => {
    const command = await fakePing("ok", IPUTILS_OK, "", 0);
    const r = await icmpCheck(spec("127.0.0.1", { count: 2 }), { command, platform: "linux" }).run(signal());
    expect(r).toEqual({ ok: true, status: "up", latency_ms: 0.052, details: { transmitted: 2, received: 2, loss_percent: 0 } });
    expect((await fs.readFile(`${command}.argv`, "utf8")).trim().split("\n")).toEqual(["-n", "-c", "2", "-W", "2", "127.0.0.1"]);
  });
  it("is down with the loss when no echo comes back", async () => {
    const command = await fakePing("lost", IPUTILS_LOST, "", 1);
    expect(await icmpCheck(spec("192.0.2.1"), { command }).run(signal())).toMatchObject({ ok: false, error: "no echo reply from 192.0.2.1 (100% loss)", latency_ms: null });
  });
  it("says ICMP is not permitted rather than blaming the target", async () => {
    const command = await fakePing("eperm", "", "ping: socket: Operation not permitted\n", 2);
    expect(await icmpCheck(spec("10.0.0.1"), { command }).run(signal())).toEqual({ ok: false, status: "down", latency_ms: null, error: "ICMP not permitted: ping: socket: Operation not permitted", details: { icmp_unavailable: true } });
  });
  it("says so when there is no ping program", async () => {
    expect(await icmpCheck(spec("10.0.0.1"), { command: path.join(dir, "no-such-ping") }).run(signal())).toMatchObject({ ok: false, error: "ICMP not available: the system has no ping program (ENOENT)", details: { icmp_unavailable: true } });
  });
  it("never runs ping for a host that could be read as an option", async () => {
    const command = await fakePing("never", IPUTILS_OK, "", 0);
    expect(icmpCheckSchema.safeParse({ type: "icmp", host: "-f" }).success).toBe(false);
    expect(icmpCheckSchema.safeParse({ type: "icmp", host: "a;reboot" }).success).toBe(false);
    expect(icmpCheckSchema.safeParse({ type: "icmp", host: "10.0.0.1", count: 5, timeout: "3s" }).success).toBe(false);
    const forged = { ...spec("10.0.0.1"), host: "-c 100000 10.0.0.1" } as IcmpCheckSpec;
    expect(await icmpCheck(forged, { command }).run(signal())).toMatchObject({ ok: false, error: 'refusing to ping "-c 100000 10.0.0.1": not an IP address or host name' });
    await expect(fs.access(`${command}.argv`)).rejects.toThrow();
  });
  it("settles at its timeout while ping hangs", async () => {
    const command = await fakePing("hang", "", "", 0, true);
    const controller = new AbortController();
    const run = icmpCheck(spec("10.0.0.1"), { command }).run(controller.signal);
    controller.abort(new CheckTimeout(1500));
    expect(await run).toMatchObject({ ok: false, error: "timed out after 1500 ms" });
  });
  it("with the system ping on 127.0.0.1 is up, or names why ICMP is unavailable", async () => {
    const r = await icmpCheck(spec("127.0.0.1")).run(signal());
    if (r.ok) expect(r.latency_ms).toBeGreaterThanOrEqual(0);
    else expect(r).toMatchObject({ error: expect.stringMatching(/^ICMP not (permitted|available): /), details: { icmp_unavailable: true } });
  });
});
