import { expect, test, type Page } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { bruteForceBurst, postEvents } from "./support/api";

let vigil: VigilServer;
test.beforeAll(async () => {
  vigil = await startVigil();
});
test.afterAll(async () => {
  await vigil?.dispose();
});

async function openConsole(page: Page, actor: string) {
  await page.goto(vigil.url);
  await page.getByLabel("acting as").fill(actor);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
}

test("an acknowledgement in one browser shows in another, and survives a server restart", async ({ browser, request }) => {
  const analyst = await browser.newContext();
  const wallScreen = await browser.newContext();
  const a = await analyst.newPage();
  const b = await wallScreen.newPage();
  await openConsole(a, "ana");
  await openConsole(b, "wall");

  await postEvents(request, vigil.url, bruteForceBurst("203.0.113.77"));
  const title = "incident Brute-force logins from 203.0.113.77";
  const inA = a.getByRole("listitem", { name: title });
  const inB = b.getByRole("listitem", { name: title });
  await expect(inA).toHaveAttribute("data-status", "open");
  await expect(inB).toHaveAttribute("data-status", "open");

  await inA.getByRole("button", { name: "Acknowledge" }).click();
  await expect(inA).toContainText("acknowledged by ana");
  // the other browser learns it live, with no reload
  await expect(inB).toHaveAttribute("data-status", "acknowledged");
  await expect(inB).toContainText("acknowledged by ana");
  await expect(inB.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);

  await vigil.restart();
  // the open page follows the restarted server (new epoch: resync and refetch) without a reload
  await postEvents(request, vigil.url, [{ kind: "ids_alert", signature: "ET TEST after restart" }]);
  await expect(b.getByRole("region", { name: "security events" }).getByText("ET TEST after restart")).toBeVisible();
  await b.reload();
  await expect(b.getByRole("listitem", { name: title })).toContainText("acknowledged by ana");

  const list = await (await request.get(`${vigil.url}/api/v1/incidents?status=acknowledged`)).json();
  const [incident] = list.incidents;
  const detail = await (await request.get(`${vigil.url}/api/v1/incidents/${incident.id}`)).json();
  expect(detail.timeline.map((t: { action: string; actor: string }) => `${t.action}:${t.actor}`)).toEqual(["opened:vigil", "acknowledged:ana"]);
  await analyst.close();
  await wallScreen.close();
});

test("the second of two acknowledgements gets a conflict naming who won", async ({ page, request }) => {
  await postEvents(request, vigil.url, bruteForceBurst("203.0.113.88"));
  await openConsole(page, "bo");
  const card = page.getByRole("listitem", { name: "incident Brute-force logins from 203.0.113.88" });
  await expect(card).toBeVisible();
  const { incidents } = await (await request.get(`${vigil.url}/api/v1/incidents?status=open`)).json();
  const target = incidents.find((i: { entity: string }) => i.entity === "203.0.113.88");
  // someone else acknowledges through the API first
  const first = await request.post(`${vigil.url}/api/v1/incidents/${target.id}/ack`, { data: { actor: "cy", version: target.version } });
  expect(first.status()).toBe(200);
  const second = await request.post(`${vigil.url}/api/v1/incidents/${target.id}/ack`, { data: { actor: "dee", version: target.version } });
  expect(second.status()).toBe(409);
  expect((await second.json()).error.message).toMatch(/acknowledged by cy/);
  await expect(card).toContainText("acknowledged by cy");
  await card.getByRole("button", { name: "Resolve" }).click();
  await expect(card).toHaveCount(0);
});
