import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { postLog, sshdFailures } from "./support/api";
import { seedAnalyst, signIn } from "./support/accounts";

let vigil: VigilServer;
let key = "";
test.beforeAll(async () => {
  vigil = await startVigil();
  ({ key } = await seedAnalyst(vigil, "ana@bank.test"));
});
test.afterAll(async () => {
  await vigil?.dispose();
});

test("a raw sshd brute force posted as syslog opens one explained incident live", async ({ browser, request }) => {
  const context = await browser.newContext();
  await signIn(context, vigil.url, "ana@bank.test");
  const page = await context.newPage();
  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");

  // one body, sent twice below: its stamps are made once (a second regeneration could cross a second)
  const log = sshdFailures("203.0.113.50", 12);
  const sent = await postLog(request, vigil.url, key, "syslog", log);
  expect(sent).toMatchObject({ status: 202, body: { accepted: 12, skipped: 0, duplicates: 0, rejected_total: 0 } });

  const incident = page.getByRole("listitem", { name: "incident Brute-force logins from 203.0.113.50 (sshd)" });
  await expect(incident).toBeVisible();
  await expect(incident).toContainText("12 failed logins for 1 account from 203.0.113.50 (sshd)");
  await expect(incident).toContainText("threshold 8 in 120 s");
  await expect(incident.getByRole("link", { name: "T1110.001" })).toHaveAttribute("href", "https://attack.mitre.org/techniques/T1110/001/");
  await expect(incident).toContainText("×12");

  // the same upload again stores nothing and the incident does not grow
  const again = await postLog(request, vigil.url, key, "syslog", log);
  expect(again.body).toMatchObject({ accepted: 0, duplicates: 12 });
  await expect(incident).toContainText("×12");
  await context.close();
});

test("hostile and malformed uploads get reasons, never a crash or a half-stored line", async ({ request }) => {
  const auth = { authorization: `Bearer ${key}` };
  const before = (await (await request.get(`${vigil.url}/api/v1/events?limit=1`, { headers: auth })).json()).total;
  const corpus = Buffer.concat([
    Buffer.from('{"timestamp":"2026-11-21T10:00:00Z","event_type":"alert","src_ip":"1.2.3.4"\n'), // truncated JSON
    Buffer.from([0x00, 0xff, 0xfe, 0x0a]), // binary, invalid UTF-8
    Buffer.from(`${"A".repeat(1024 * 1024)}\n`), // a 1 MB line
    Buffer.from('{"timestamp":12,"event_type":["alert"]}\n'), // wrong types
    Buffer.from("[1,2,3]\n"),
  ]);
  const eve = await postLog(request, vigil.url, key, "suricata", corpus, "application/x-ndjson");
  expect(eve.status).toBe(202);
  expect(eve.body).toMatchObject({ accepted: 0, rejected_total: 5 });
  expect(eve.body.rejected.map((r: { line: number }) => r.line)).toEqual([1, 2, 3, 4, 5]);
  for (const r of eve.body.rejected) expect(r.reason.length).toBeGreaterThan(5);

  const wrongType = await request.post(`${vigil.url}/api/v1/ingest/fast`, { data: "x", headers: { ...auth, "content-type": "application/json" } });
  expect(wrongType.status()).toBe(415);
  expect((await wrongType.json()).error.code).toBe("unsupported_media_type");

  const after = (await (await request.get(`${vigil.url}/api/v1/events?limit=1`, { headers: auth })).json()).total;
  expect(after).toBe(before);
  expect((await request.get(`${vigil.url}/healthz`)).status()).toBe(200);
});
