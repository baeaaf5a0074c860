import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { bruteForceBurst, postEvents } from "./support/api";
import { seedAnalyst, signIn } from "./support/accounts";

// A group opened on the phone keeps its rows while a flood of newer incidents of another rule
// arrives, more than the live list holds (HELD_LIMIT, 300), and through the refetch that repairs the
// counts when someone else acts on an incident the page does not hold: the rows a person is looking
// at stay, and an incident is one tap to acknowledge. (The list used to drop them for the newer
// ones, and after a refetch the opened group read "0 of 100 shown" with nothing to tap.)

let vigil: VigilServer;
let key = "";
const SOURCES = Array.from({ length: 100 }, (_, i) => `198.51.100.${i + 1}`);
/** 320 scanners: an IDS scan signature opens one port_scan incident per source at once */
const SCANNERS = Array.from({ length: 320 }, (_, i) => `203.0.${113 + Math.floor(i / 250)}.${(i % 250) + 1}`);

test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil, "ana@bank.test"));
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("a group opened on a phone keeps its rows through a flood of newer incidents and a refetch, and one tap acknowledges", async ({ browser, request }) => {
  const posted = await postEvents(request, vigil.url, key, SOURCES.flatMap((ip) => bruteForceBurst(ip)));
  expect(posted.status).toBe(202);

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signIn(context, vigil.url, "ana@bank.test");
  const phone = await context.newPage();
  await phone.goto(vigil.url);
  await expect(phone.getByRole("status", { name: "connection" })).toHaveText("Live");
  const counts = phone.getByRole("region", { name: "Incidents" }).getByLabel("incident counts");
  await expect(counts).toContainText("100 open · 0 acknowledged");

  const group = phone.getByRole("listitem", { name: "incident group brute_force" });
  await group.getByRole("button").click();
  await expect(group.getByRole("button")).toHaveAttribute("aria-expanded", "true");
  const bruteForce = phone.locator("[aria-label='incident list'] > li[data-status=open][aria-label^='incident Brute-force']");
  await expect(bruteForce.first()).toBeVisible();
  await expect(phone.getByRole("listitem", { name: "more incidents" })).toHaveCount(0);
  const pageRequests: string[] = [];
  phone.on("request", (r) => r.url().includes("rule=brute_force") && pageRequests.push(r.url()));

  // the flood: 320 port_scan incidents, newer than every brute force one
  const time = Date.now();
  const scans = SCANNERS.map((ip) => ({ kind: "ids_alert", src_ip: ip, dst_ip: "10.0.0.5", signature: "ET SCAN Suspicious inbound to mySQL port 3306", time }));
  expect((await postEvents(request, vigil.url, key, scans)).status).toBe(202);
  // the page counts what the server counts (the same signature from many sources may open a
  // campaign incident beside them); the port_scan group's line sits below the opened group's rows
  const auth = { authorization: `Bearer ${key}` };
  const active = async (rule = "") => (await (await request.get(`${vigil.url}/api/v1/incidents?status=active&limit=1${rule}`, { headers: auth })).json()).total as number;
  await expect.poll(() => active("&rule=port_scan")).toBe(320);
  await expect(counts).toContainText(`${await active()} open · 0 acknowledged`);
  await phone.screenshot({ path: test.info().outputPath("phone-open-group-after-flood.png") });
  // kept, not dropped and fetched again
  await expect(bruteForce.first()).toBeVisible();
  expect(pageRequests).toEqual([]);

  // someone else acknowledges the oldest port_scan incident, which the page does not hold: its
  // delta cannot be counted exactly, so the page fetches the active set again
  const oldest = (await (await request.get(`${vigil.url}/api/v1/incidents?status=open&rule=port_scan&limit=500`, { headers: auth })).json()).incidents.at(-1);
  expect((await request.post(`${vigil.url}/api/v1/incidents/${oldest.id}/ack`, { data: { version: oldest.version }, headers: auth })).status()).toBe(200);
  await expect(counts).toContainText(" · 1 acknowledged");

  // the opened group still shows its rows, and its first incident is one tap to acknowledge
  await expect(group.getByRole("button")).toHaveAttribute("aria-expanded", "true");
  await expect(bruteForce.first()).toBeVisible();
  const title = (await bruteForce.first().getAttribute("aria-label"))!;
  const card = phone.getByRole("listitem", { name: title, exact: true });
  await card.getByRole("button", { name: "Acknowledge" }).click();
  await expect(card).toHaveAttribute("data-status", "acknowledged");
  await expect(counts).toContainText(" · 2 acknowledged");
  await expect(group).toContainText("99 open");
  await phone.screenshot({ path: test.info().outputPath("phone-open-group-acknowledged.png") });
  await context.close();
});
