import type { VigilAuth } from "./better-auth";
import { REMOTE_ADDR_HEADER } from "./better-auth";
import type { ApiKeyService } from "./api-keys";
import type { SettingsService } from "./settings";
import type { Identity } from "./actor";
import { isRole, keyPermissions, MFA_REQUIRED_ROLES, rolePermissions, type Role } from "./permissions";

export type IdentityResult = { ok: true; identity: Identity } | { ok: false; status: 401; code: string; message: string };

const unauthenticated = (code: string, message: string): IdentityResult => ({ ok: false, status: 401, code, message });

/**
 * Who is calling: an API key (`Authorization: Bearer vk_…`, or `token` for sockets) or a session
 * cookie. No credentials, a revoked key, an expired session or a disabled account is 401.
 */
export class IdentityResolver {
  constructor(
    private readonly auth: VigilAuth,
    private readonly keys: ApiKeyService,
    private readonly settings: SettingsService,
  ) {}

  async fromHeaders(headers: Headers, token?: string): Promise<IdentityResult> {
    const sourceIp = headers.get(REMOTE_ADDR_HEADER);
    const authorization = headers.get("authorization");
    const bearer = token ?? (authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined);
    if (authorization && !bearer) return unauthenticated("invalid_authorization", "Authorization must be `Bearer <API key>`");
    if (bearer) return this.fromKey(bearer, sourceIp);

    const found = await this.auth.api.getSession({ headers, query: { disableCookieCache: true } }).catch(() => null);
    if (!found) return unauthenticated("unauthenticated", "sign in or send an API key (Authorization: Bearer …)");
    const u = found.user as typeof found.user & { role?: string; disabled?: boolean; twoFactorEnabled?: boolean | null };
    if (u.disabled) return unauthenticated("account_disabled", "this account is disabled");
    const role: Role = isRole(u.role) ? u.role : "viewer";
    const mfaRequired = MFA_REQUIRED_ROLES.includes(role) || this.settings.get("require_mfa_all") === true;
    return {
      ok: true,
      identity: {
        kind: "user",
        name: u.email,
        email: u.email,
        userId: u.id,
        role,
        permissions: rolePermissions(role),
        mfaPending: mfaRequired && !u.twoFactorEnabled,
        sourceIp,
        expiresAt: new Date(found.session.expiresAt).getTime(),
      },
    };
  }

  fromKey(token: string, sourceIp: string | null): IdentityResult {
    const check = this.keys.authenticate(token);
    if (!check.ok) {
      const messages = { unknown: "unknown API key", revoked: "this API key has been revoked", owner_disabled: "the owner of this API key is disabled" };
      return unauthenticated(`key_${check.reason}`, messages[check.reason]);
    }
    const role: Role = isRole(check.ownerRole) ? check.ownerRole : "viewer";
    return {
      ok: true,
      identity: {
        kind: "key",
        name: `key:${check.key.name}`,
        email: check.ownerEmail,
        userId: check.ownerId,
        role,
        permissions: keyPermissions(check.key.scopes, role),
        mfaPending: false,
        sourceIp,
        keyId: check.key.id,
      },
    };
  }
}
