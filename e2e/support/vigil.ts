import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
// @ts-expect-error plain ESM helper shared with `npm start`
import { serverNodeArgs } from "../../scripts/ensure-build.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface VigilServer {
  url: string;
  port: number;
  dataDir: string;
  /** stops the server (SIGTERM) and waits for it to exit */
  stop(): Promise<void>;
  /** stops and starts again on the same port and data directory */
  restart(): Promise<void>;
  /** sends a signal (SIGKILL by default: no shutdown code runs) and waits for the process to end; `restart()` starts it again */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** stops and deletes the data directory */
  dispose(): Promise<void>;
  /** the server process's id while it runs (for benches reading /proc/<pid>/status) */
  pid(): number | undefined;
}

// Every server this process started and has not seen exit: killed when the test process ends, so
// a spec whose beforeAll gave up waiting (its `vigil` never assigned, so never disposed) leaves no
// server holding a port or a core for the next spec.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const proc of running) proc.kill("SIGKILL");
});

/** How long a start may take before it is killed and the start fails with the server's output. */
const START_TIMEOUT_MS = 90_000;

/** Starts the real custom server (production build) on its own port with a fresh data directory. */
export async function startVigil(options: { demo?: boolean; env?: Record<string, string> } = {}): Promise<VigilServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-e2e-"));
  let child: ChildProcess | null = null;
  let log = "";

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      log = "";
      // the production server bundle that `npm start` runs (made by e2e/global-setup)
      const proc = spawn(process.execPath, [...serverNodeArgs(), path.join(root, ".next", "vigil", "server.mjs")], {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          PORT: String(port),
          HOST: "127.0.0.1",
          VIGIL_DATA_DIR: dataDir,
          VIGIL_DEMO: options.demo ? "1" : "0",
          ...options.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = proc;
      running.add(proc);
      // under the suite's own timeout, so the failure says what the server wrote
      const timer = setTimeout(() => {
        proc.kill("SIGKILL");
        reject(new Error(`Vigil did not listen within ${START_TIMEOUT_MS / 1000} s:\n${log}`));
      }, START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("listening on")) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on("data", onData);
      proc.stderr!.on("data", onData);
      proc.once("exit", (code) => {
        running.delete(proc);
        clearTimeout(timer);
        reject(new Error(`Vigil exited (${code}) before listening:\n${log}`));
      });
    });

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  };

  const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill(signal);
    });
  };

  await launch();
  return {
    url: `${options.env?.TLS_CERT ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    dataDir,
    stop,
    kill,
    restart: async () => {
      await stop();
      await launch();
    },
    dispose: async () => {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    pid: () => (child as ChildProcess | null)?.pid,
  };
}
