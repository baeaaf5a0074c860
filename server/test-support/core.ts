import { openDatabase } from "../../db/client";
import { createCore, type CoreOptions } from "../core";
import type { Identity } from "../auth/actor";
import { rolePermissions, type Role } from "../auth/permissions";
import { manualClock } from "../clock";
import { Hub } from "../live/hub";
import type { Batch } from "../../lib/contracts/live";
import { fakeTimers } from "./fake-timers";

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

/**
 * A test core whose network service probes on fake timers: `run(ms)` moves the clock in 1-second
 * steps and lets the real requests of each step (to targets the test started on loopback) answer.
 */
export function probedCore(network: Partial<NonNullable<CoreOptions["network"]>> = {}, t0 = Date.UTC(2026, 10, 21, 12, 0, 0)) {
  const timers = fakeTimers(t0);
  const t = testCore({ clock: timers, network: { timers, configFile: null, watchConfig: false, maintenanceTickMs: 3_600_000, ...network } });
  const run = async (ms: number) => {
    for (let left = ms; left > 0; left -= 1000) {
      await timers.advance(Math.min(1000, left));
      for (let i = 0; i < 10_000 && t.core.probes.stats().running > 0; i++) await new Promise((r) => setImmediate(r));
    }
  };
  return { ...t, timers, run };
}
