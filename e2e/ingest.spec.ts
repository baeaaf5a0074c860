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
test.beforeEach(async ({ context }) => {
  await signIn(context, vigil.url, "ana@bank.test");
});
test.afterAll(async () => {
  await vigil?.dispose();
});

const auth = () => ({ authorization: `Bearer ${key}` });
const eventCount = async (request: import("@playwright/test").APIRequestContext) =>
  ((await (await request.get(`${vigil.url}/api/v1/events?limit=1000`, { headers: auth() })).json()) as { events: unknown[] }).events.length;

test("an event POSTed to /api/v1/events appears in the security pane without a reload", async ({ page, request }) => {
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  // base 36: a 13-digit Date.now() can pass the Luhn check and be masked as a card number (PAN masking)
  const signature = `ET TEST live delivery ${Date.now().toString(36)}`;
  const { status, body } = await postEvents(request, vigil.url, key, [{ kind: "ids_alert", severity: "high", src_ip: "198.51.100.23", signature }]);
  expect(status).toBe(202);
  expect(body).toEqual({ accepted: 1, rejected: [], rejected_total: 0 });
  const row = page.getByRole("region", { name: "security events" }).getByRole("listitem").filter({ hasText: signature });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("198.51.100.23");
});

test("a malformed POST gets 400 and changes no row", async ({ request }) => {
  const before = await eventCount(request);
  const broken = await request.post(`${vigil.url}/api/v1/events`, { data: Buffer.from('[{"kind":"ids_alert"'), headers: { "content-type": "application/json", ...auth() } });
  expect(broken.status()).toBe(400);
  expect(await broken.json()).toEqual({ error: { code: "invalid_json", message: expect.stringContaining("not valid JSON") } });
  const heartbeats = await request.post(`${vigil.url}/api/v1/heartbeats`, { data: Buffer.from("not json at all"), headers: { "content-type": "application/json", ...auth() } });
  expect(heartbeats.status()).toBe(400);
  const tooBig = await request.post(`${vigil.url}/api/v1/events`, { data: Buffer.from(JSON.stringify([{ kind: "anomaly", message: "x".repeat(6 * 1024 * 1024) }])), headers: { "content-type": "application/json", ...auth() } });
  expect(tooBig.status()).toBe(413);
  expect(await eventCount(request)).toBe(before);
  expect(((await (await request.get(`${vigil.url}/api/v1/nodes`, { headers: auth() })).json()) as { nodes: unknown[] }).nodes).toHaveLength(0);
});

test("a batch with invalid items stores the valid ones and names the rest by index", async ({ request }) => {
  const before = await eventCount(request);
  const { status, body } = await postEvents(request, vigil.url, key, [{ kind: "anomaly", message: "ok" }, { kind: "ids_alert", severity: "apocalyptic" }, "nope"]);
  expect(status).toBe(202);
  expect(body.accepted).toBe(1);
  expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2]);
  expect(body.rejected[0].error).toMatch(/^severity/);
  expect(await eventCount(request)).toBe(before + 1);
});

test("the list holds still while the reader has an event open, showing N new instead", async ({ page, request }) => {
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
  await postEvents(request, vigil.url, key, [{ kind: "ids_alert", signature: "ET TEST reading this one" }]);
  const list = page.getByRole("region", { name: "security events" });
  await list.getByRole("button", { name: /reading this one/ }).click();
  await expect(page.getByLabel("event detail")).toContainText("ET TEST reading this one");

  await postEvents(request, vigil.url, key, [{ kind: "ids_alert", signature: "ET TEST arrived later 1" }, { kind: "ids_alert", signature: "ET TEST arrived later 2" }]);
  await expect(page.getByRole("button", { name: "2 new" })).toBeVisible();
  await expect(list.getByText("ET TEST arrived later 1")).toHaveCount(0);
  await expect(list.getByRole("listitem").first()).toContainText("reading this one");

  await page.getByRole("button", { name: "2 new" }).click();
  await expect(list.getByRole("listitem").first()).toContainText("arrived later 2");
});
