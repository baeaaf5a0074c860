import { openDatabase } from "../../db/client";
import { createCore, type CoreOptions } from "../core";
import type { Identity } from "../auth/actor";
import { rolePermissions, type Role } from "../auth/permissions";
import { manualClock } from "../clock";
import { Hub } from "../live/hub";
import type { Batch } from "../../lib/contracts/live";

/** A core on an in-memory database with a manual clock, collecting every flushed batch. */
export function testCore(options: Partial<CoreOptions> = {}) {
  const clock = manualClock(Date.UTC(2026, 10, 21, 12, 0, 0));
  const hub = new Hub({ capacity: options.hub ? undefined : 1000 });
  const batches: Batch[] = [];
  hub.onBatch((b) => batches.push(b));
  const handle = openDatabase(":memory:");
  const core = createCore(handle, { clock, hub, access: { secret: "test-secret-test-secret-test-secret-0123", publicUrl: "http://vigil.test:3000" }, ...options });
  /** flushes the hub and returns the items of one stream since the last call */
  const drain = <S extends Batch["stream"]>(stream: S) => {
    hub.flush();
    const items = batches.filter((b) => b.stream === stream).flatMap((b) => b.items);
    for (let i = batches.length - 1; i >= 0; i--) if (batches[i].stream === stream) batches.splice(i, 1);
    return items as Batch<S>["items"];
  };
  return { core, clock, hub, handle, batches, drain };
}

/** An identity with a role's permissions, for domain tests that do not go through HTTP. */
export function personOf(role: Role, name = `${role}@vigil.test`): Identity {
  return { kind: "user", name, email: name, userId: name, role, permissions: rolePermissions(role), mfaPending: false, sourceIp: "127.0.0.1" };
}
