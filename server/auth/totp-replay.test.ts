import { describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { HOST, ORIGIN, PASSWORD, signedIn } from "../test-support/people";
import { hotp, totpKey, totpStepOf } from "./totp-replay";

type Core = ReturnType<typeof testCore>["core"];

describe("TOTP steps", () => {
  it("computes RFC 4226 HOTP values", () => {
    const key = totpKey("12345678901234567890");
    expect([0, 1, 2, 9].map((c) => hotp(key, c))).toEqual(["755224", "287082", "359152", "520489"]);
  });

  it("finds the step of a code inside the window and nothing outside it", () => {
    const key = totpKey("12345678901234567890");
    const now = 59_000; // step 1
    expect(totpStepOf(key, hotp(key, 0), now)).toBe(0);
    expect(totpStepOf(key, hotp(key, 2), now)).toBe(2);
    expect(totpStepOf(key, hotp(key, 3), now)).toBeNull();
    expect(totpStepOf(key, "12345", now)).toBeNull();
  });
});

/** A browser's cookie jar, enough for better-auth's session and challenge cookies. */
function jar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
    take(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(";");
        const eq = pair.indexOf("=");
        const name = pair.slice(0, eq);
        const value = pair.slice(eq + 1);
        if (!value || /max-age=0/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
      return res;
    },
  };
}

/** POST /api/auth<path> as the page would send it, with the jar's cookies. */
const call = async (core: Core, cookies: ReturnType<typeof jar>, path: string, body: unknown) =>
  cookies.take(
    await core.access.auth.handler(
      new Request(`${ORIGIN}/api/auth${path}`, {
        method: "POST",
        headers: { host: HOST, origin: ORIGIN, "content-type": "application/json", cookie: cookies.header(), "x-vigil-remote-addr": "203.0.113.7" },
        body: JSON.stringify(body),
      }),
    ),
  );

/** The authenticator app's key from the otpauth URI (base32 of the secret's bytes). */
function keyOf(uri: string): Uint8Array {
  const text = new URL(uri).searchParams.get("secret")!;
  return totpKey(`base32:${text}`);
}
const step = () => Math.floor(Date.now() / 30_000);

describe("TOTP replay", () => {
  async function enrolled() {
    const { core } = testCore();
    const who = await signedIn(core, "ada@bank.test", "admin");
    const cookies = jar();
    cookies.take(new Response(null, { headers: who.cookie.split("; ").map((c) => ["set-cookie", c] as [string, string]) }));
    const enable = await call(core, cookies, "/two-factor/enable", { password: PASSWORD });
    expect(enable.status).toBe(200);
    const key = keyOf(((await enable.json()) as { totpURI: string }).totpURI);
    const s = step();
    const confirm = await call(core, cookies, "/two-factor/verify-totp", { code: hotp(key, s) });
    expect(confirm.status, await confirm.clone().text()).toBe(200);
    return { core, key, enrolledAt: s };
  }

  async function passwordStep(core: Core) {
    const cookies = jar();
    const res = await call(core, cookies, "/sign-in/email", { email: "ada@bank.test", password: PASSWORD });
    expect(await res.json()).toMatchObject({ twoFactorRedirect: true });
    return cookies;
  }

  it("refuses, at sign-in, the code that confirmed the enrolment, then takes the next one", async () => {
    const { core, key, enrolledAt } = await enrolled();
    const cookies = await passwordStep(core);
    const replay = await call(core, cookies, "/two-factor/verify-totp", { code: hotp(key, enrolledAt) });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ code: "TOTP_CODE_REUSED", message: expect.stringMatching(/already used/) });
    const next = await call(core, cookies, "/two-factor/verify-totp", { code: hotp(key, enrolledAt + 1) });
    expect(next.status, await next.clone().text()).toBe(200);
    expect(core.access.audit.list({ action: "sign_in_failed", limit: 5 })).toMatchObject([{ actor: "ada@bank.test", after: { reason: "reused second-factor code" } }]);
  });

  it("refuses a code accepted at one sign-in when replayed at another, and an older code after a newer one", async () => {
    const { core, key, enrolledAt } = await enrolled();
    const first = await passwordStep(core);
    expect((await call(core, first, "/two-factor/verify-totp", { code: hotp(key, enrolledAt + 1) })).status).toBe(200);
    const second = await passwordStep(core);
    expect((await call(core, second, "/two-factor/verify-totp", { code: hotp(key, enrolledAt + 1) })).status).toBe(401);
    const third = await passwordStep(core);
    const older = await call(core, third, "/two-factor/verify-totp", { code: hotp(key, enrolledAt - 1) });
    expect(older.status).toBe(401);
    // the step before the enrolment's is still inside the window unless a step boundary passed
    if (step() === enrolledAt) expect((await older.json()).code).toBe("TOTP_CODE_REUSED");
  });
});
