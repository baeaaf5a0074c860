import type { APIRequestContext } from "@playwright/test";

/** POSTs security events to the public API with an ingest key and returns its answer. */
export async function postEvents(request: APIRequestContext, base: string, key: string, events: unknown[]) {
  const res = await request.post(`${base}/api/v1/events`, { data: events, headers: { authorization: `Bearer ${key}` } });
  return { status: res.status(), body: await res.json() };
}

/**
 * Ten failed logins from one address: enough to open a brute-force incident. Each address tries its
 * own account, so bursts from many addresses do not also make a distributed attack on one account.
 */
export function bruteForceBurst(ip: string, count = 10) {
  const now = Date.now();
  const user = `admin-${ip}`;
  return Array.from({ length: count }, (_, i) => ({ kind: "auth_failure", src_ip: ip, user, time: now + i, message: `Failed password for ${user} from ${ip}` }));
}

/** POSTs a raw log upload (syslog, fast.log, EVE, CSV) to one of the native ingest endpoints. */
export async function postLog(request: APIRequestContext, base: string, key: string, format: "suricata" | "fast" | "syslog" | "transactions", body: string | Buffer, contentType = "text/plain") {
  const res = await request.post(`${base}/api/v1/ingest/${format}`, { data: body, headers: { authorization: `Bearer ${key}`, "content-type": contentType } });
  return { status: res.status(), body: await res.json() };
}

/** `count` sshd "Failed password" lines from one address, RFC 3164 stamps (no year) ending `endAgoS` seconds ago. */
export function sshdFailures(ip: string, count = 10, endAgoS = 5) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(now - (endAgoS + (count - 1 - i) * 2) * 1000);
    const month = d.toLocaleString("en", { month: "short", timeZone: "UTC" });
    return `${month} ${String(d.getUTCDate()).padStart(2, " ")} ${d.toISOString().slice(11, 19)} bastion sshd[${4000 + i}]: Failed password for root from ${ip} port ${50000 + i} ssh2`;
  }).join("\n");
}
