// npm run screenshot: starts Vigil with the demo fleet on a fresh data directory, lets it run
// until incidents exist, acknowledges one, and saves docs/screenshot.png (wide) and
// docs/screenshot-phone.png (narrow).
import path from "node:path";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../e2e/chromium";
import { startVigil } from "../e2e/support/vigil";

const root = path.resolve(import.meta.dirname, "..");

async function main() {
  // @ts-expect-error plain ESM helper shared with `npm start`
  const { ensureBuild } = await import("./ensure-build.mjs");
  ensureBuild();
  const vigil = await startVigil({ demo: true, env: { VIGIL_DEMO_TICK_MS: "250" } });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const api = async (p: string, init?: RequestInit) => (await fetch(vigil.url + p, init)).json();
    // the demo stages a brute-force burst at tick 15 and an outage at tick 40
    for (let i = 0; i < 120; i++) {
      const { incidents } = await api("/api/v1/incidents?status=all");
      if (incidents.some((x: { rule: string }) => x.rule === "node_down") && incidents.some((x: { rule: string }) => x.rule === "brute_force")) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const { incidents } = await api("/api/v1/incidents?status=open");
    const brute = incidents.find((x: { rule: string }) => x.rule === "brute_force");
    if (brute) await api(`/api/v1/incidents/${brute.id}/ack`, { method: "POST", body: JSON.stringify({ actor: "ana", note: "blocking at the edge" }) });

    const wide = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await wide.goto(vigil.url);
    await wide.getByRole("status", { name: "connection" }).filter({ hasText: "Live" }).waitFor();
    await wide.screenshot({ path: path.join(root, "docs", "screenshot.png"), fullPage: true });

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.goto(vigil.url);
    await phone.getByRole("status", { name: "connection" }).filter({ hasText: "Live" }).waitFor();
    await phone.screenshot({ path: path.join(root, "docs", "screenshot-phone.png") });
    console.log("wrote docs/screenshot.png and docs/screenshot-phone.png");
  } finally {
    await browser.close();
    await vigil.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
