import type { SecurityDetection, StoredEvent } from "../types";

// Test fixtures for the IDS, scan and payment rules (used by their tests only).

/** 2024-01-01T00:00:00Z: the fixtures' epoch. */
export const T0 = Date.UTC(2024, 0, 1);
export const SEC = 1_000;
export const MIN = 60_000;
export const HOUR = 3_600_000;

let nextId = 1;

/** A stored event with the given fields; the rest empty. Ids increase with each call. */
export function stored(fields: Partial<StoredEvent> & Pick<StoredEvent, "time" | "kind">): StoredEvent {
  const id = fields.id ?? nextId++;
  return {
    severity: "low",
    service: null,
    src_ip: null,
    src_host: null,
    src_port: null,
    dst_ip: null,
    dst_port: null,
    proto: null,
    user: null,
    signature: null,
    message: null,
    attributes: null,
    occurrences: 1,
    fingerprint: `f${id}`,
    raw: "",
    ...fields,
    id,
  };
}

export interface AlertFields {
  priority?: number;
  sid?: number;
  gid?: number;
  category?: string;
  dst?: string;
  occurrences?: number;
}

/** An IDS alert from `src` at `time`. */
export function alert(time: number, src: string, signature: string, f: AlertFields = {}): StoredEvent {
  return stored({
    time,
    kind: "ids_alert",
    service: "suricata",
    src_ip: src,
    dst_ip: f.dst ?? "10.0.0.1",
    signature,
    occurrences: f.occurrences ?? 1,
    attributes: { priority: f.priority ?? 3, sid: f.sid, gid: f.gid ?? 1, category: f.category },
  });
}

/** A decoder or stream-engine event. */
export function anomaly(time: number, type: string, src = "10.0.0.5", occurrences = 1): StoredEvent {
  return stored({ time, kind: "ids_anomaly", service: "suricata", src_ip: src, signature: type, occurrences });
}

export interface TxFields {
  account?: string;
  card?: string;
  device?: string;
  ip?: string;
  amount?: number;
  currency?: string;
  outcome?: string;
}

/** A payment transaction. */
export function tx(time: number, f: TxFields = {}): StoredEvent {
  return stored({
    time,
    kind: "transaction",
    service: "payments",
    user: f.account ?? null,
    src_ip: f.ip ?? null,
    attributes: { amount: f.amount ?? 20, currency: f.currency ?? "EUR", card: f.card, device: f.device, outcome: f.outcome ?? "approved" },
  });
}

/** A deterministic shuffle (mulberry32). */
export function shuffled<T>(xs: readonly T[], seed = 42): T[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Slices of `size`, in order. */
export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** What an incident per (rule, entity) ends up with after all reports: count and span. */
export function totals(reports: readonly SecurityDetection[]): Record<string, { count: number; firstSeen: number; lastSeen: number }> {
  const out: Record<string, { count: number; firstSeen: number; lastSeen: number }> = {};
  for (const d of reports) {
    const key = `${d.rule}|${d.entity}`;
    const t = (out[key] ??= { count: 0, firstSeen: d.firstSeen, lastSeen: d.lastSeen });
    t.count += d.increment;
    t.firstSeen = Math.min(t.firstSeen, d.firstSeen);
    t.lastSeen = Math.max(t.lastSeen, d.lastSeen);
  }
  return out;
}

/** Feeds batches one after another and collects every report. */
export function feed<B>(rule: { observe(batch: B): SecurityDetection[] }, batches: readonly B[]): SecurityDetection[] {
  return batches.flatMap((b) => rule.observe(b));
}

/** `n` items made by `make`, handed out in batches of `size` (made as they are asked for). */
export function* batchesOf<T>(n: number, size: number, make: (i: number) => T): Generator<T[]> {
  for (let start = 0; start < n; start += size) {
    const batch: T[] = [];
    for (let i = start; i < Math.min(n, start + size); i++) batch.push(make(i));
    yield batch;
  }
}

/** The i-th of 16 million distinct addresses in 10.0.0.0/8. */
export const nthAddress = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
