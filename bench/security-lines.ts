// The lines the security ingest benchmarks send (shared by bench/security-ingest.ts over HTTP and
// bench/security-ingest-core.ts in process): realistic EVE alerts from many sources over 500
// signatures, and sshd failures from 2,000 brute-forcing sources.

const SIGNATURES = Array.from({ length: 500 }, (_, i) => ({
  sid: 2_000_000 + i,
  msg: `ET ${["SCAN", "EXPLOIT", "POLICY", "TROJAN", "WEB_SERVER"][i % 5]} bench signature ${i}`,
  sev: i % 50 === 0 ? 1 : 2 + (i % 2),
  category: ["Attempted Information Leak", "Web Application Attack", "Potential Corporate Privacy Violation", "A Network Trojan was detected"][i % 4],
}));

let serial = 0;
/** One realistic EVE alert line (about 650 bytes), unique by flow_id, stamped within the last 2 s as a live sensor writes. */
export function eveAlert(now: number): string {
  const n = serial++;
  const sig = SIGNATURES[(n * 7919) % SIGNATURES.length];
  const src = `198.51.${(n >> 8) % 80}.${n & 255}`;
  const ts = new Date(now - (n % 2_000)).toISOString().replace("Z", "+0000");
  return JSON.stringify({
    timestamp: ts,
    flow_id: 1_000_000_000_000 + n,
    in_iface: "eth0",
    event_type: "alert",
    src_ip: src,
    src_port: 40_000 + (n % 20_000),
    dest_ip: "10.0.0.5",
    dest_port: 443,
    proto: "TCP",
    community_id: "1:bench",
    alert: { action: "allowed", gid: 1, signature_id: sig.sid, rev: 3, signature: sig.msg, category: sig.category, severity: sig.sev, metadata: { updated_at: ["2026_01_01"] } },
    app_proto: "tls",
    flow: { pkts_toserver: 5, pkts_toclient: 4, bytes_toserver: 700, bytes_toclient: 3000, start: ts },
  });
}

// an Ethernet + IPv4 + TCP header (54 bytes) before the payload in `packet`
const PACKET_HEADER = Buffer.from("001b21ff3408525400123456080045000190a1b240004006f00a0a000005c6330a01c35001bb5eafc0d1000000005018faf0e4a10000", "hex");

/**
 * An EVE alert as a sensor with `payload: yes`, `payload-printable: yes` and `packet: yes` writes
 * it (about 1.9 KB): the HTTP request as base64 and printable text and the packet as base64. One
 * request in 100 carries a card number in its body (which masking must find in all three).
 */
export function eveAlertWithPayload(now: number): string {
  const line = eveAlert(now);
  const n = serial;
  const body = n % 100 === 0 ? "card=4111111111111111&exp=12%2F29&amount=19.90" : `q=search+${n}&page=${n % 40}&session=a9f3c2e1b7d4`;
  const http = `POST /checkout HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nCookie: sid=7f3e9a1c2b4d6e8f\r\n\r\n${body}`;
  const extra = JSON.stringify({
    payload: Buffer.from(http).toString("base64"),
    payload_printable: http,
    stream: 0,
    packet: Buffer.concat([PACKET_HEADER, Buffer.from(http)]).toString("base64"),
    packet_info: { linktype: 1 },
  });
  return `${line.slice(0, -1)},${extra.slice(1)}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** An sshd failure from one of 2,000 brute-forcing sources, as rsyslog writes it (RFC 3164, no year). */
export function sshFailure(now: number): string {
  const n = serial++;
  const src = `203.0.${(n % 2000) >> 8}.${(n % 2000) & 255}`;
  const d = new Date(now - (n % 2_000));
  // not toLocaleString: at ~20 µs a line it made the bench client compete with the server for the 2 cores
  const month = MONTHS[d.getUTCMonth()];
  const stamp = `${month} ${String(d.getUTCDate()).padStart(2, " ")} ${d.toISOString().slice(11, 19)}`;
  // pid and port vary independently, so every line is distinct (its fingerprint) as real ones are
  return `<38>${stamp} bastion sshd[${1000 + (n % 99_991)}]: Failed password for invalid user u${n % 3} from ${src} port ${1024 + (n % 64_000)} ssh2`;
}

/** One upload of `lines` lines made by `make`, newline-separated. */
export function upload(lines: number, make: (now: number) => string, now: number): string {
  return Array.from({ length: lines }, () => make(now)).join("\n");
}

/** A Suricata fast.log alert (no year, as Suricata writes it) over the same 500 signatures and sources as eveAlert. */
export function fastAlert(now: number): string {
  const n = serial++;
  const sig = SIGNATURES[(n * 7919) % SIGNATURES.length];
  const d = new Date(now - (n % 2_000));
  const iso = d.toISOString();
  // MM/DD-hh:mm:ss.micros; the microseconds carry the serial, so every line is distinct
  const stamp = `${iso.slice(5, 7)}/${iso.slice(8, 10)}-${iso.slice(11, 19)}.${String(n % 1_000_000).padStart(6, "0")}`;
  const src = `198.51.${(n >> 8) % 80}.${n & 255}`;
  return `${stamp}  [**] [1:${sig.sid}:3] ${sig.msg} [**] [Classification: ${sig.category}] [Priority: ${sig.sev}] {TCP} ${src}:${40_000 + (n % 20_000)} -> 10.0.0.5:443`;
}

/** A payment transaction (NDJSON) from 5,000 accounts and 2,000 addresses, every tenth declined, with its own id. */
export function transaction(now: number): string {
  const n = serial++;
  return JSON.stringify({
    id: `tx-${n}`,
    time: new Date(now - (n % 2_000)).toISOString(),
    account: `acct-${n % 5_000}`,
    card: `tok_${(n * 7) % 100_000}`,
    ip: `192.0.${(n % 2000) >> 8}.${(n % 2000) & 255}`,
    device: `dev-${n % 3_000}`,
    amount: ((n % 50_000) / 100).toFixed(2),
    currency: "EUR",
    merchant: `merchant-${n % 200}`,
    outcome: n % 10 === 0 ? "declined" : "approved",
  });
}

/** The formats the benches send: the ingest path, the line maker and the content type of each. */
export const FORMATS = {
  suricata: { path: "/api/v1/ingest/suricata", make: eveAlert, type: "text/plain" },
  fast: { path: "/api/v1/ingest/fast", make: fastAlert, type: "text/plain" },
  syslog: { path: "/api/v1/ingest/syslog", make: sshFailure, type: "text/plain" },
  transactions: { path: "/api/v1/ingest/transactions", make: transaction, type: "application/x-ndjson" },
} as const;
export type BenchFormat = keyof typeof FORMATS;
