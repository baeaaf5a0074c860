import path from "node:path";
import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { createUser, PASSWORD } from "./support/accounts";

const fixtures = path.join(import.meta.dirname, "fixtures");
let vigil: VigilServer;
test.beforeAll(async () => {
  vigil = await startVigil({ env: { TLS_CERT: path.join(fixtures, "tls-test-cert.pem"), TLS_KEY: path.join(fixtures, "tls-test-key.pem") } });
  await createUser(vigil, "wall@bank.test", "viewer");
});
test.afterAll(async () => {
  await vigil?.dispose();
});
test.use({ ignoreHTTPSErrors: true });

test("with TLS_CERT and TLS_KEY Vigil serves HTTPS, sends HSTS, sets Secure cookies, and streams over wss", async ({ page, context }) => {
  expect(vigil.url).toMatch(/^https:/);
  const health = await context.request.get(`${vigil.url}/api/health`);
  expect(health.status()).toBe(200);
  expect(health.headers()["strict-transport-security"]).toContain("max-age=");

  const signIn = await context.request.post(`${vigil.url}/api/auth/sign-in/email`, { data: { email: "wall@bank.test", password: PASSWORD }, headers: { origin: vigil.url } });
  expect(signIn.status()).toBe(200);
  const cookie = signIn.headersArray().find((h) => h.name.toLowerCase() === "set-cookie" && h.value.includes("session_token"));
  expect(cookie?.value).toMatch(/;\s*Secure/i);
  expect(cookie?.value).toMatch(/;\s*HttpOnly/i);
  expect(cookie?.value).toMatch(/SameSite=Strict/i);

  await page.goto(vigil.url);
  await expect(page.getByRole("status", { name: "connection" })).toHaveText("Live");
});
