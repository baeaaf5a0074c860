import { isIP } from "node:net";
import type Database from "better-sqlite3";
import type { VigilDb } from "../../db/client";
import type { EventInput } from "../../lib/contracts/events";
import { AuditLog } from "../audit/audit-log";
import type { Clock } from "../clock";
import { ApiKeyService } from "./api-keys";
import { createBetterAuth } from "./better-auth";
import { IdentityResolver } from "./identity";
import { SettingsService } from "./settings";
import { watchOtherWriters } from "./other-writers";
import { SetupToken } from "./setup-token";
import { SignInThrottle, type ThrottleOptions } from "./throttle";
import { UserService, type UserView } from "./users";
import type { Identity } from "./actor";
import { buildHostPolicy, type HostPolicyHolder } from "../origin";

export interface AccessOptions {
  secret: string;
  publicUrl?: string;
  /** Vigil's own names and origins; by default those of the public URL and loopback */
  hosts?: HostPolicyHolder;
  secureCookies?: boolean;
  throttle?: ThrottleOptions;
}

export type SetupResult =
  | { ok: true; user: UserView }
  | { ok: false; code: "setup_done" | "setup_token_required" | "setup_token_invalid"; message: string };

const SETUP_TOKEN_HINT = (what: string) =>
  `${what}. It is printed in the server's startup log, kept in the data directory's setup-token file, and shown by \`npm run vigil -- setup-token\`.`;

/** A change of someone's access; with neither id, everyone's. */
type Listener = (change: { userId?: string; keyId?: number }) => void;

/**
 * Accounts, sessions, API keys, settings and the audit log: everything about who may act.
 * Vigil's own failed sign-ins go back through `ingestEvents`, so Vigil watches itself.
 */
export function createAccess(db: VigilDb, sqlite: Database.Database, clock: Clock, ingestEvents: (items: EventInput[]) => void, options: AccessOptions) {
  const audit = new AuditLog(db, sqlite, clock);
  const throttle = new SignInThrottle(sqlite, clock, options.throttle);
  const listeners: Listener[] = [];
  const notify: Listener = (change) => listeners.forEach((l) => l(change));

  const auth = createBetterAuth({
    db,
    secret: options.secret,
    publicUrl: options.publicUrl,
    secureCookies: options.secureCookies ?? false,
    hosts: options.hosts ?? { current: buildHostPolicy({ publicUrl: options.publicUrl, bindHost: "127.0.0.1", port: 3000, tls: false }) },
    throttle,
    events: {
      failed: ({ email, ip, reason, step }) => {
        ingestEvents([
          {
            kind: "auth_failure",
            severity: "medium",
            service: "vigil",
            ...(ip && isIP(ip) ? { src_ip: ip } : {}),
            ...(email ? { user: email.slice(0, 256) } : {}),
            message: `Vigil sign-in failed: ${reason}`,
            attributes: { service: "vigil", step },
          },
        ]);
        audit.append({ actor: email ?? "unknown", action: "sign_in_failed", sourceIp: ip, after: { reason, step } });
      },
      signedIn: ({ email, ip, mfa }) => audit.append({ actor: email, action: "sign_in", sourceIp: ip, after: { mfa } }),
      mfaChanged: ({ userId, email, ip, enabled }) => {
        audit.append({ actor: email, action: enabled ? "mfa_enabled" : "mfa_disabled", target: email, sourceIp: ip, before: { mfa: !enabled }, after: { mfa: enabled } });
        notify({ userId });
      },
      // sign-out, a session replaced at enrolment: sockets opened with that session close
      sessionEnded: ({ userId }) => notify({ userId }),
    },
  });
  const settings = new SettingsService(db, audit, clock);
  const keys = new ApiKeyService(db, audit, clock);
  // beside the database file: the server prints it, the CLI prints it again, the first account ends it
  const setupToken = SetupToken.beside(sqlite.name);
  const users = new UserService(db, auth, audit, () => setupToken.clear());
  const identity = new IdentityResolver(auth, keys, settings);

  return {
    auth,
    audit,
    throttle,
    settings,
    keys,
    users,
    identity,
    setupToken,
    /** The setup token while no account exists (made if missing); null, and any leftover removed, once one does. */
    pendingSetupToken(): string | null {
      if (users.count() === 0) return setupToken.ensure();
      setupToken.clear();
      return null;
    },
    /**
     * First-run setup: the first admin, only with the setup token and only while no account
     * exists. Nothing is created when either check fails.
     */
    async completeSetup(input: { name: string; email: string; password: string; setupToken?: string }, sourceIp: string | null): Promise<SetupResult> {
      if (users.count() > 0) return { ok: false, code: "setup_done", message: "Vigil is already set up: sign in instead" };
      if (!input.setupToken) return { ok: false, code: "setup_token_required", message: SETUP_TOKEN_HINT("The setup token is required") };
      if (!setupToken.matches(input.setupToken)) return { ok: false, code: "setup_token_invalid", message: SETUP_TOKEN_HINT("That setup token is wrong") };
      const created = await users.createFirstAdmin({ name: input.name, email: input.email, password: input.password }, sourceIp);
      // another setup won the race (the token is gone with it)
      if (!created) return { ok: false, code: "setup_done", message: "Vigil is already set up: sign in instead" };
      return { ok: true, user: created };
    },
    /** called when a user's or key's access changed, so live connections re-check it */
    onAccessChange(listener: Listener) {
      listeners.push(listener);
    },
    accessChanged: notify,
    /**
     * Treats a commit by another connection (the CLI on the same database) as a change of
     * everyone's access, noticed within `intervalMs`. Returns a function that stops watching.
     */
    watchOtherWriters: (intervalMs?: number) => watchOtherWriters(sqlite, () => notify({}), intervalMs),
    /** What the console shows about the caller (GET /api/v1/me). */
    describe(identity: Identity) {
      const u = users.byId(identity.userId);
      return { email: identity.email, role: identity.role, permissions: [...identity.permissions], mfa_pending: identity.mfaPending, two_factor_enabled: !!u?.two_factor_enabled, kind: identity.kind };
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
