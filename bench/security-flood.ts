// The console under a security flood, traced: the production server, one signed-in Chromium page
// (wide, or --phone on the security tab at 390 px), RATE events/s posted for SECONDS while Chromium's
// tracing records the page's main thread. Prints the main thread's CPU time (task, script, layout,
// style) and every task's wall-clock and CPU time: on a shared machine a task's wall time is
// inflated by waiting for a core, its CPU time is what the page itself spent. The heaviest tasks
// are listed with what they ran (function calls by script position, layout, style, GC).
// Only 127.0.0.1 is spoken to.
// Usage: npx tsx bench/security-flood.ts [--seconds 20] [--rate 5000] [--signatures 120] [--sources 3000] [--phone] [--no-build]
import { chromium, type CDPSession } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../e2e/chromium";
import { startVigil } from "../e2e/support/vigil";
import { seedAnalyst, signIn } from "../e2e/support/accounts";
// @ts-expect-error plain ESM helper shared with `npm start`
import { ensureBuild } from "../scripts/ensure-build.mjs";
import { flag } from "./support";

const SECONDS = flag("seconds", 20);
const RATE = flag("rate", 5000);
const SIGNATURES = Math.floor(flag("signatures", 120));
const SOURCES = Math.floor(flag("sources", 3000));
const PHONE = process.argv.includes("--phone");
const SEVERITIES = ["low", "medium", "high", "info", "critical"];
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { url?: string; lineNumber?: number; columnNumber?: number; functionName?: string } };
}

/** Posts RATE events/s as a batch every 100 ms (one request in flight at most 4 at a time) until stopped. */
function flood(url: string, key: string) {
  let running = true;
  let sent = 0;
  let inFlight = 0;
  const loop = (async () => {
    const per = Math.round(RATE / 10);
    for (let n = 0; running; n++) {
      const due = Date.now() + 100;
      if (inFlight < 4) {
        inFlight++;
        const items = Array.from({ length: per }, (_, i) => ({
          kind: "ids_alert",
          severity: SEVERITIES[(n + i) % SEVERITIES.length],
          src_ip: ip(300_000 + ((n * per + i) % SOURCES)),
          signature: `ET FLOOD signature ${(i * 7 + n) % SIGNATURES}`,
          time: Date.now(),
        }));
        void fetch(`${url}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(items) })
          .then((r) => r.json())
          .then((b: { accepted?: number }) => void (sent += b.accepted ?? 0))
          .catch(() => {})
          .finally(() => inFlight--);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
  })();
  return { stop: async () => ((running = false), await loop, sent) };
}

async function cpuMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value * 1000]));
}

async function main() {
  if (!process.argv.includes("--no-build")) ensureBuild();
  const vigil = await startVigil();
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const { email, key } = await seedAnalyst(vigil);
    const viewport = PHONE ? { width: 390, height: 844 } : { width: 1920, height: 1080 };
    const context = await browser.newContext(PHONE ? { viewport, isMobile: true, hasTouch: true } : { viewport });
    await signIn(context, vigil.url, email);
    const page = await context.newPage();
    await page.goto(vigil.url);
    await page.getByRole("status", { name: "connection" }).filter({ hasText: "Live" }).waitFor({ timeout: 120_000 });
    if (PHONE) await page.getByRole("button", { name: "security", exact: true }).click();
    const cdp = await context.newCDPSession(page);
    // durations in the thread's CPU time, not wall-clock time
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" } as never);
    const before = await cpuMetrics(cdp);
    const events: TraceEvent[] = [];
    cdp.on("Tracing.dataCollected", (d) => void events.push(...(d.value as unknown as TraceEvent[])));
    const complete = new Promise<void>((r) => cdp.once("Tracing.tracingComplete", () => r()));
    await cdp.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute", transferMode: "ReportEvents" } as never);
    const driver = flood(vigil.url, key);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const accepted = await driver.stop();
    await cdp.send("Tracing.end");
    await complete;
    const after = await cpuMetrics(cdp);
    const storm = await page.getByRole("region", { name: "event storm" }).isVisible();
    const d = (name: string) => after[name] - before[name];
    console.log(`flood: ${accepted.toLocaleString("en")} events accepted in ${SECONDS} s (${Math.round(accepted / SECONDS).toLocaleString("en")}/s asked ${RATE}); storm summary shown: ${storm}`);
    console.log(`main thread CPU over ${SECONDS} s: tasks ${d("TaskDuration").toFixed(0)} ms (${(d("TaskDuration") / SECONDS / 10).toFixed(1)} % of a core), script ${d("ScriptDuration").toFixed(0)}, layout ${d("LayoutDuration").toFixed(0)}, style ${d("RecalcStyleDuration").toFixed(0)}`);

    // the page's main thread: the renderer's main thread with the most work
    const threads = events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
    const work = (t: TraceEvent) => events.filter((e) => e.pid === t.pid && e.tid === t.tid && e.name === "RunTask").reduce((n, e) => n + (e.tdur ?? 0), 0);
    const main = threads.sort((a, b) => work(b) - work(a))[0];
    const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X");
    const tasks = mine.filter((e) => e.name === "RunTask");
    const over = (ms: number, f: "dur" | "tdur") => tasks.filter((t) => (t[f] ?? 0) > ms * 1000).length;
    const longest = (f: "dur" | "tdur") => Math.max(0, ...tasks.map((t) => t[f] ?? 0)) / 1000;
    console.log(`tasks: ${tasks.length}; wall-clock > 50 / 100 / 200 ms: ${over(50, "dur")} / ${over(100, "dur")} / ${over(200, "dur")}, longest ${longest("dur").toFixed(0)} ms`);
    console.log(`       CPU time   > 50 / 100 / 200 ms: ${over(50, "tdur")} / ${over(100, "tdur")} / ${over(200, "tdur")}, longest ${longest("tdur").toFixed(0)} ms`);
    const KINDS = new Set(["FunctionCall", "Layout", "UpdateLayoutTree", "ParseHTML", "EvaluateScript", "MinorGC", "MajorGC", "Paint", "PrePaint", "HitTest"]);
    console.log("heaviest tasks by CPU time, with what ran inside (ms, CPU):");
    for (const t of tasks.sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0)).slice(0, 6)) {
      const inside = new Map<string, number>();
      for (const e of mine) {
        if (!KINDS.has(e.name) || e.ts < t.ts || e.ts + (e.dur ?? 0) > t.ts + (t.dur ?? 0)) continue;
        const what = e.name === "FunctionCall" ? `${e.args?.data?.functionName || "function"} ${String(e.args?.data?.url ?? "").replace(/^.*\//, "")}:${e.args?.data?.lineNumber}:${e.args?.data?.columnNumber}` : e.name;
        inside.set(what, (inside.get(what) ?? 0) + (e.tdur ?? e.dur ?? 0));
      }
      const parts = [...inside].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`);
      console.log(`  wall ${((t.dur ?? 0) / 1000).toFixed(0)}, CPU ${((t.tdur ?? 0) / 1000).toFixed(0)}: ${parts.join(" | ")}`);
    }
  } finally {
    await browser.close();
    await vigil.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
