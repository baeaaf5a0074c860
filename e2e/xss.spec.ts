import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { postEvents } from "./support/api";
import { seedAnalyst, signIn } from "./support/accounts";

let vigil: VigilServer;
let key = "";
test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil));
});
test.afterAll(async () => {
  await vigil?.dispose();
});

const HOOK = "window.__vigil_xss = (window.__vigil_xss || 0) + 1";
const CORPUS = [
  `<script>${HOOK}</script>`,
  `<img src=x onerror="${HOOK}">`,
  `<svg/onload=${HOOK}>`,
  `javascript:${HOOK}`,
  `"><iframe src="javascript:${HOOK}"></iframe>`,
  `<a href="javascript:${HOOK}">click me</a>`,
  `{{constructor.constructor('${HOOK}')()}}`,
  `</textarea><script>${HOOK}</script>`,
];
const LONG = "A".repeat(8000);

test("attacker-controlled text in events is shown as text: nothing runs and the page stays usable", async ({ page, context, request }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  const events = CORPUS.map((payload, i) => ({
    kind: "ids_alert",
    severity: "high",
    src_ip: `198.51.100.${i + 1}`,
    signature: payload,
    message: payload,
    user: payload.slice(0, 256),
    attributes: { url: `javascript:${HOOK}`, html: payload, nested: { payload } },
  }));
  events.push({ kind: "ids_alert", severity: "low", src_ip: "198.51.100.200", signature: LONG.slice(0, 1024), message: LONG, user: LONG.slice(0, 256), attributes: { url: LONG, html: "", nested: { payload: LONG } } });
  const { body } = await postEvents(request, vigil.url, key, events);
  expect(body.accepted).toBe(events.length);

  await signIn(context, vigil.url, "ana@bank.test");
  const response = await page.goto(vigil.url);
  const csp = response!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response!.headers()["x-content-type-options"]).toBe("nosniff");

  const list = page.getByRole("region", { name: "security events" });
  for (const payload of CORPUS) await expect(list.getByText(payload, { exact: true }).first()).toBeVisible();
  // open each event's detail, where every field and attribute is printed
  for (const payload of [...CORPUS, LONG.slice(0, 1024)]) {
    await list.getByRole("button").filter({ hasText: payload.slice(0, 60) }).first().click();
    await expect(page.getByLabel("event detail")).toBeVisible();
    await page.getByRole("button", { name: "Close" }).click();
  }
  expect(await page.evaluate(() => (window as unknown as { __vigil_xss?: number }).__vigil_xss ?? 0)).toBe(0);
  expect(dialogs).toBe(0);
  expect(await page.locator("iframe, img[src=x], svg[onload]").count()).toBe(0);
  expect(await page.locator("a[href^='javascript:']").count()).toBe(0);
  expect(violations).toEqual([]);

  // still usable: nothing overflows the viewport, and the console still reacts
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
  await postEvents(request, vigil.url, key, [{ kind: "anomaly", signature: "ET TEST still alive" }]);
  await expect(list.getByText("ET TEST still alive")).toBeVisible();
});
