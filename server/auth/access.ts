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
import { SignInThrottle, type ThrottleOptions } from "./throttle";
import { UserService } from "./users";
import type { Identity } from "./actor";

export interface AccessOptions {
  secret: string;
  publicUrl?: string;
  secureCookies?: boolean;
  throttle?: ThrottleOptions;
}

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
    throttle,
    events: {
      failed: ({ email, ip, reason, step }) => {
        ingestEvents([
          {
            kind: "auth_failure",
            severity: "medium",
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
    },
  });
  const settings = new SettingsService(db, audit, clock);
  const keys = new ApiKeyService(db, audit, clock);
  const users = new UserService(db, auth, audit);
  const identity = new IdentityResolver(auth, keys, settings);

  return {
    auth,
    audit,
    throttle,
    settings,
    keys,
    users,
    identity,
    /** called when a user's or key's access changed, so live connections re-check it */
    onAccessChange(listener: Listener) {
      listeners.push(listener);
    },
    accessChanged: notify,
    /** What the console shows about the caller (GET /api/v1/me). */
    describe(identity: Identity) {
      const u = users.byId(identity.userId);
      return { email: identity.email, role: identity.role, permissions: [...identity.permissions], mfa_pending: identity.mfaPending, two_factor_enabled: !!u?.two_factor_enabled, kind: identity.kind };
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
