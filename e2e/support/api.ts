import type { APIRequestContext } from "@playwright/test";

/** POSTs security events to the public API with an ingest key and returns its answer. */
export async function postEvents(request: APIRequestContext, base: string, key: string, events: unknown[]) {
  const res = await request.post(`${base}/api/v1/events`, { data: events, headers: { authorization: `Bearer ${key}` } });
  return { status: res.status(), body: await res.json() };
}

/** Ten failed logins from one address: enough to open a brute-force incident. */
export function bruteForceBurst(ip: string, count = 10) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({ kind: "auth_failure", src_ip: ip, user: "root", time: now + i, message: `Failed password for root from ${ip}` }));
}
