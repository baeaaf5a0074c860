import { expect, test, type Browser, type Page } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { bruteForceBurst, postEvents } from "./support/api";
import { createKey, createUser, seedAnalyst, signIn } from "./support/accounts";

let vigil: VigilServer;
let key = "";
test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil, "ana@bank.test"));
  await createUser(vigil, "wall@bank.test", "viewer");
  await createUser(vigil, "cy@bank.test", "analyst");
});
test.afterAll(async () => {
  await vigil?.dispose();
});

async function openConsole(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  await signIn(context, vigil.url, email);
  const page = await context.newPage();
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  return page;
}

test("an acknowledgement in one browser shows in another, and survives a server restart", async ({ browser, request }) => {
  const a = await openConsole(browser, "ana@bank.test");
  const b = await openConsole(browser, "wall@bank.test");

  await postEvents(request, vigil.url, key, bruteForceBurst("203.0.113.77"));
  const title = "incident Brute-force logins from 203.0.113.77";
  const inA = a.getByRole("listitem", { name: title });
  const inB = b.getByRole("listitem", { name: title });
  await expect(inA).toHaveAttribute("data-status", "open");
  await expect(inB).toHaveAttribute("data-status", "open");

  await inA.getByRole("button", { name: "Acknowledge" }).click();
  await expect(inA).toContainText("acknowledged by ana@bank.test");
  // the other browser learns it live, with no reload
  await expect(inB).toHaveAttribute("data-status", "acknowledged");
  await expect(inB).toContainText("acknowledged by ana@bank.test");

  await vigil.restart();
  // the open page follows the restarted server (new epoch: resync and refetch) without a reload
  await postEvents(request, vigil.url, key, [{ kind: "ids_alert", signature: "ET TEST after restart" }]);
  await expect(b.getByRole("region", { name: "security events" }).getByText("ET TEST after restart")).toBeVisible();
  await b.reload();
  const after = b.getByRole("listitem", { name: title });
  await expect(after).toContainText("acknowledged by ana@bank.test");
  // its timeline, opened from the title, names who acknowledged
  await after.getByRole("button", { name: "Brute-force logins from 203.0.113.77" }).click();
  await expect(after.getByRole("list", { name: "incident timeline" })).toContainText("acknowledged by ana@bank.test");

  const auth = { authorization: `Bearer ${key}` };
  const list = await (await request.get(`${vigil.url}/api/v1/incidents?status=acknowledged`, { headers: auth })).json();
  const detail = await (await request.get(`${vigil.url}/api/v1/incidents/${list.incidents[0].id}`, { headers: auth })).json();
  expect(detail.timeline.map((t: { action: string; actor: string }) => `${t.action}:${t.actor}`)).toEqual(["opened:vigil", "acknowledged:ana@bank.test"]);
  await a.context().close();
  await b.context().close();
});

test("the second of two acknowledgements gets a conflict naming who won", async ({ browser, request }) => {
  await postEvents(request, vigil.url, key, bruteForceBurst("203.0.113.88"));
  const page = await openConsole(browser, "ana@bank.test");
  const card = page.getByRole("listitem", { name: "incident Brute-force logins from 203.0.113.88" });
  await expect(card).toBeVisible();
  const cyKey = await createKey(vigil, "cy@bank.test", "read,act");
  const { incidents } = await (await request.get(`${vigil.url}/api/v1/incidents?status=open`, { headers: { authorization: `Bearer ${key}` } })).json();
  const target = incidents.find((i: { entity: string }) => i.entity === "unknown:203.0.113.88");
  // someone else acknowledges first, through the API
  const first = await request.post(`${vigil.url}/api/v1/incidents/${target.id}/ack`, { data: { version: target.version }, headers: { authorization: `Bearer ${cyKey}` } });
  expect(first.status()).toBe(200);
  const second = await request.post(`${vigil.url}/api/v1/incidents/${target.id}/ack`, { data: { version: target.version }, headers: { authorization: `Bearer ${key}` } });
  expect(second.status()).toBe(409);
  expect((await second.json()).error.message).toMatch(/acknowledged by key:e2e-read,act/);
  await expect(card).toContainText("acknowledged by key:e2e-read,act");
  await card.getByRole("button", { name: "Resolve" }).click();
  await expect(card).toHaveCount(0);
  await page.context().close();
});
