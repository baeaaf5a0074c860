import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getCore } from "@/server/registry";
import type { Identity } from "@/server/auth/actor";
import type { Permission } from "@/server/auth/permissions";
import type { Me } from "@/lib/contracts/access";

/** The signed-in person for a page, or a redirect: to /setup on a fresh install, else to /sign-in. */
export async function requireIdentity(options: { allowMfaPending?: boolean; permission?: Permission } = {}): Promise<{ identity: Identity; me: Me }> {
  const core = getCore();
  if (core.access.users.count() === 0) redirect("/setup");
  const result = await core.access.identity.fromHeaders(new Headers(await headers()));
  if (!result.ok || result.identity.kind !== "user") redirect("/sign-in");
  const identity = result.identity;
  if (identity.mfaPending && !options.allowMfaPending) redirect("/account");
  if (options.permission && !identity.permissions.has(options.permission)) redirect("/");
  return { identity, me: core.access.describe(identity) as Me };
}
