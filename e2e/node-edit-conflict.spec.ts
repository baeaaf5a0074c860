import { expect, test, type BrowserContext } from "@playwright/test";
import { pageErrors } from "./support/page-errors";
import { startVigil, type VigilServer } from "./support/vigil";
import { createUser, signIn } from "./support/accounts";

// Two nocs edit the same node's page: the second save, made on what was read before the first
// one, is refused (409) and the page says who changed the node and when, and loads their change
// instead of overwriting it.
let vigil: VigilServer;
let nodeId = 0;

test.beforeAll(async () => {
  vigil = await startVigil();
  await createUser(vigil, "nora@bank.test", "noc");
  await createUser(vigil, "nils@bank.test", "noc");
});
test.afterAll(async () => {
  await vigil?.dispose();
});

async function noc(browser: import("@playwright/test").Browser, email: string, width = 1440): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: 1000 } });
  await signIn(context, vigil.url, email);
  return context;
}

test("a save made on an old version shows who changed the node and when, and loads their change instead of overwriting it", async ({ browser }) => {
  const nora = await noc(browser, "nora@bank.test");
  const made = await nora.request.post(`${vigil.url}/api/v1/nodes`, {
    headers: { origin: vigil.url },
    data: { id: "branch-gw-7", checks: [{ type: "tcp", host: "127.0.0.1", port: 9, interval: "1h" }, { type: "push", id: "backup", interval: "1d" }] },
  });
  expect(made.status()).toBe(201);
  nodeId = (await made.json()).node.id;

  const noraPage = await nora.newPage();
  const errors = pageErrors(noraPage);
  await noraPage.goto(`${vigil.url}/nodes/${nodeId}`);
  const nils = await noc(browser, "nils@bank.test");
  const nilsPage = await nils.newPage();
  await nilsPage.goto(`${vigil.url}/nodes/${nodeId}`);

  // both read the node; Nils saves first
  const noraSettings = noraPage.getByRole("region", { name: "node settings" });
  await expect(noraSettings.getByLabel("Latency threshold (ms)")).toHaveValue("");
  const nilsSettings = nilsPage.getByRole("region", { name: "node settings" });
  await nilsSettings.getByLabel("Latency threshold (ms)").fill("300");
  await nilsSettings.getByRole("button", { name: "Save settings" }).click();
  await expect(nilsSettings.getByText("Saved.")).toBeVisible();

  // Nora's save, on what she read before, is refused and says who and when
  await noraSettings.getByLabel("Latency threshold (ms)").fill("900");
  await noraSettings.getByRole("button", { name: "Save settings" }).click();
  const notice = noraSettings.getByTestId("stale-notice");
  await expect(notice).toContainText("Not saved: this node was changed by someone else after you opened it.");
  await expect(notice).toContainText(/was changed by nils@bank\.test at 20\d\d-\d\d-\d\dT[\d:.]+Z since you read it/);
  await noraPage.screenshot({ path: test.info().outputPath("node-conflict-1440.png"), fullPage: true });
  // his change is kept; loading it shows his value, and her next save (on his version) goes through
  await notice.getByRole("button", { name: "Load their change" }).click();
  await expect(noraSettings.getByLabel("Latency threshold (ms)")).toHaveValue("300");
  await expect(notice).toHaveCount(0);
  await noraSettings.getByLabel("Latency threshold (ms)").fill("450");
  await noraSettings.getByRole("button", { name: "Save settings" }).click();
  await expect(noraSettings.getByText("Saved.")).toBeVisible();

  // a check edited on an old version: the checks section says so too
  await nilsPage.reload();
  await expect(nilsPage.getByRole("listitem").filter({ hasText: "backup" })).toBeVisible();
  // Nils's page keeps what it read (its own refetch could otherwise pick up Nora's change first)
  const read = await (await nils.request.get(`${vigil.url}/api/v1/nodes/${nodeId}`)).text();
  await nilsPage.route(`**/api/v1/nodes/${nodeId}`, (route) => (route.request().method() === "GET" ? route.fulfill({ status: 200, contentType: "application/json", body: read }) : route.continue()));
  await noraPage.getByRole("listitem").filter({ hasText: "backup" }).getByRole("button", { name: "Disable" }).click();
  await expect(noraPage.getByTestId("node-check").filter({ hasText: "backup" })).toContainText("disabled");
  await nilsPage.getByRole("listitem").filter({ hasText: "backup" }).getByRole("button", { name: "Remove…" }).click();
  await nilsPage.getByRole("button", { name: "Remove backup for good" }).click();
  await expect(nilsPage.getByRole("region", { name: "checks" }).getByTestId("stale-notice")).toContainText(/changed by nora@bank\.test at /);
  expect((await (await nora.request.get(`${vigil.url}/api/v1/nodes/${nodeId}`)).json()).definition.checks.map((c: { id: string }) => c.id)).toEqual(["tcp", "backup"]);
  // the browser logs the 409s themselves; nothing else went wrong
  expect(errors.filter((e) => !e.includes("status of 409"))).toEqual([]);
  await nora.close();
  await nils.close();
});
