import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import type { PeerCertificate, TLSSocket } from "node:tls";
import zlib from "node:zlib";
import { certDetails, certFacts, judgeCert } from "./cert";
import { downResult, elapsed, guarded, systemCheckEnv, upResult, type Check, type CheckDetails, type CheckEnv, type CheckResult } from "./check";
import type { HttpCheckSpec, StatusRange } from "./spec";

const USER_AGENT = "Vigil-Probe/1 (+network health check)";
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Hop {
  status: number;
  headers: IncomingHttpHeaders;
  response: IncomingMessage;
  cert: PeerCertificate | null;
}

/** An HTTP(S) check: status, keyword, JSON query, redirects and certificate expiry (see spec.ts). */
export function httpCheck(spec: HttpCheckSpec, env: CheckEnv = systemCheckEnv): Check {
  return { type: "http", run: (signal) => guarded(signal, () => runHttp(spec, env, signal)) };
}

async function runHttp(spec: HttpCheckSpec, env: CheckEnv, signal: AbortSignal): Promise<CheckResult> {
  const start = env.monotonic();
  let url = new URL(spec.url);
  let method: string = spec.method;
  let body = spec.body;
  let headers: Record<string, string> = { "user-agent": USER_AGENT, "accept-encoding": "gzip, deflate, br", ...lowerKeys(spec.headers) };
  const visited = new Set([url.href]);
  let cert: PeerCertificate | null = null;
  const details: CheckDetails = { redirects: 0 };
  for (let redirects = 0; ; redirects++) {
    const hop = await send(url, method, headers, body, spec, signal);
    if (hop.cert) cert = hop.cert;
    details.http_status = hop.status;
    details.redirects = redirects;
    details.final_url = publicUrl(url);
    const location = hop.headers.location;
    if (!REDIRECTS.has(hop.status) || spec.max_redirects === 0 || !location) {
      return judge(spec, env, start, hop, cert, details, signal);
    }
    hop.response.destroy();
    if (redirects >= spec.max_redirects) return downResult(`more than ${spec.max_redirects} redirects (last to ${publicUrl(url)})`, elapsed(env, start), details);
    if (!URL.canParse(location, url)) return downResult(`redirect to an unreadable location ${JSON.stringify(location.slice(0, 200))}`, elapsed(env, start), details);
    const next = new URL(location, url);
    if (next.protocol !== "http:" && next.protocol !== "https:") return downResult(`redirect to a ${next.protocol} URL refused`, elapsed(env, start), details);
    if (visited.has(next.href)) return downResult(`redirect loop: ${publicUrl(next)} was already visited`, elapsed(env, start), { ...details, redirects: redirects + 1 });
    visited.add(next.href);
    if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
    // credentials the config gave for one origin are not handed to another (as fetch does)
    if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== "authorization" && k !== "cookie"));
    url = next;
  }
}

async function judge(spec: HttpCheckSpec, env: CheckEnv, start: number, hop: Hop, cert: PeerCertificate | null, details: CheckDetails, signal: AbortSignal): Promise<CheckResult> {
  const needBody = spec.keyword !== undefined || spec.keyword_absent !== undefined || spec.json_query !== undefined;
  const read = needBody && spec.method !== "HEAD" ? await readCapped(hop, spec.max_body_bytes, signal) : (hop.response.destroy(), null);
  const latency = elapsed(env, start);
  if (read) {
    details.body_bytes = read.body.length;
    details.body_truncated = read.truncated;
  }
  const facts = certFacts(cert, env.now());
  if (facts) Object.assign(details, certDetails(facts));
  if (!statusExpected(hop.status, spec.expected_status)) return downResult(`HTTP ${hop.status}, expected ${spec.expected_status.map(rangeText).join(", ")}`, latency, details);
  const text = read ? read.body.toString("utf8") : "";
  const where = read?.truncated ? ` in the first ${spec.max_body_bytes} bytes` : "";
  if (spec.keyword !== undefined && !text.includes(spec.keyword)) return downResult(`keyword ${JSON.stringify(spec.keyword)} not found${where}`, latency, details);
  if (spec.keyword_absent !== undefined && text.includes(spec.keyword_absent)) return downResult(`keyword ${JSON.stringify(spec.keyword_absent)} found, expected absent`, latency, details);
  if (spec.json_query) {
    if (read?.truncated) return downResult(`body over ${spec.max_body_bytes} bytes: JSON query not evaluated`, latency, details);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return downResult("body is not JSON", latency, details);
    }
    const { ok, actual } = spec.json_query.evaluate(document);
    details.json_value = actual === undefined ? null : short(JSON.stringify(actual));
    if (!ok) return downResult(`JSON query ${spec.json_query.text} failed (found ${actual === undefined ? "nothing" : short(JSON.stringify(actual))})`, latency, details);
  }
  if (facts) {
    const verdict = judgeCert(facts, spec);
    if (verdict.error) return downResult(verdict.error, latency, details);
    return upResult(latency, details, verdict.warning);
  }
  return upResult(latency, details);
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, spec: HttpCheckSpec, signal: AbortSignal): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const secure = url.protocol === "https:";
    const options: https.RequestOptions = { method, headers, signal, agent: false };
    if (secure) {
      options.rejectUnauthorized = !spec.ignore_tls_errors;
      if (spec.ca) options.ca = spec.ca;
    }
    const request = (secure ? https : http).request(url, options, (response) => {
      const socket = response.socket as TLSSocket | null;
      const cert = secure && socket && typeof socket.getPeerCertificate === "function" ? socket.getPeerCertificate() : null;
      resolve({ status: response.statusCode ?? 0, headers: response.headers, response, cert });
    });
    request.once("error", reject);
    request.end(body);
  });
}

/** Reads at most `cap` bytes of the (decompressed) body, then drops the connection. */
function readCapped(hop: Hop, cap: number, signal: AbortSignal): Promise<{ body: Buffer; truncated: boolean }> {
  const { response } = hop;
  const encoding = String(hop.headers["content-encoding"] ?? "").trim().toLowerCase();
  const decoder = encoding === "gzip" || encoding === "x-gzip" ? zlib.createGunzip() : encoding === "deflate" ? zlib.createInflate() : encoding === "br" ? zlib.createBrotliDecompress() : null;
  const source: NodeJS.ReadableStream & { destroy(): void } = decoder ? response.pipe(decoder) : response;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      response.destroy();
      decoder?.destroy();
      resolve({ body: Buffer.concat(chunks, size), truncated });
    };
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      response.destroy();
      decoder?.destroy();
      reject(error);
    };
    source.on("data", (chunk: Buffer) => {
      if (done) return;
      const room = cap - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        size += room;
        finish(true);
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    source.once("end", () => finish(false));
    source.once("error", (e: Error) => fail(decoder ? new Error(`body could not be decoded (${encoding}): ${e.message}`) : e));
    response.once("error", fail);
    response.once("aborted", () => fail(new Error("connection closed before the body ended")));
    if (signal.aborted) fail(new Error("aborted"));
  });
}

function statusExpected(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((r) => status >= r.from && status <= r.to);
}
function rangeText(r: StatusRange): string {
  return r.from === r.to ? String(r.from) : r.from % 100 === 0 && r.to === r.from + 99 ? `${r.from / 100}xx` : `${r.from}-${r.to}`;
}
function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
/** A URL as results show it: never with the user name or password it may carry. */
export function publicUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}
function short(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
