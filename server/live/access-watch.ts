import type { Access } from "../auth/access";
import type { Identity } from "../auth/actor";

/**
 * Re-checks live connections whenever someone's access changes, so a revoked key, a disabled or
 * re-roled user, or an ended session loses its socket within a second: changes made in this
 * process are announced directly, changes committed by another (the CLI) are noticed by polling
 * the database every `pollMs`. Returns a function that stops the polling.
 */
export function closeOnAccessChange(
  live: { revalidate(filter?: (identity: Identity) => boolean): Promise<void> },
  access: Pick<Access, "onAccessChange" | "watchOtherWriters">,
  pollMs?: number,
): () => void {
  access.onAccessChange(({ userId, keyId }) => {
    if (userId === undefined && keyId === undefined) return void live.revalidate();
    void live.revalidate((identity) => identity.userId === userId || (keyId !== undefined && identity.keyId === keyId));
  });
  return access.watchOtherWriters(pollMs);
}
