import { expect, test } from "@playwright/test";
import { pageErrors } from "./support/page-errors";
import { startVigil, type VigilServer } from "./support/vigil";
import { createUser, signIn } from "./support/accounts";

// The node page's settings set each check's interval on its own (one field per check), not every
// check's at once; a bad one gets the server's word under its own field. Clean at 1440 and 390 px.
let vigil: VigilServer;

test.beforeAll(async () => {
  vigil = await startVigil();
  await createUser(vigil, "nora@bank.test", "noc");
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("a noc sets each check's interval on its own in the node's settings, at 1440 and 390 px", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await signIn(context, vigil.url, "nora@bank.test");
  const made = await context.request.post(`${vigil.url}/api/v1/nodes`, {
    headers: { origin: vigil.url },
    data: { id: "branch-gw-8", checks: [{ type: "tcp", host: "127.0.0.1", port: 9, interval: "1h" }, { type: "push", id: "nightly-backup", interval: "1d" }, { type: "icmp", host: "127.0.0.1", interval: "2h" }] },
  });
  expect(made.status()).toBe(201);
  const nodeId = (await made.json()).node.id;
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${vigil.url}/nodes/${nodeId}`);

  const settings = page.getByRole("region", { name: "node settings" });
  const intervals = settings.getByRole("group", { name: "check intervals" });
  await expect(intervals.getByLabel("tcp")).toHaveValue("1h");
  await expect(intervals.getByLabel("nightly-backup")).toHaveValue("1d");
  await expect(intervals.getByLabel("icmp")).toHaveValue("2h");
  // no field sets every check's interval at once any more
  await expect(settings.getByLabel("Check interval (e.g. 30s, 5m)")).toHaveCount(0);

  await intervals.getByLabel("tcp").fill("30s");
  await intervals.getByLabel("icmp").fill("30");
  await settings.getByRole("button", { name: "Save settings" }).click();
  // the server's word, under the field of the check it names; nothing was saved
  await expect(intervals.getByLabel("icmp")).toHaveAccessibleDescription(/invalid duration "30"/);
  await expect(intervals.getByLabel("tcp")).not.toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: test.info().outputPath("node-intervals-problem-1440.png"), fullPage: true });
  await intervals.getByLabel("icmp").fill("5m");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByText("Saved.")).toBeVisible();

  // each check runs at its own interval; the one left alone kept its own
  const check = (name: string) => page.getByTestId("node-check").filter({ hasText: name });
  await expect(check("127.0.0.1:9").first()).toContainText("every 30s");
  await expect(check("nightly-backup")).toContainText("every 1440m");
  await expect(page.getByTestId("node-check").nth(2)).toContainText("every 5m");
  await page.reload();
  await expect(intervals.getByLabel("tcp")).toHaveValue("30s");
  await expect(intervals.getByLabel("icmp")).toHaveValue("5m");
  await settings.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath("node-intervals-1440.png"), fullPage: true });

  // a phone: the fields stack, nothing overflows sideways
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(intervals.getByLabel("nightly-backup")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  const box = (await intervals.getByLabel("nightly-backup").boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath("node-intervals-390.png"), fullPage: true });
  // the browser logs the 400 itself
  expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
  await context.close();
});
