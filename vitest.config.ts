import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["{server,db,lib,components}/**/*.test.ts"],
    environment: "node",
    // One worker process runs file after file with the module cache kept: with isolation on, every
    // file started a fresh fork and imported drizzle, better-auth, zod and the core again, which
    // took more time than the tests (27 server files: 117 s of imports, 108 s of tests; kept: 10 s
    // of imports, half the CPU). Every test builds its own core on its own in-memory database
    // (server/test-support/core.ts), so nothing a file needs lives in module state; the few
    // process-wide slots (server/registry.ts, the logger) are set by each file that uses them.
    isolate: false,
  },
});
