import { performance } from "node:perf_hooks";

export const CHECK_TYPES = ["http", "tcp", "dns", "tls", "icmp", "push"] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/** What a run found besides up/down: HTTP status, certificate days left, resolved answers… */
export type CheckDetails = Record<string, string | number | boolean | null | readonly string[]>;

/** One run of one check. `latency_ms` is null when nothing answered (a timeout, a cancelled run). */
export interface CheckResult {
  ok: boolean;
  status: "up" | "down";
  latency_ms: number | null;
  /** why the run failed, in words a NOC engineer reads */
  error?: string;
  /** the run passed but something needs attention soon (a certificate near its warning threshold) */
  warning?: string;
  details: CheckDetails;
}

/**
 * A monitor as Gatus and Uptime Kuma type them: made from `{type, ...settings}`, run with a
 * signal. `run` never rejects and settles promptly once the signal aborts, whatever the target
 * does: a failure of any kind is a `down` result with its reason.
 */
export interface Check {
  readonly type: CheckType;
  run(signal: AbortSignal): Promise<CheckResult>;
}

/** Time sources a check reads: wall time for certificate expiry, a monotonic one for latency. */
export interface CheckEnv {
  now(): number;
  monotonic(): number;
}
export const systemCheckEnv: CheckEnv = { now: () => Date.now(), monotonic: () => performance.now() };

/** The abort reason the scheduler gives when a run passes its timeout. */
export class CheckTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = "CheckTimeout";
  }
}

export function upResult(latencyMs: number | null, details: CheckDetails = {}, warning?: string): CheckResult {
  return warning === undefined ? { ok: true, status: "up", latency_ms: latencyMs, details } : { ok: true, status: "up", latency_ms: latencyMs, warning, details };
}

export function downResult(error: string, latencyMs: number | null, details: CheckDetails = {}): CheckResult {
  return { ok: false, status: "down", latency_ms: latencyMs, error, details };
}

/** Why a signal aborted, as a result's reason: "timed out after 5000 ms", or "cancelled: …". */
export function abortText(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof CheckTimeout) return reason.message;
  if (reason instanceof Error && reason.name === "TimeoutError") return "timed out";
  if (reason instanceof Error && reason.message) return `cancelled: ${reason.message}`;
  return "cancelled";
}

const ERROR_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by peer",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed (temporary)",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed while sending",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not name this host",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS chain ends in an untrusted self-signed certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate chain is incomplete or untrusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS certificate issuer is not trusted",
  CERT_HAS_EXPIRED: "TLS certificate has expired",
  CERT_NOT_YET_VALID: "TLS certificate is not valid yet",
  HPE_INVALID_CONSTANT: "the answer is not HTTP",
};

/** A thrown error in a result's words, with its code for searching ("connection refused (ECONNREFUSED)"). */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code && ERROR_WORDS[code]) return `${ERROR_WORDS[code]} (${code})`;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

/** Milliseconds since `start` on the monotonic clock, to 0.01 ms. */
export function elapsed(env: CheckEnv, start: number): number {
  return Math.round((env.monotonic() - start) * 100) / 100;
}

/**
 * Runs `work` so that the answer settles as soon as `signal` aborts, even if the work ignores the
 * signal or its socket never closes; whatever it throws becomes a down result. The work gets the
 * same signal and should still release its resources on abort.
 */
export function guarded(signal: AbortSignal, work: () => Promise<CheckResult>): Promise<CheckResult> {
  if (signal.aborted) return Promise.resolve(downResult(abortText(signal), null));
  return new Promise<CheckResult>((resolve) => {
    const onAbort = () => resolve(downResult(abortText(signal), null));
    signal.addEventListener("abort", onAbort, { once: true });
    work()
      .then(resolve, (error: unknown) => resolve(signal.aborted ? downResult(abortText(signal), null) : downResult(errorText(error), null)))
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}
