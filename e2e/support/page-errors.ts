import type { Page } from "@playwright/test";

/** Page errors and console errors of a page, as lines ("pageerror: …", "console: …"): a test ends asserting there were none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}
