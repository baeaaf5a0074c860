import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { twoFactor } from "better-auth/plugins/two-factor";
import { eq } from "drizzle-orm";
import type { VigilDb } from "../../db/client";
import { account, session, twoFactor as twoFactorTable, user, verification } from "../../db/schema";
import { describeLock, type SignInThrottle } from "./throttle";
import { symmetricDecrypt } from "better-auth/crypto";
import { totpKey, totpStepOf, TotpReplayGuard } from "./totp-replay";
import { betterAuthLogger } from "../ops/logging-better-auth";
import { trustedOrigins, type HostPolicyHolder } from "../origin";

/** Header the custom server sets from the socket's peer address (any incoming copy is dropped). */
export const REMOTE_ADDR_HEADER = "x-vigil-remote-addr";

export interface SignInEvents {
  /** a sign-in or second factor failed; `email` when known */
  failed(info: { email: string | null; ip: string | null; reason: string; step: "password" | "second_factor" }): void;
  /** a session was created for a user who passed every factor */
  signedIn(info: { userId: string; email: string; ip: string | null; mfa: boolean }): void;
  /** a signed-in user confirmed a new authenticator, or turned two-factor off */
  mfaChanged(info: { userId: string; email: string; ip: string | null; enabled: boolean }): void;
  /** a session was deleted (sign-out, replaced at enrolment, revoked) */
  sessionEnded(info: { userId: string }): void;
}

export interface AuthOptions {
  db: VigilDb;
  secret: string;
  publicUrl?: string;
  secureCookies: boolean;
  /** Vigil's own origins (server/origin.ts) */
  hosts: HostPolicyHolder;
  throttle: SignInThrottle;
  events: SignInEvents;
}

const SECOND_FACTOR_PATHS = new Set(["/two-factor/verify-totp", "/two-factor/verify-backup-code"]);

/**
 * better-auth for Vigil: email + password (no self sign-up), TOTP with recovery codes, sessions
 * in HTTP-only SameSite=Strict cookies, and hooks that throttle sign-ins and report them.
 */
