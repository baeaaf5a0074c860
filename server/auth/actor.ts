import type { Permission, Role } from "./permissions";

/** Who is acting, as every domain function that changes state needs to know it. */
export interface Actor {
  /** what the audit log and incident timeline show: an email, `key:<name>`, or `vigil` */
  name: string;
  kind: "user" | "key" | "cli" | "system";
  sourceIp: string | null;
}

/** A caller proven by a session cookie or an API key, with what it may do. */
export interface Identity extends Actor {
  kind: "user" | "key";
  userId: string;
  email: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** signed in, but must enrol a second factor before anything else */
  mfaPending: boolean;
  keyId?: number;
  /** epoch ms after which the session is no longer valid */
  expiresAt?: number;
}

export const cliActor = (): Actor => ({ name: `cli:${process.env.USER ?? "shell"}`, kind: "cli", sourceIp: null });

export function can(identity: Pick<Identity, "permissions" | "mfaPending">, permission: Permission): boolean {
  return !identity.mfaPending && identity.permissions.has(permission);
}
