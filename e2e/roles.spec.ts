import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { bruteForceBurst, postEvents } from "./support/api";
import { createUser, seedAnalyst, signIn } from "./support/accounts";

let vigil: VigilServer;
let key = "";
test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil, "ana@bank.test"));
  await createUser(vigil, "vic@bank.test", "viewer");
});
test.afterAll(async () => {
  await vigil?.dispose();
});

const TITLE = "incident Brute-force logins from 198.51.100.99";

test("a viewer sees incidents but cannot acknowledge them, in the page or through the API", async ({ page, context, request }) => {
  await postEvents(request, vigil.url, key, bruteForceBurst("198.51.100.99"));
  await signIn(context, vigil.url, "vic@bank.test");
  await page.goto(vigil.url);
  const card = page.getByRole("listitem", { name: TITLE });
  await expect(card).toHaveAttribute("data-status", "open");
  await expect(card.getByRole("button", { name: /Acknowledge|Resolve/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  // the server is the one that refuses, whatever the page shows
  const id = await page.evaluate(async () => (await (await fetch("/api/v1/incidents?status=open")).json()).incidents[0].id);
  const status = await page.evaluate(async (incident) => (await fetch(`/api/v1/incidents/${incident}/ack`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status, id);
  expect(status).toBe(403);
  await page.goto(`${vigil.url}/admin`);
  await expect(page).toHaveURL(new RegExp(`${vigil.url}/?$`));
  await expect(card).toHaveAttribute("data-status", "open");
});

test("an analyst can acknowledge a security incident", async ({ page, context }) => {
  await signIn(context, vigil.url, "ana@bank.test");
  await page.goto(vigil.url);
  const card = page.getByRole("listitem", { name: TITLE });
  await card.getByRole("button", { name: "Acknowledge" }).click();
  await expect(card).toHaveAttribute("data-status", "acknowledged");
  await expect(card).toContainText("acknowledged by ana@bank.test");
});

test("nothing is readable without signing in", async ({ page, request }) => {
  await page.goto(vigil.url);
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await request.get(`${vigil.url}/api/v1/events`)).status()).toBe(401);
  expect((await request.get(`${vigil.url}/api/v1/incidents`)).status()).toBe(401);
});
