import path from "node:path";

export interface VigilConfig {
  port: number;
  host: string;
  dataDir: string;
  demo: boolean;
  /** how often the demo fleet ticks; lower compresses demo time (screenshots) */
  demoTickMs: number;
  dev: boolean;
  bodyLimit: number;
  retentionDays: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not an integer between ${min} and ${max}`);
  }
  return value;
}

/** Reads Vigil's settings from the environment, failing with a message that names the bad one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): VigilConfig {
  const demo = env.VIGIL_DEMO ?? "1";
  if (!["0", "1", "true", "false"].includes(demo)) throw new Error(`VIGIL_DEMO=${JSON.stringify(demo)}: use 1 or 0`);
  return {
    port: int(env, "PORT", 3000, 0, 65535),
    // loopback until accounts exist: nothing here checks who is calling
    host: env.HOST || "127.0.0.1",
    dataDir: path.resolve(cwd, env.VIGIL_DATA_DIR || "data"),
    demo: demo === "1" || demo === "true",
    demoTickMs: int(env, "VIGIL_DEMO_TICK_MS", 1000, 50, 60_000),
    dev: env.NODE_ENV === "development",
    bodyLimit: int(env, "VIGIL_BODY_LIMIT", 5 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    retentionDays: int(env, "VIGIL_RETENTION_DAYS", 7, 1, 3650),
  };
}
