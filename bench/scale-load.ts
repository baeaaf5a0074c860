// The console-scale workload (issue 8) as plain HTTP drivers, shared by bench/console-scale.ts
// (with Chromium watching) and bench/server-load.ts (the server alone): N nodes pushing a heartbeat
// every 30 s, a security stream of R events/s, and open incidents seeded beforehand.

/** the API's limit on items per request */
export const MAX_ITEMS = 10_000;
export const HEARTBEAT_EVERY_MS = 30_000;
export const EVENTS_EVERY_MS = 100;
export const nodeKey = (i: number) => `bench-${String(i).padStart(4, "0")}`;
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function post(url: string, key: string, route: "heartbeats" | "events", items: unknown[]): Promise<number> {
  if (items.length > MAX_ITEMS) throw new Error(`${items.length} items in one request (limit ${MAX_ITEMS})`);
  const res = await fetch(`${url}/api/v1/${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(items),
  });
  const body = (await res.json()) as { accepted?: number };
  if (res.status >= 300) throw new Error(`POST /api/v1/${route} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.accepted ?? 0;
}

export interface Driver {
  /** requests sent, requests skipped because too many were in flight, errors seen */
  stats: { sent: number; skipped: number; accepted: number; errors: string[] };
  stop(): Promise<void>;
}

/**
 * Calls `tick(n)` every `everyMs` on a fixed schedule, each a request in flight at most `maxInFlight`
 * at a time: when the server lags, ticks are skipped (and counted) rather than queued.
 */
function periodic(everyMs: number, tick: (n: number) => Promise<number>, maxInFlight = 4): Driver {
  const stats = { sent: 0, skipped: 0, accepted: 0, errors: [] as string[] };
  let running = true;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const loop = (async () => {
    const start = Date.now();
    for (let n = 0; running; n++) {
      const due = start + n * everyMs;
      if (due > Date.now()) await sleep(due - Date.now());
      if (!running) break;
      if (inFlight >= maxInFlight) {
        stats.skipped++;
        continue;
      }
      inFlight++;
      stats.sent++;
      const p = tick(n)
        .then((accepted) => void (stats.accepted += accepted))
        .catch((e: Error) => void (stats.errors.length < 5 && stats.errors.push(e.message)))
        .finally(() => {
          inFlight--;
          pending.delete(p);
        });
      pending.add(p);
    }
  })();
  return {
    stats,
    stop: async () => {
      running = false;
      await loop;
      await Promise.all(pending);
    },
  };
}

/** `nodes` nodes, each one heartbeat every 30 s: a slice of them every second; nodes in `failing` report failures. */
export function heartbeatDriver(url: string, key: string, nodes: number, failing: Set<number>): Driver {
  const slices = HEARTBEAT_EVERY_MS / 1000;
  return periodic(1000, (n) => {
    const slice = n % slices;
    const items = [];
    for (let i = slice; i < nodes; i += slices) items.push(failing.has(i) ? { node: nodeKey(i), ok: false, time: Date.now() } : { node: nodeKey(i), ok: true, latency_ms: 5 + ((i * 7 + n) % 90), time: Date.now() });
    return post(url, key, "heartbeats", items);
  });
}

/**
 * The security stream: `rate` events/s as a batch every 100 ms, times = now: low IDS alerts from 5,000
 * sources under 25 signatures. Within the first minute they open incidents too (about 5,000
 * ids_persistent_source, 25 ids_campaign), whose repeat hits then churn the live incident list.
 */
export function eventDriver(url: string, key: string, rate: number): Driver {
  const perPost = Math.min(MAX_ITEMS, Math.round((rate * EVENTS_EVERY_MS) / 1000));
  return periodic(EVENTS_EVERY_MS, (n) => {
    const time = Date.now();
    const items = Array.from({ length: perPost }, (_, i) => ({
      kind: "ids_alert",
      severity: "low",
      src_ip: ip(200_000 + ((n * perPost + i) % 5000)),
      signature: `ET BENCH stream ${i % 25}`,
      time,
    }));
    return post(url, key, "events", items);
  });
}

/** Every node once, up. */
export async function seedNodes(url: string, key: string, nodes: number): Promise<void> {
  for (let from = 0; from < nodes; from += MAX_ITEMS)
    await post(url, key, "heartbeats", Array.from({ length: Math.min(MAX_ITEMS, nodes - from) }, (_, i) => ({ node: nodeKey(from + i), ok: true, latency_ms: 10, time: Date.now() })));
}

/** `count` open incidents: ten failed logins from each of `count` sources (brute_force), within the last two minutes. */
export async function openIncidents(url: string, key: string, count: number): Promise<void> {
  const base = Date.now() - 120_000;
  const perIp = 10;
  const ipsPerPost = Math.floor(MAX_ITEMS / perIp);
  for (let from = 0; from < count; from += ipsPerPost) {
    const items = [];
    for (let n = from; n < Math.min(count, from + ipsPerPost); n++)
      for (let k = 0; k < perIp; k++) items.push({ kind: "auth_failure", src_ip: ip(n + 1), user: "root", time: base + Math.floor((n * 100_000) / count) + k });
    await post(url, key, "events", items);
  }
}

export async function activeIncidents(url: string, key: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/incidents?status=active&limit=1`, { headers: { authorization: `Bearer ${key}` } });
  return ((await res.json()) as { total: number }).total;
}
