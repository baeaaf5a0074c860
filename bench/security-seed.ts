// A realistic stored history for the security pane's queries (bench/security-queries.ts): events
// shaped like the native parsers store them (EVE alerts with their raw JSON line, sshd/PAM/sudo
// failures with their syslog line, card transactions), skewed as real traffic is, with the
// per-minute rollup, the per-key tallies and some incidents' evidence links filled consistently.
// Written with batched prepared inserts in transactions, as fast as SQLite takes them.
import type Database from "better-sqlite3";
import type { Severity } from "../lib/contracts/common";
import type { EventKind } from "../lib/contracts/events";
import { canonicalIp } from "../lib/net/ip";
import { prepareTallies, type TallyInput } from "../server/security/tallies";

export interface SeedOptions {
  events: number;
  /** the newest event's time */
  now: number;
  /** history covered, ms (default 48 h) */
  spanMs?: number;
  sources?: number;
  signatures?: number;
  seed?: number;
}

export interface SeedFacts {
  /** the values the bench filters on, so each filter hits something */
  busiestSource: string;
  quietSource: string;
  ipv6Source: string;
  hostSource: string;
  busiestSignature: string;
  rareSignature: string;
  busyUser: string;
  dst: string;
  incidents: number[];
}

/** mulberry32: a small deterministic generator, so every run seeds the same history. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks index k of n with probability ∝ 1/(k+1)^s (a few heavy hitters, a long tail). */
function zipf(n: number, s: number, random: () => number) {
  const cdf: number[] = [];
  let sum = 0;
  for (let k = 0; k < n; k++) cdf.push((sum += 1 / Math.pow(k + 1, s)));
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const SIG_FAMILIES = ["ET SCAN", "ET EXPLOIT", "ET POLICY", "ET TROJAN", "ET WEB_SERVER", "ET INFO", "SURICATA STREAM", "SURICATA Applayer", "GPL ATTACK_RESPONSE", "ET DOS"];
const CATEGORIES = ["Attempted Information Leak", "Web Application Attack", "Potential Corporate Privacy Violation", "A Network Trojan was detected", "Generic Protocol Command Decode", "Misc activity"];
const AUTH = [
  { service: "sshd", signature: "sshd: failed password", kind: "auth_failure" as const, severity: "low" as const },
  { service: "sshd", signature: "sshd: invalid user", kind: "auth_failure" as const, severity: "low" as const },
  { service: "sshd", signature: "sshd: preauth disconnect", kind: "auth_failure" as const, severity: "info" as const },
  { service: "pam", signature: "pam: authentication failure", kind: "auth_failure" as const, severity: "low" as const },
  { service: "sudo", signature: "sudo: incorrect password", kind: "auth_failure" as const, severity: "medium" as const },
  { service: "sshd", signature: "sshd: accepted password", kind: "auth_success" as const, severity: "info" as const },
];

export function seedSecurityHistory(sqlite: Database.Database, o: SeedOptions): SeedFacts {
  const random = prng(o.seed ?? 9);
  const span = o.spanMs ?? 48 * 3_600_000;
  const nSources = o.sources ?? 5_000;
  const nSignatures = o.signatures ?? 300;
  // sources: mostly IPv4, some IPv6 (stored in canonical compressed form), some PAM host names
  const sources = Array.from({ length: nSources }, (_, k) => {
    if (k % 25 === 7) return { ip: null, host: `host-${k}.dyn.example.net` };
    if (k % 17 === 3) return { ip: canonicalIp(`2001:db8:${(k >> 8).toString(16)}:0:0:0:${k.toString(16)}:1`)!, host: null };
    return { ip: `${[203, 198, 192, 45, 185][k % 5]}.${(k >> 8) & 255}.${k & 255}.${(k * 7) % 250}`, host: null };
  });
  const pickSource = zipf(nSources, 1.05, random);
  // signatures: a severity each (few critical, many medium/low), engine noise among the commonest
  const signatures = Array.from({ length: nSignatures }, (_, k) => ({
    sid: 2_000_000 + k,
    text: `${SIG_FAMILIES[k % SIG_FAMILIES.length]} ${["possible", "suspicious", "outbound", "inbound", "observed"][k % 5]} activity ${k} ${"v".repeat(k % 20)}`,
    severity: (k % 97 === 5 ? "critical" : k % 11 === 2 ? "high" : k % 3 === 0 ? "medium" : "low") as Severity,
    category: CATEGORIES[k % CATEGORIES.length],
  }));
  const pickSignature = zipf(nSignatures, 1.1, random);
  const users = Array.from({ length: 2_000 }, (_, k) => (k < 10 ? ["root", "admin", "ubuntu", "oracle", "test", "postgres", "git", "user", "pi", "ftp"][k] : `user${k}`));
  const pickUser = zipf(users.length, 1.2, random);
  const dsts = Array.from({ length: 60 }, (_, k) => `10.2.${k >> 4}.${(k & 15) + 10}`);
  const pickDst = zipf(dsts.length, 1.0, random);

  const insert = sqlite.prepare(
    `INSERT INTO security_events (time, received_at, kind, severity, source, src_ip, dst_ip, user, signature, message, attributes,
       service, src_host, src_port, dst_port, proto, occurrences, fingerprint, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const minutes = new Map<string, number>();
  // the per-key tallies as ingest writes them (server/security/tallies.ts), folded per batch
  const tally = prepareTallies(sqlite);
  const BATCH = 20_000;
  for (let start = 0; start < o.events; start += BATCH) {
    sqlite.transaction(() => {
      const tallied: TallyInput[] = [];
      for (let k = start; k < Math.min(o.events, start + BATCH); k++) {
        // mostly in time order with a little jitter, as sensors deliver
        const time = Math.round(o.now - span + (k * span) / o.events - random() * 2_000);
        const src = sources[pickSource()];
        const r = random();
        let kind: EventKind;
        let severity: Severity;
        let service: string;
        let signature: string;
        let user: string | null = null;
        let dst: string | null = null;
        let message: string;
        let attributes: Record<string, unknown>;
        let raw: string;
        let occurrences = 1;
        const srcText = src.ip ?? src.host!;
        const stamp = new Date(time).toISOString();
        if (r < 0.58) {
          const sig = signatures[pickSignature()];
          kind = r < 0.5 ? "ids_alert" : "ids_anomaly";
          severity = kind === "ids_anomaly" ? "low" : sig.severity;
          service = "suricata";
          signature = sig.text;
          dst = dsts[pickDst()];
          message = sig.category;
          attributes = { sid: sig.sid, gid: 1, rev: 3, category: sig.category, action: "allowed", app_proto: "tls", flow_id: 1_000_000_000 + k };
          raw = JSON.stringify({
            timestamp: stamp,
            flow_id: 1_000_000_000 + k,
            in_iface: "eth0",
            event_type: "alert",
            src_ip: srcText,
            src_port: 30_000 + (k % 30_000),
            dest_ip: dst,
            dest_port: 443,
            proto: "TCP",
            alert: { action: "allowed", gid: 1, signature_id: sig.sid, rev: 3, signature: sig.text, category: sig.category, severity: 2, metadata: { updated_at: ["2026_01_01"], former_category: ["POLICY"] } },
            app_proto: "tls",
            tls: { subject: "CN=www.example.com", issuerdn: "CN=Example CA", fingerprint: "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd", version: "TLS 1.2" },
            flow: { pkts_toserver: 5, pkts_toclient: 4, bytes_toserver: 700, bytes_toclient: 3000, start: stamp },
            payload: "R0VUIC8gSFRUUC8xLjENCkhvc3Q6IHd3dy5leGFtcGxlLmNvbQ0KVXNlci1BZ2VudDogTW96aWxsYS81LjANCg0K".repeat(1 + (k % 4)),
          });
        } else if (r < 0.9) {
          const a = AUTH[Math.floor(random() * random() * AUTH.length)];
          kind = a.kind;
          severity = a.severity;
          service = a.service;
          signature = a.signature;
          user = users[pickUser()];
          occurrences = random() < 0.05 ? 2 + Math.floor(random() * 8) : 1;
          message = `${a.signature} for ${user} from ${srcText}`;
          attributes = { host: "bastion", program: a.service, pid: String(1000 + (k % 90_000)) };
          raw = `<38>${stamp} bastion ${a.service}[${1000 + (k % 90_000)}]: Failed password for ${user} from ${srcText} port ${1024 + (k % 60_000)} ssh2`;
        } else if (r < 0.985) {
          kind = "transaction";
          const declined = random() < 0.08;
          severity = declined ? "medium" : "info";
          service = "payments";
          signature = declined ? "payment declined" : "payment approved";
          user = `acct-${Math.floor(random() * 20_000)}`;
          message = `${declined ? "declined" : "approved"} ${(random() * 300).toFixed(2)} EUR at merchant ${k % 500}`;
          attributes = { card: "**** **** **** 4242", amount: Math.round(random() * 30_000) / 100, currency: "EUR", merchant: `m-${k % 500}`, device: `d-${k % 3000}` };
          raw = `${stamp},${user},************4242,${srcText},d-${k % 3000},${attributes.amount},EUR,m-${k % 500},${declined ? "declined" : "approved"}`;
        } else {
          kind = r < 0.995 ? "anomaly" : "system";
          severity = kind === "anomaly" ? "medium" : "info";
          service = "vigil";
          signature = kind === "anomaly" ? "rate anomaly" : "sensor restarted";
          message = `${signature} on sensor ${k % 8}; 100% of baseline_rate exceeded`;
          attributes = { sensor: `s${k % 8}` };
          raw = JSON.stringify({ kind, message, time: stamp });
        }
        insert.run(
          time,
          time + 500,
          kind,
          severity,
          "bench",
          src.ip,
          dst,
          user,
          signature,
          message,
          JSON.stringify(attributes),
          service,
          src.host,
          src.ip ? 30_000 + (k % 30_000) : null,
          dst ? 443 : null,
          dst ? "TCP" : null,
          occurrences,
          `bench:${k}:${(k * 2654435761) >>> 0}`,
          raw,
        );
        const minute = `${Math.floor(time / 60_000) * 60_000}|${severity}`;
        minutes.set(minute, (minutes.get(minute) ?? 0) + occurrences);
        tallied.push({ time, severity, src_ip: src.ip, src_host: src.host, signature, user, service, kind, occurrences });
      }
      tally(tallied);
    })();
  }
  sqlite.transaction(() => {
    const m = sqlite.prepare(`INSERT INTO event_minutes (minute, severity, count) VALUES (?, ?, ?)`);
    for (const [key, count] of minutes) {
      const [minute, severity] = key.split("|");
      m.run(Number(minute), severity, count);
    }
  })();

  // incidents whose evidence is linked: 40 brute forces of 200 events from busy sources
  const incidents: number[] = [];
  sqlite.transaction(() => {
    const incident = sqlite.prepare(
      `INSERT INTO incidents (dedup_key, rule, entity, pane, title, severity, status, first_seen, last_seen, explanation, mitre) VALUES (?, 'brute_force', ?, 'security', ?, 'high', 'open', ?, ?, ?, 'T1110.001')`,
    );
    const link = sqlite.prepare(`INSERT INTO incident_events (incident_id, event_id) VALUES (?, ?)`);
    const pick = sqlite.prepare<[string], { id: number; time: number }>(`SELECT id, time FROM security_events WHERE src_ip = ? AND kind = 'auth_failure' ORDER BY time DESC LIMIT 200`);
    for (let k = 0; k < 40; k++) {
      const src = sources[k].ip ?? sources[k].host!;
      const rows = sources[k].ip ? pick.all(src) : [];
      if (!rows.length) continue;
      const id = Number(
        incident.run(`brute_force:sshd:${src}`, `sshd:${src}`, `Brute force from ${src}`, rows.at(-1)!.time, rows[0].time, `${rows.length} failed logins from ${src}`).lastInsertRowid,
      );
      for (const r of rows) link.run(id, r.id);
      incidents.push(id);
    }
  })();

  const busiest = sources[0];
  return {
    busiestSource: busiest.ip ?? busiest.host!,
    quietSource: sources.slice(-200).find((s) => s.ip && !s.ip.includes(":"))!.ip!,
    ipv6Source: sources.find((s) => s.ip?.includes(":"))!.ip!,
    hostSource: sources.find((s) => s.host)!.host!,
    busiestSignature: signatures[0].text,
    rareSignature: signatures[nSignatures - 3].text,
    busyUser: users[3],
    dst: dsts[5],
    incidents,
  };
}
