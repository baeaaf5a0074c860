// Shared by the benchmarks that drive a real server: flags, the production server as `npm start`
// runs it, and an API key made with the real CLI.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs, { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
// @ts-expect-error plain ESM helper shared with `npm start`
import { serverNodeArgs } from "../scripts/ensure-build.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** `--name N` from the command line, or the fallback; anything but a positive number is an error. */
export function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

/** A user of `role` and an API key of theirs with `scopes`, made with the real CLI in the data directory. */
export function benchKey(dataDir: string, scopes = "ingest,read", role = "analyst"): string {
  const cli = (args: string[], input = "") =>
    execFileSync(process.execPath, ["--import", "tsx", "server/cli.ts", ...args], { cwd: root, input, env: { ...process.env, VIGIL_DATA_DIR: dataDir }, stdio: ["pipe", "pipe", "ignore"] })
      .toString()
      .trim();
  cli(["user", "create", "--email", "bench@vigil.local", "--role", role], "bench password 1234\n");
  return cli(["key", "create", "--owner", "bench@vigil.local", "--scope", scopes, "--name", "bench"]);
}

/** The production server (run `npm run build` first), on loopback, with its own data directory. */
export function startServer(port: number, dataDir: string, env: Record<string, string> = {}, startTimeoutMs = 60_000): { child: ChildProcess; log: string[]; ready: Promise<void> } {
  const args = [...serverNodeArgs(), ...(process.env.BENCH_SERVER_FLAGS ?? "").split(" ").filter(Boolean)];
  const child = spawn(process.execPath, [...args, ".next/vigil/server.mjs"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", VIGIL_DEMO: "0", PORT: String(port), HOST: "127.0.0.1", VIGIL_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        log.push(line);
        if (log.length > 40) log.shift();
        // not the inspector's "Debugger listening on ws://" (BENCH_SERVER_FLAGS=--inspect)
        if (/listening on https?:\/\//.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}`));
    });
  });
  ready.catch(() => undefined);
  return { child, log, ready };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
  await exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A minimal Chrome DevTools Protocol client on the server's inspector (loopback only). */
export async function inspector(port: number) {
  let list: { webSocketDebuggerUrl: string }[] = [];
  for (let i = 0; i < 50 && !list.length; i++) {
    list = (await fetch(`http://127.0.0.1:${port}/json/list`).then((r) => r.json()).catch(() => [])) as typeof list;
    if (!list.length) await new Promise((r) => setTimeout(r, 100));
  }
  if (!list.length) throw new Error(`no inspector answered on 127.0.0.1:${port} (was the server started with --inspect?)`);
  const ws = new WebSocket(list[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  const listeners: ((method: string, params: Record<string, unknown>) => void)[] = [];
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result), waiting.delete(msg.id);
    else for (const l of listeners) l(msg.method, msg.params);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<any>((resolve) => {
      waiting.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    send,
    async snapshot(file: string) {
      const out = fs.createWriteStream(file);
      const onChunk = (method: string, params: Record<string, unknown>) => {
        if (method === "HeapProfiler.addHeapSnapshotChunk") out.write(params.chunk as string);
      };
      listeners.push(onChunk);
      await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      listeners.splice(listeners.indexOf(onChunk), 1);
      await new Promise((r) => out.end(r));
    },
    close: () => ws.close(),
  };
}
