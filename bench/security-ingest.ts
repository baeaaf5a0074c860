// Security ingest benchmark (issue 9): sustained Suricata EVE ingest over HTTP into the production
// server, every line stored (dedup, rollups, tallies) and run through every detection, then the
// same while 2,000 sources brute-force sshd at once (syslog lines in the same stream of uploads).
// Prints events/s per phase, the server's CPU and RSS, and what the detections opened.
// Usage: npm run build && npx tsx bench/security-ingest.ts [--seconds 20] [--batch 4000] [--concurrency 3]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../e2e/support/vigil";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild } from "../scripts/ensure-build.mjs";
import { benchKey, cpuSeconds, flag, startServer, stopServer } from "./support";

const SECONDS = flag("seconds", 20);
const BATCH = Math.floor(flag("batch", 4000));
const CONCURRENCY = Math.floor(flag("concurrency", 3));
const TARGET = 40_000;

const SIGNATURES = Array.from({ length: 500 }, (_, i) => ({
  sid: 2_000_000 + i,
  msg: `ET ${["SCAN", "EXPLOIT", "POLICY", "TROJAN", "WEB_SERVER"][i % 5]} bench signature ${i}`,
  sev: i % 50 === 0 ? 1 : 2 + (i % 2),
  category: ["Attempted Information Leak", "Web Application Attack", "Potential Corporate Privacy Violation", "A Network Trojan was detected"][i % 4],
}));

let serial = 0;
/** One realistic EVE alert line (about 650 bytes), unique by flow_id, stamped within the last 2 s as a live sensor writes. */
function eveAlert(now: number): string {
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

/** An sshd failure from one of 2,000 brute-forcing sources, as rsyslog writes it (RFC 3164, no year). */
function sshFailure(now: number): string {
  const n = serial++;
  const src = `203.0.${(n % 2000) >> 8}.${(n % 2000) & 255}`;
  const d = new Date(now - (n % 2_000));
  const month = d.toLocaleString("en", { month: "short", timeZone: "UTC" });
  const stamp = `${month} ${String(d.getUTCDate()).padStart(2, " ")} ${d.toISOString().slice(11, 19)}`;
  // pid and port vary independently, so every line is distinct (its fingerprint) as real ones are
  return `<38>${stamp} bastion sshd[${1000 + (n % 99_991)}]: Failed password for invalid user u${n % 3} from ${src} port ${1024 + (n % 64_000)} ssh2`;
}

async function phase(name: string, url: string, key: string, make: (now: number) => { path: string; body: string; lines: number }, pid: number) {
  let lines = 0;
  let accepted = 0;
  let rejected = 0;
  const latencies: number[] = [];
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const { path: p, body, lines: n } = make(Date.now());
      const t = performance.now();
      const res = await fetch(`${url}${p}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/plain" }, body });
      const answer = (await res.json()) as { accepted: number; rejected_total: number; duplicates: number };
      if (res.status !== 202) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      latencies.push(performance.now() - t);
      lines += n;
      accepted += answer.accepted;
      rejected += answer.rejected_total;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  latencies.sort((a, b) => a - b);
  const rate = accepted / secs;
  console.log(
    `${name}: ${accepted.toLocaleString("en")} events stored of ${lines.toLocaleString("en")} lines in ${secs.toFixed(1)} s = ${Math.round(rate).toLocaleString("en")} events/s ` +
      `(target ${TARGET.toLocaleString("en")}: ${rate >= TARGET ? "met" : "NOT met"}); rejected ${rejected}; upload p50 ${latencies[Math.floor(latencies.length / 2)].toFixed(0)} ms, ` +
      `p99 ${latencies[Math.floor(latencies.length * 0.99)].toFixed(0)} ms; server CPU ${(cpu / secs * 100).toFixed(0)} %`,
  );
  return rate;
}

async function main() {
  ensureBuild();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vigil-bench-security-"));
  const key = benchKey(dataDir, "ingest,read");
  const port = await freePort();
  const server = startServer(port, dataDir);
  const url = `http://127.0.0.1:${port}`;
  try {
    await server.ready;
    const pid = server.child.pid!;
    console.log(`batches of ${BATCH} lines, ${CONCURRENCY} uploads in flight, ${SECONDS} s per phase`);
    await phase("EVE alerts only", url, key, (now) => ({ path: "/api/v1/ingest/suricata", body: Array.from({ length: BATCH }, () => eveAlert(now)).join("\n"), lines: BATCH }), pid);
    let turn = 0;
    await phase(
      "EVE alerts + 2,000 sources brute-forcing sshd",
      url,
      key,
      (now) =>
        turn++ % 2 === 0
          ? { path: "/api/v1/ingest/suricata", body: Array.from({ length: BATCH }, () => eveAlert(now)).join("\n"), lines: BATCH }
          : { path: "/api/v1/ingest/syslog", body: Array.from({ length: BATCH }, () => sshFailure(now)).join("\n"), lines: BATCH },
      pid,
    );
    const incidents = (await (await fetch(`${url}/api/v1/incidents?status=active&limit=1`, { headers: { authorization: `Bearer ${key}` } })).json()) as { total: number; counts?: unknown };
    console.log(`active incidents after both phases: ${incidents.total}`);
    const rss = Number((await import("node:fs")).readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
    console.log(`server RSS at the end: ${rss.toFixed(0)} MB`);
  } catch (error) {
    console.error(server.log.join("\n"));
    throw error;
  } finally {
    await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
