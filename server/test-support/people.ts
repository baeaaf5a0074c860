import { eq } from "drizzle-orm";
import { session, user } from "../../db/schema";
import type { Core } from "../core";
import { cliActor } from "../auth/actor";
import type { Role } from "../auth/permissions";

export const PASSWORD = "correct horse battery staple";
export const HOST = "vigil.test:3000";
export const ORIGIN = `http://${HOST}`;

/** Creates an account and signs it in through better-auth; returns its session cookie. */
export async function signedIn(core: Core, email: string, role: Role, options: { mfa?: boolean } = {}) {
  const created = await core.access.users.create({ email, role, password: PASSWORD }, cliActor());
  const res = await core.access.auth.api.signInEmail({
    body: { email, password: PASSWORD },
    headers: new Headers({ host: HOST, origin: ORIGIN, "x-vigil-remote-addr": "192.0.2.10" }),
    asResponse: true,
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  // enrolled afterwards, so the session exists without walking through a TOTP challenge here
  if (options.mfa) core.handle.db.update(user).set({ twoFactorEnabled: true }).where(eq(user.id, created.id)).run();
  return { id: created.id, email, cookie };
}

export function expireSessions(core: Core, userId: string) {
  core.handle.db.update(session).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(session.userId, userId)).run();
}
