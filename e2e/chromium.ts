import fs from "node:fs";

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

/**
 * The Chromium to drive: $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own
 * download. Throws with what to install when none is there.
 */
export async function findChromium(): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
  }
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (fs.existsSync(candidate)) return candidate;
  try {
    const { chromium } = await import("@playwright/test");
    const own = chromium.executablePath();
    if (own && fs.existsSync(own)) return own;
  } catch {
    // fall through to the message below
  }
  throw new Error(
    "No Chromium found for the browser tests. Install one: `sudo apt-get install -y chromium` (Debian/Ubuntu), " +
      "or `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary.",
  );
}
