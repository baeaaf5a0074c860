import fs from "node:fs";
import { chromium } from "@playwright/test";

/** Flags that let Chromium run headless as root on a closed network. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

export const NO_CHROMIUM_MESSAGE =
  "No Chromium found for the browser tests. Install one: `sudo apt-get install -y chromium` (Debian/Ubuntu), " +
  "or `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary.";

/**
 * The Chromium to drive: $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own
 * download. Throws with what to install when none is there.
 */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist. ${NO_CHROMIUM_MESSAGE}`);
  }
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (fs.existsSync(candidate)) return candidate;
  let own = "";
  try {
    own = chromium.executablePath();
  } catch {
    // Playwright has no browser of its own here
  }
  if (own && fs.existsSync(own)) return own;
  throw new Error(NO_CHROMIUM_MESSAGE);
}
