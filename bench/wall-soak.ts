// Wall-screen soak: the production server with the demo on a compressed clock (VIGIL_DEMO_TICK_MS=100),
// one signed-in Chromium tab on /?tv=1 for N minutes. Every minute it prints the tab's JS heap
// (CDP Runtime.getHeapUsage, as found and after a forced GC), its DOM node and listener counts,
// and the server's RSS and V8 heap in use (GET /metrics from loopback); at the end, the settled heap's change from the first minute to the last,
// the least-squares slope of the settled heap and of the server's RSS over the last half of the run
// (MB per hour: flat is near 0), and how many times the tab fetched the active incidents again
// (count repairs and resyncs).
// Usage: npx tsx bench/wall-soak.ts [--minutes 10] [--tick 100] [--no-build]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../e2e/chromium";
import { startVigil } from "../e2e/support/vigil";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild } from "../scripts/ensure-build.mjs";
import { flag } from "./support";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MINUTES = flag("minutes", 10);
const TICK_MS = Math.floor(flag("tick", 100));
const EMAIL = "wall@vigil.local";
const PASSWORD = "wall soak password";
const mb = (bytes: number) => (bytes / 1048576).toFixed(2);

/** Least-squares slope of ys (one a minute) in units per hour. */
function perHour(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return (num / den) * 60;
}

function serverRssMb(dataDir: string): string {
  // the server is the node process whose environment names this data directory
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, "utf8").includes(`VIGIL_DATA_DIR=${dataDir}\0`)) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) return (Number(m[1]) / 1024).toFixed(1);
    } catch {
      // gone or not ours
    }
  }
  return "?";
}

async function main() {
  if (!process.argv.includes("--no-build")) ensureBuild();
  const vigil = await startVigil({ demo: true, env: { VIGIL_DEMO_TICK_MS: String(TICK_MS) } });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    execFileSync(process.execPath, ["--import", "tsx", "server/cli.ts", "user", "create", "--email", EMAIL, "--role", "viewer"], {
      cwd: root,
      input: `${PASSWORD}\n`,
      env: { ...process.env, VIGIL_DATA_DIR: vigil.dataDir },
      stdio: ["pipe", "ignore", "inherit"],
    });
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const signed = await context.request.post(`${vigil.url}/api/auth/sign-in/email`, { data: { email: EMAIL, password: PASSWORD }, headers: { origin: vigil.url } });
    if (signed.status() !== 200) throw new Error(`sign-in answered ${signed.status()}`);
    const page = await context.newPage();
    let errors = 0;
    page.on("pageerror", () => errors++);
    page.on("console", (m) => void (m.type() === "error" && errors++));
    let refetches = 0;
    page.on("request", (r) => void (r.url().includes("/api/v1/incidents?status=active") && refetches++));
    await page.goto(`${vigil.url}/?tv=1`);
    await page.getByRole("status", { name: "last heard" }).filter({ hasText: /updated/ }).waitFor({ timeout: 30_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");

    console.log(`wall soak: ${MINUTES} min, demo tick ${TICK_MS} ms, ${vigil.url}/?tv=1`);
    console.log("minute  heap MB  settled MB  DOM nodes  listeners  server RSS MB  server heap MB  ext MB    db MB   open  shows");
    const settled: number[] = [];
    const rss: number[] = [];
    for (let minute = 0; minute <= MINUTES; minute++) {
      if (minute > 0) await new Promise((r) => setTimeout(r, 60_000));
      const found = await cdp.send("Runtime.getHeapUsage");
      await cdp.send("HeapProfiler.collectGarbage");
      const after = await cdp.send("Runtime.getHeapUsage");
      const dom = await cdp.send("Memory.getDOMCounters");
      const metrics = await (await fetch(`${vigil.url}/metrics`)).text().catch(() => "");
      const metric = (name: string) => {
        const m = new RegExp(`^${name} (\\S+)$`, "m").exec(metrics);
        return m ? Number(m[1]) : NaN;
      };
      const serverHeap = mb(metric("vigil_nodejs_heap_size_used_bytes"));
      // what else the server holds: V8's external memory, the database (SQLite's page cache fills up to 64 MiB of it), active incidents
      const open = [...metrics.matchAll(/^vigil_incidents_open\{[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      const serverMore = `${mb(metric("vigil_nodejs_external_memory_bytes")).padStart(7)}  ${mb(metric("vigil_database_size_bytes") + metric("vigil_database_wal_bytes")).padStart(7)}  ${String(open).padStart(5)}`;
      const heard = (await page.getByRole("status", { name: "last heard" }).textContent())?.replace(/\s+/g, " ").trim();
      settled.push(after.usedSize);
      const rssNow = serverRssMb(vigil.dataDir);
      rss.push(Number(rssNow));
      console.log(
        `${String(minute).padStart(6)}  ${mb(found.usedSize).padStart(7)}  ${mb(after.usedSize).padStart(10)}  ${String(dom.nodes).padStart(9)}  ${String(dom.jsEventListeners).padStart(9)}  ${rssNow.padStart(13)}  ${serverHeap.padStart(14)}  ${serverMore}  ${heard}`,
      );
    }
    const first = settled[1] ?? settled[0];
    const last = settled[settled.length - 1];
    const peak = Math.max(...settled.slice(1));
    console.log(
      `settled heap: minute 1 ${mb(first)} MB, minute ${MINUTES} ${mb(last)} MB (change ${(((last - first) / first) * 100).toFixed(1)} %), highest ${mb(peak)} MB; ${errors} console/page errors`,
    );
    const half = Math.floor(settled.length / 2);
    const rssKnown = rss.filter((r) => Number.isFinite(r));
    console.log(
      `last half (minutes ${half}–${MINUTES}): settled heap slope ${perHour(settled.slice(half).map((b) => b / 1048576)).toFixed(2)} MB/h; server RSS ${rssKnown[0]} → ${rssKnown.at(-1)} MB (highest ${Math.max(...rssKnown)}), slope ${perHour(rss.slice(half)).toFixed(1)} MB/h; tab fetched the active incidents ${refetches} times (the first load comes with the page)`,
    );
  } finally {
    await browser.close();
    await vigil.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