export function createBetterAuth(o: AuthOptions) {
  const ip = (headers: Headers | undefined) => headers?.get(REMOTE_ADDR_HEADER) ?? null;
  // only a plausible address counts as an account (and reaches the audit log and events)
  const emailOf = (body: unknown) => {
    const email = (body as { email?: unknown } | undefined)?.email;
    return typeof email === "string" && email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email.toLowerCase() : null;
  };

  // a TOTP code is accepted once (see the verify-totp hook below)
  const totpGuard = new TotpReplayGuard(o.db);

  return betterAuth({
    appName: "Vigil",
    secret: o.secret,
    baseURL: o.publicUrl,
    // Vigil's configured origins, never one made from the request's Host (DNS rebinding)
    trustedOrigins: (request) => trustedOrigins(o.hosts.current, request?.headers.get("host")),
    database: drizzleAdapter(o.db, { provider: "sqlite", schema: { user, session, account, verification, twoFactor: twoFactorTable } }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "viewer" },
        disabled: { type: "boolean", input: false, defaultValue: false },
      },
    },
    session: { expiresIn: 12 * 3600, updateAge: 3600 },
    databaseHooks: {
      session: { delete: { after: async (ended) => o.events.sessionEnded({ userId: ended.userId }) } },
    },
    plugins: [twoFactor({ issuer: "Vigil" })],
    telemetry: { enabled: false },
    // into Vigil's JSON log: refused callers are debug lines (Vigil records failed sign-ins itself), faults errors
    logger: betterAuthLogger(),
    // sign-in attempts are throttled per account and address below; this guards everything else
    // per account and address throttling is below; this coarse per-address limit bounds the rest
    rateLimit: { enabled: true, window: 60, max: 600, customRules: { "/sign-in/email": { window: 60, max: 60 }, "/two-factor/*": { window: 60, max: 30 } } },
    advanced: {
      cookiePrefix: "vigil",
      useSecureCookies: o.secureCookies,
      defaultCookieAttributes: { sameSite: "strict", httpOnly: true },
      ipAddress: { ipAddressHeaders: [REMOTE_ADDR_HEADER] },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (SECOND_FACTOR_PATHS.has(ctx.path ?? "") && (ctx.body as { trustDevice?: unknown } | undefined)?.trustDevice) {
          // a trusted device would skip the second factor for 30 days, unseen by the audit log
          throw new APIError("BAD_REQUEST", { message: "trusted devices are not allowed: enter a code at every sign-in", code: "TRUST_DEVICE_DISABLED" });
        }
        if (ctx.path === "/two-factor/verify-totp") {
          const code = (ctx.body as { code?: unknown } | undefined)?.code;
          if (typeof code !== "string") return;
          // the plugin's own order: a signed-in session (enrolment), else the pending sign-in's challenge
          let userId: string | null = null;
          const token = await ctx.getSignedCookie(ctx.context.authCookies.sessionToken.name, ctx.context.secret);
          const current = token ? await ctx.context.internalAdapter.findSession(token) : null;
          if (current && new Date(current.session.expiresAt).getTime() > Date.now()) userId = current.user.id;
          else {
            const challenge = await ctx.getSignedCookie(ctx.context.createAuthCookie("two_factor").name, ctx.context.secret);
            userId = challenge ? ((await ctx.context.internalAdapter.findVerificationValue(challenge))?.value ?? null) : null;
          }
          if (!userId) return;
          const enrolled = o.db.select({ secret: twoFactorTable.secret }).from(twoFactorTable).where(eq(twoFactorTable.userId, userId)).get();
          const secret = enrolled ? await symmetricDecrypt({ key: ctx.context.secretConfig, data: enrolled.secret }).catch(() => null) : null;
          // a wrong code is left to the plugin, which refuses and counts it; a right one is claimed here, once
          const step = secret ? totpStepOf(totpKey(secret), code, Date.now()) : null;
          if (step === null || totpGuard.claim(userId, step)) return;
          const email = o.db.select({ email: user.email }).from(user).where(eq(user.id, userId)).get()?.email ?? null;
          o.throttle.fail(email, ip(ctx.headers));
          o.events.failed({ email, ip: ip(ctx.headers), reason: "reused second-factor code", step: "second_factor" });
          throw new APIError("UNAUTHORIZED", { message: "This code was already used. Wait for the next code from your authenticator app.", code: "TOTP_CODE_REUSED" });
        }
        if (ctx.path !== "/sign-in/email") return;
        const email = emailOf(ctx.body);
        const verdict = o.throttle.attempt(email, ip(ctx.headers));
        if (!verdict.allowed) {
          o.events.failed({ email, ip: ip(ctx.headers), reason: "locked out", step: "password" });
          throw new APIError("TOO_MANY_REQUESTS", { message: describeLock(verdict), code: "LOCKED_OUT" });
        }
        if (email) {
          const found = o.db.select({ disabled: user.disabled }).from(user).where(eq(user.email, email)).get();
          if (found?.disabled) {
            o.events.failed({ email, ip: ip(ctx.headers), reason: "account disabled", step: "password" });
            throw new APIError("FORBIDDEN", { message: "This account is disabled. Ask an admin.", code: "ACCOUNT_DISABLED" });
          }
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const failed = ctx.context.returned instanceof APIError || (ctx.context.returned instanceof Error);
        const address = ip(ctx.headers);
        if (ctx.path === "/sign-in/email") {
          const email = emailOf(ctx.body);
          if (failed) {
            // already counted by `attempt` in the before hook
            o.events.failed({ email, ip: address, reason: "invalid email or password", step: "password" });
            return;
          }
          o.throttle.succeed(email, address);
          const created = ctx.context.newSession;
          // with two-factor on, the plugin's hook (after this one) swaps the session for a challenge
          if (created && !created.user.twoFactorEnabled) o.events.signedIn({ userId: created.user.id, email: created.user.email, ip: address, mfa: false });
          return;
        }
        if (SECOND_FACTOR_PATHS.has(ctx.path ?? "")) {
          // a pending sign-in carries the plugin's challenge cookie; an enrolment carries a session
          const challenge = await ctx.getSignedCookie(ctx.context.createAuthCookie("two_factor").name, ctx.context.secret);
          const created = ctx.context.newSession;
          if (failed) {
            let email: string | null = null;
            if (challenge) {
              const pending = await ctx.context.internalAdapter.findVerificationValue(challenge);
              const who = pending ? await ctx.context.internalAdapter.findUserById(pending.value) : null;
              email = who?.email ?? null;
            }
            o.throttle.fail(email, address);
            o.events.failed({ email, ip: address, reason: "invalid second-factor code", step: "second_factor" });
            return;
          }
          if (!created) return;
          if (challenge) o.events.signedIn({ userId: created.user.id, email: created.user.email, ip: address, mfa: true });
          else o.events.mfaChanged({ userId: created.user.id, email: created.user.email, ip: address, enabled: true });
          return;
        }
        // a new secret (or none): the steps of the old one say nothing about the next
        if ((ctx.path === "/two-factor/enable" || ctx.path === "/two-factor/disable") && !failed && ctx.context.session) {
          totpGuard.forget(ctx.context.session.user.id);
        }
        if (ctx.path === "/two-factor/disable" && !failed && ctx.context.session) {
          o.events.mfaChanged({ userId: ctx.context.session.user.id, email: ctx.context.session.user.email, ip: address, enabled: false });
        }
      }),
    },
  });
}

export type VigilAuth = ReturnType<typeof createBetterAuth>;
