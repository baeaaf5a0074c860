import type { Core } from "./core";

/**
 * The one process-wide home of the domain core. Next bundles route handlers and pages with their
 * own copy of every project module, so a module-level singleton would exist twice and the copy
 * seen by route handlers would be dead. The custom server creates the core at boot and puts it
 * here; route handlers and pages only read it. Keep this module free of runtime imports.
 */
const KEY = Symbol.for("vigil.core");

type Registry = typeof globalThis & { [KEY]?: Core };

export class CoreUnavailableError extends Error {
  constructor() {
    super("Vigil's core is not running in this process: start Vigil with `npm start` (the custom server), not `next start`");
  }
}

export function setCore(core: Core | undefined): void {
  (globalThis as Registry)[KEY] = core;
}

export function getCore(): Core {
  const core = (globalThis as Registry)[KEY];
  if (!core) throw new CoreUnavailableError();
  return core;
}
