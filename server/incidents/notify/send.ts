// One HTTP POST of a delivery. The timeout runs on the injected timers (a test moves it by hand)
// and aborts the request wherever it is: DNS, connect, or a receiver that never answers.
import http from "node:http";
import https from "node:https";

import type { Timers } from "../../network";

export type { Timers };
/** Real timers that do not hold the process open. */
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SendOutcome {
  ok: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  /** cut off by `abort` (shutdown), not by the receiver or the timeout */
  aborted: boolean;
}

class Timeout extends Error {}
class Stopped extends Error {}

/**
 * POSTs `body` to `url` with `headers`; a 2xx answer is a delivery, anything else (another status,
 * a redirect, which is not followed, a network error, no answer within `timeoutMs`) is a failure
 * with its reason. Only the status line is read; the receiver's body is dropped unread. Never throws.
 * `stop` (optional) aborts the request for a shutdown.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, timeoutMs: number, timers: Timers, stop?: AbortSignal): Promise<SendOutcome> {
  const started = timers.now();
  const controller = new AbortController();
  return new Promise<SendOutcome>((resolve) => {
    let done = false;
    const finish = (outcome: Omit<SendOutcome, "duration_ms" | "aborted">, aborted = false) => {
      if (done) return;
      done = true;
      timers.clearTimeout(timer);
      stop?.removeEventListener("abort", onStop);
      resolve({ ...outcome, aborted, duration_ms: Math.max(0, timers.now() - started) });
    };
    const timer = timers.setTimeout(() => {
      controller.abort(new Timeout());
      finish({ ok: false, status_code: null, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    const onStop = () => {
      controller.abort(new Stopped());
      finish({ ok: false, status_code: null, error: "stopped by shutdown" }, true);
    };
    if (stop?.aborted) return onStop();
    stop?.addEventListener("abort", onStop);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return finish({ ok: false, status_code: null, error: "invalid URL" });
    }
    const bytes = Buffer.from(body, "utf8");
    const options: https.RequestOptions = {
      method: "POST",
      signal: controller.signal,
      agent: false,
      headers: { "content-type": "application/json", "content-length": String(bytes.length), "user-agent": "Vigil-Webhook/1", ...headers },
    };
    try {
      const request = (target.protocol === "https:" ? https : http).request(target, options, (response) => {
        const code = response.statusCode ?? 0;
        response.destroy();
        if (code >= 200 && code < 300) finish({ ok: true, status_code: code, error: null });
        else finish({ ok: false, status_code: code, error: code >= 300 && code < 400 ? `HTTP ${code} (redirects are not followed)` : `HTTP ${code}` });
      });
      request.once("error", (error: Error & { code?: string }) => finish({ ok: false, status_code: null, error: (error.code ? `${error.code}: ` : "") + error.message.slice(0, 200) }));
      request.end(bytes);
    } catch (error) {
      finish({ ok: false, status_code: null, error: (error as Error).message.slice(0, 200) });
    }
  });
}
