import { execFile } from "node:child_process";
import net from "node:net";
import { downResult, guarded, upResult, type Check, type CheckResult } from "./check";
import { isHost, type IcmpCheckSpec } from "./spec";

export interface PingOptions {
  /** the program to run; "ping" on PATH by default */
  command?: string;
  platform?: NodeJS.Platform;
}

export interface PingSummary {
  transmitted: number | null;
  received: number | null;
  loss_percent: number | null;
  /** round-trip times of the replies, in ms */
  times: number[];
  rtt_avg_ms: number | null;
}

const NOT_PERMITTED = /operation not permitted|permission denied|are you root|not permitted|EPERM|EACCES/i;

/**
 * An ICMP echo check through the system `ping` (execFile with a fixed argv, never a shell; the
 * host is checked to be an IP or a host name first, so it cannot become an option). When the
 * program is missing or may not send ICMP the result says so ("ICMP not permitted: …") with
 * `details.icmp_unavailable`, instead of blaming the target.
 */
export function icmpCheck(spec: IcmpCheckSpec, options: PingOptions = {}): Check {
  const command = options.command ?? "ping";
  const platform = options.platform ?? process.platform;
  return {
    type: "icmp",
    run: (signal) =>
      guarded(signal, async () => {
        if (!isHost(spec.host)) return downResult(`refusing to ping ${JSON.stringify(spec.host.slice(0, 64))}: not an IP address or host name`, null);
        const args = pingArgs(spec.host, spec.count, spec.timeout_ms, platform);
        const { error, stdout, stderr } = await new Promise<{ error: (Error & { code?: unknown }) | null; stdout: string; stderr: string }>((resolve) => {
          const options = { encoding: "utf8" as const, signal, timeout: spec.timeout_ms + 1000, killSignal: "SIGKILL" as const, maxBuffer: 64 * 1024, env: { ...process.env, LC_ALL: "C" } }; // C locale: the output is parsed
          execFile(command, args, options, (e, out, err) => resolve({ error: e, stdout: out, stderr: err }));
        });
        return judge(spec, error, stdout, stderr);
      }),
  };
}

function judge(spec: IcmpCheckSpec, error: (Error & { code?: unknown }) | null, stdout: string, stderr: string): CheckResult {
  if (error?.code === "ENOENT") return downResult("ICMP not available: the system has no ping program (ENOENT)", null, { icmp_unavailable: true });
  if (error?.code === "EACCES" || NOT_PERMITTED.test(stderr)) {
    return downResult(`ICMP not permitted: ${firstLine(stderr) || "ping may not open an ICMP socket"}`, null, { icmp_unavailable: true });
  }
  const summary = parsePingOutput(stdout);
  const details = { transmitted: summary.transmitted, received: summary.received, loss_percent: summary.loss_percent };
  if (summary.received !== null && summary.received > 0 && summary.rtt_avg_ms !== null) return upResult(summary.rtt_avg_ms, details);
  if (error === null && summary.times.length > 0) return upResult(summary.rtt_avg_ms, details);
  if (typeof error?.code === "number" && error.code === 1) return downResult(`no echo reply from ${spec.host} (${summary.loss_percent ?? 100}% loss)`, null, details);
  const reason = firstLine(stderr) || firstLine(stdout) || error?.message || "ping failed";
  return downResult(`ping failed: ${reason}`, null, details);
}

/** The argv for one platform's ping: numeric output, `count` echoes, a per-reply wait. */
export function pingArgs(host: string, count: number, timeoutMs: number, platform: NodeJS.Platform): string[] {
  const waitSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  if (platform === "darwin" || platform === "freebsd" || platform === "openbsd") return ["-n", "-c", String(count), "-W", String(waitSeconds * 1000), host];
  const family = net.isIPv6(host) ? ["-6"] : [];
  return [...family, "-n", "-c", String(count), "-W", String(waitSeconds), host];
}

/** Reads the summary of iputils, BusyBox and BSD/macOS ping output. */
export function parsePingOutput(text: string): PingSummary {
  const times = [...text.matchAll(/time[=<]([\d.]+)\s*ms/g)].map((m) => Number(m[1])).filter(Number.isFinite);
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ errors)?, ([\d.]+)% packet loss/.exec(text);
  const rtt = /(?:rtt|round-trip) min\/avg\/max(?:\/(?:mdev|stddev))? = [\d.]+\/([\d.]+)\//.exec(text);
  const avg = rtt ? Number(rtt[1]) : times.length > 0 ? times.reduce((a, b) => a + b, 0) / times.length : null;
  return {
    transmitted: counts ? Number(counts[1]) : null,
    received: counts ? Number(counts[2]) : null,
    loss_percent: counts ? Number(counts[3]) : null,
    times,
    rtt_avg_ms: avg === null ? null : Math.round(avg * 1000) / 1000,
  };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.trim().slice(0, 300) ?? "";
}
