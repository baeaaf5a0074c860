/** Test-only helpers for the auth rule tests: stored auth events, seeded shuffles, incident folding. */
import type { SecurityDetection, SecurityRule, StoredEvent } from "../types";

/** 2025-01-15T03:00:00Z */
export const T0 = Date.UTC(2025, 0, 15, 3, 0, 0);
export const SEC = 1_000;
export const MIN = 60_000;

let nextId = 1;

export interface AuthEventInit {
  time: number;
  kind?: "auth_failure" | "auth_success";
  src_ip?: string | null;
  src_host?: string | null;
  src_port?: number | null;
  user?: string | null;
  service?: string | null;
  occurrences?: number;
  attempt?: boolean;
  id?: number;
}

/** A stored auth event; by default a failed sshd password for root from 203.0.113.5 without a port. */
export function authEvent(p: AuthEventInit, time = p.time): StoredEvent {
  const id = p.id ?? nextId++;
  return {
    id,
    time,
    kind: p.kind ?? "auth_failure",
    severity: "low",
    service: p.service === undefined ? "sshd" : p.service,
    src_ip: p.src_ip === undefined ? (p.src_host ? null : "203.0.113.5") : p.src_ip,
    src_host: p.src_host ?? null,
    src_port: p.src_port ?? null,
    dst_ip: null,
    dst_port: null,
    proto: null,
    user: p.user === undefined ? "root" : p.user,
    signature: p.kind === "auth_success" ? "Accepted password" : p.attempt === false ? "Invalid user" : "Failed password",
    message: null,
    attributes: p.attempt === undefined ? null : { attempt: p.attempt },
    occurrences: p.occurrences ?? 1,
    fingerprint: `fp-${id}`,
    raw: "",
  };
}

const none: Omit<AuthEventInit, "time"> = {};
export const fail = (time: number, p: Omit<AuthEventInit, "time"> = none) => authEvent(p as AuthEventInit, time);
export const success = (time: number, p: Omit<AuthEventInit, "time"> = none) => authEvent({ ...p, time, kind: "auth_success" });

/** `n` failures from `t0`, `stepMs` apart. */
export function failures(n: number, t0: number, stepMs: number, p: (i: number) => Omit<AuthEventInit, "time"> = () => ({})): StoredEvent[] {
  return Array.from({ length: n }, (_, i) => fail(t0 + i * stepMs, p(i)));
}

/** A deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const r = random(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What an incident service makes of the reports: per rule:entity the summed count and the evidence's first and last times. */
export interface Incident {
  count: number;
  firstSeen: number;
  lastSeen: number;
  reports: number;
}

/** Runs the batches through the rule; checks the one-report-per-entity-per-batch contract on the way. */
export function incidents(rule: SecurityRule, batches: readonly (readonly StoredEvent[])[]): Map<string, Incident> {
  const out = new Map<string, Incident>();
  for (const batch of batches) {
    const ds: SecurityDetection[] = rule.observe(batch);
    const entities = new Set(ds.map((d) => `${d.rule}|${d.entity}`));
    if (entities.size !== ds.length) throw new Error("more than one report for one entity in a batch");
    for (const d of ds) {
      const key = `${d.rule}|${d.entity}`;
      const i = out.get(key);
      if (!i) out.set(key, { count: d.increment, firstSeen: d.firstSeen, lastSeen: d.lastSeen, reports: 1 });
      else {
        i.count += d.increment;
        i.firstSeen = Math.min(i.firstSeen, d.firstSeen);
        i.lastSeen = Math.max(i.lastSeen, d.lastSeen);
        i.reports++;
      }
    }
  }
  return out;
}

/** Incidents as a sorted plain object, for `toEqual` comparisons that ignore how many reports made them. */
export function totals(m: Map<string, Incident>): Record<string, Omit<Incident, "reports">> {
  return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, { count, firstSeen, lastSeen }]) => [k, { count, firstSeen, lastSeen }]));
}
