import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { openDatabase } from "../db/client";
import { loadConfig } from "./config";
import { createCore } from "./core";
import { setCore } from "./registry";
import { attachLive } from "./live/socket";
import { Simulator } from "./simulator/simulator";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const config = loadConfig();
  const handle = openDatabase(config.dataDir);
  const core = createCore(handle, { retentionDays: config.retentionDays, bodyLimit: config.bodyLimit });
  // register before Next loads any route, so handlers and pages find the one core
  setCore(core);

  const app = next({ dev: config.dev, dir: root, hostname: config.host, port: config.port });
  await app.prepare();
  const handleRequest = app.getRequestHandler();
  const handleUpgrade = app.getUpgradeHandler();

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((error) => {
      console.error("[vigil] request failed:", error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const io = attachLive(server, core.hub);
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/socket.io")) void handleUpgrade(req, socket, head);
  });

  core.hub.start(100);
  const simulator = config.demo ? new Simulator(core, { tickMs: config.demoTickMs }) : null;
  simulator?.start();
  const pruner = setInterval(() => core.prune(), 3_600_000);
  pruner.unref();
  core.prune();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(`[vigil] listening on http://${config.host}:${port} (data ${handle.file}, demo ${config.demo ? "on" : "off"})`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[vigil] ${signal}: shutting down`);
    simulator?.stop();
    core.hub.stop();
    clearInterval(pruner);
    io.close();
    server.close(() => {
      handle.close();
      process.exit(0);
    });
    setTimeout(() => {
      handle.close();
      process.exit(0);
    }, 3000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error) => {
  console.error(`[vigil] failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
