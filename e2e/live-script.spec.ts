import { expect, test } from "@playwright/test";
import { startVigil, type VigilServer } from "./support/vigil";
import { seedAnalyst, signIn } from "./support/accounts";

let vigil: VigilServer;
test.beforeAll(async () => {
  vigil = await startVigil();
  await seedAnalyst(vigil);
});
test.afterAll(async () => {
  await vigil?.dispose();
});

/** A string found in socket.io-client's own code (engine.io's polling transport), not in the page's. */
const SOCKET_IO_MARK = "xhr poll error";

test("a console whose live connection's script cannot be fetched says Reconnecting, fetches it again and goes live", async ({ page, context }) => {
  let refused = 0;
  // the server restarting while the page loads: the script socket.io-client is in is refused twice
  await context.route("**/_next/static/chunks/*.js", async (route) => {
    const res = await route.fetch();
    const body = await res.text();
    if (body.includes(SOCKET_IO_MARK) && refused < 2) {
      refused++;
      return route.abort("connectionrefused");
    }
    const headers = { ...res.headers() };
    // the body is handed over decoded
    delete headers["content-encoding"];
    delete headers["content-length"];
    return route.fulfill({ status: res.status(), headers, body });
  });
  await signIn(context, vigil.url, "ana@bank.test");
  await page.goto(vigil.url);
  const connection = page.getByRole("status", { name: "connection" });
  await expect(connection).toHaveText("Reconnecting…");
  // fetched again every 3 s: live after the second refusal
  await expect(connection).toHaveText("Live", { timeout: 15_000 });
  expect(refused).toBe(2);
});
