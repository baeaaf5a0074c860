// Security ingest benchmark (issue 9): sustained ingest over HTTP into the production server, every
// line stored (dedup, rollups, tallies) and run through every detection: Suricata EVE, fast.log,
// sshd syslog and payment transactions each alone, then EVE while 2,000 sources brute-force sshd at
// once (syslog lines in the same stream of uploads). Prints events/s per phase, the server's CPU
// (share, and CPU-seconds per 100,000 events: the figure that holds when other work shares the
// cores; the main thread's own share of it in parentheses, what bounds events/s) and RSS, and what
// the detections opened.
// Usage: npm run build && npx tsx bench/security-ingest.ts [--seconds 20] [--batch 4000] [--concurrency 3]
//        [--phases suricata,fast,syslog,transactions,mixed] (default: all, in that order)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../e2e/support/vigil";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild } from "../scripts/ensure-build.mjs";
import { benchKey, cpuSeconds, flag, startServer, stopServer } from "./support";
import { FORMATS, upload, type BenchFormat } from "./security-lines";

const SECONDS = flag("seconds", 20);
const BATCH = Math.floor(flag("batch", 4000));
const CONCURRENCY = Math.floor(flag("concurrency", 3));
const TARGET = 40_000;

const PHASES = (process.argv.includes("--phases") ? process.argv[process.argv.indexOf("--phases") + 1] : "suricata,fast,syslog,transactions,mixed").split(",");
const NAMES: Record<string, string> = {
  suricata: "EVE alerts only",
  fast: "fast.log alerts only",
  syslog: "sshd failures from 2,000 sources only",
  transactions: "payment transactions (NDJSON) only",
  mixed: "EVE alerts + 2,000 sources brute-forcing sshd",
};

/** CPU seconds (user + system) of a process's main thread alone (the event loop), from /proc. */
function mainThreadSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Upload {
  path: string;
  type: string;
  body: string;
  lines: number;
}

function uploadOf(format: BenchFormat, now: number): Upload {
  const spec = FORMATS[format];
  return { path: spec.path, type: spec.type, body: upload(BATCH, spec.make, now), lines: BATCH };
}

async function phase(name: string, url: string, key: string, make: (now: number) => Upload, pid: number) {
  let lines = 0;
  let accepted = 0;
  let rejected = 0;
  let duplicates = 0;
  const latencies: number[] = [];
  const cpu0 = cpuSeconds(pid);
  const main0 = mainThreadSeconds(pid);
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const { path: p, type, body, lines: n } = make(Date.now());
      const t = performance.now();
      const post = () => fetch(`${url}${p}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": type }, body });
      // a kept-alive connection the server closed while this worker waited (it idles up to an
      // upload's time between phases) resets (or breaks the pipe) on reuse before the request is read: sent again once
      // (a copy that had been stored would show as duplicates)
      const res = await post().catch((error: Error & { cause?: { code?: string } }) => {
        if (error.cause?.code !== "ECONNRESET" && error.cause?.code !== "EPIPE") throw error;
        return post();
      });
      const answer = (await res.json()) as { accepted: number; rejected_total: number; duplicates: number };
      if (res.status !== 202) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      latencies.push(performance.now() - t);
      lines += n;
      accepted += answer.accepted;
      rejected += answer.rejected_total;
      duplicates += answer.duplicates;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  // the event loop's own share (parse worker, checkpointer and GC helpers excluded): what bounds events/s
  const main = mainThreadSeconds(pid) - main0;
  latencies.sort((a, b) => a - b);
  const rate = accepted / secs;
  console.log(
    `${name}: ${accepted.toLocaleString("en")} events stored of ${lines.toLocaleString("en")} lines in ${secs.toFixed(1)} s = ${Math.round(rate).toLocaleString("en")} events/s ` +
      `(target ${TARGET.toLocaleString("en")}: ${rate >= TARGET ? "met" : "NOT met"}); rejected ${rejected}, duplicates ${duplicates}; upload p50 ${latencies[Math.floor(latencies.length / 2)].toFixed(0)} ms, ` +
      `p99 ${latencies[Math.floor(latencies.length * 0.99)].toFixed(0)} ms; server CPU ${(cpu / secs * 100).toFixed(0)} %, ` +
      `${((cpu / Math.max(1, accepted)) * 100_000).toFixed(2)} CPU-s per 100,000 events (main thread ${((main / Math.max(1, accepted)) * 100_000).toFixed(2)})`,
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
    for (const name of PHASES) {
      if (name === "mixed") {
        let turn = 0;
        await phase(NAMES.mixed, url, key, (now) => uploadOf(turn++ % 2 === 0 ? "suricata" : "syslog", now), pid);
      } else if (name in FORMATS) await phase(NAMES[name], url, key, (now) => uploadOf(name as BenchFormat, now), pid);
      else throw new Error(`--phases: unknown phase ${name}`);
    }
    const incidents = (await (await fetch(`${url}/api/v1/incidents?status=active&limit=1`, { headers: { authorization: `Bearer ${key}` } })).json()) as { total: number; counts?: unknown };
    console.log(`active incidents after every phase: ${incidents.total}`);
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
