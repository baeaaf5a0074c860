import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { openDatabase } from "../db/client";
import { loadConfig } from "./config";
import { createCore } from "./core";
import { setCore } from "./registry";
import { attachLive } from "./live/socket";
import { Simulator } from "./simulator/simulator";
import { Hub } from "./live/hub";
import { loadAuthSecret } from "./auth/secret";
import { applySecurityHeaders, stampRemoteAddress } from "./http-security";
import { socketAuthenticator } from "./live/socket-auth";
import { createLogger, getLogger, isClientAbort, setLogger, stampRequestId } from "./ops/logging";
import { routeConsoleToLogger } from "./ops/logging-console";
import { shutDown, trackInFlight } from "./ops/health-shutdown";
import { OffThreadCheckpointer } from "./ops/checkpointer";
import { stampLoopback } from "./ops/metrics-access";
import { ParsePool } from "./security/parse-pool";
import { warmMessage } from "./security/warm";
import { closeOnAccessChange } from "./live/access-watch";
import { buildHostPolicy, isLoopbackHost } from "./origin";
import { checkRequest, loadRouteTable, refuse } from "./http-gate";
import { removePidFile, writePidFile } from "./ops/backup";
import { startBackupScheduler } from "./ops/backup-scheduler";
import { responseCompressor } from "./ops/compress";
import { incidentTextIndex } from "../db/queries/incident-text";
import { StaticAssets } from "./ops/static-assets";

/** The project folder: the nearest one up with next.config.mjs (from server/, or from the bundle in .next/vigil/). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "next.config.mjs"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("cannot find the project folder (no next.config.mjs above the server)");
    dir = up;
  }
  return dir;
}
const root = projectRoot();

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  process.env.BETTER_AUTH_TELEMETRY = "0";
  const config = loadConfig();
  // one JSON logger for the process (route handlers reach it through globalThis); console.* too
  const log = createLogger({ level: config.logLevel });
  setLogger(log);
  routeConsoleToLogger(log);
  // a crash is one JSON line too (systemd restarts the process); a client that went away is not a crash
  process.on("uncaughtException", (error) => {
    if (isClientAbort(error)) return log.debug({ abort: String((error as Error)?.message ?? error) }, "client aborted a connection");
    log.fatal({ err: error }, "uncaught exception; exiting");
    process.exit(1);
  });
  process.on("unhandledRejection", (reason) => {
    if (isClientAbort(reason)) return log.debug({ abort: String((reason as Error)?.message ?? reason) }, "client aborted a connection");
    log.fatal({ err: reason }, "unhandled promise rejection; exiting");
    process.exit(1);
  });
  // `vigil restore` refuses while this names a live process; removed on any exit
  writePidFile(config.dataDir);
  process.on("exit", () => removePidFile(config.dataDir));
  const handle = openDatabase(config.dataDir, path.join(root, "db", "migrations"), { cacheMb: config.sqliteCacheMb });
  // WAL checkpoints on a worker for the server's whole life: SQLite's automatic checkpoint runs
  // inside whichever commit crosses its threshold and held the event loop 40-60 ms on ingest
  const checkpointer = OffThreadCheckpointer.start(handle.sqlite, 200);
  // served over HTTPS here, or behind a proxy that terminates TLS for the public URL
  const httpsInFront = !!config.tls || !!config.publicUrl?.startsWith("https:");
  // the names Vigil answers to; rebuilt once the port is known (PORT=0 picks one)
  const hostPolicy = (port: number) => buildHostPolicy({ publicUrl: config.publicUrl, allowedHosts: config.allowedHosts, bindHost: config.host, port, tls: !!config.tls });
  const hosts = { current: hostPolicy(config.port) };
  const routes = loadRouteTable(path.join(root, "app"));
  // native uploads are parsed on a worker while the event loop stores the previous one (issue 9)
  const parsePool = new ParsePool();
  const core = createCore(handle, {
    parsePool,
    hub: new Hub({ capacity: config.replayCapacity }),
    processMetrics: true,
    migrationsFolder: path.join(root, "db", "migrations"),
    retentionDays: config.retentionDays,
    rollupRetention: config.rollupRetention,
    bodyLimit: config.bodyLimit,
    maxNodes: config.maxNodes,
    maxSkewMs: config.maxSkewMs,
    logTimeZone: config.logTimeZone,
    ackTimeoutMs: config.ackTimeoutMs,
    network: { configFile: config.nodesFile, concurrency: config.probeConcurrency, storm: config.storm },
    rulesFile: config.rulesFile,
    warmRows: config.warmRows,
    notify: { timeoutMs: config.webhookTimeoutMs, concurrency: config.webhookConcurrency, stormWaitMs: config.stormWaitMs },
    access: { secret: loadAuthSecret(config.dataDir), publicUrl: config.publicUrl, secureCookies: httpsInFront, hosts },
  });
  // the detection windows were warmed from the stored events before any batch (server/security/warm.ts)
  const warm = core.warmReport();
  log.info({ warm }, warmMessage(warm, config.warmRows));
  // register before Next loads any route, so handlers and pages find the one core
  setCore(core);
  // the incident list's free-text index, built now rather than by the first search (about 1 s per 100,000 incidents)
  const textStart = performance.now();
  const textIndex = incidentTextIndex(handle.db);
  const textOn = textIndex.sync();
  log.info({ incidentText: { on: textOn, ms: Math.round(performance.now() - textStart) } }, `incident text index ${textOn ? "built" : "off (too many incidents: the trigram index answers)"} in ${Math.round(performance.now() - textStart)} ms`);

  if (!isLoopbackHost(config.host) && core.access.users.count() === 0) {
    throw new Error(
      `HOST=${config.host} serves the network, but no account exists yet, so anyone could claim the first admin. ` +
        "Start once with the default HOST (127.0.0.1) and finish /setup, or run `npm run vigil -- user create --email E --role admin`.",
    );
  }

  // on disk before the server listens; removed if left over once accounts exist
  const setupToken = core.access.pendingSetupToken();

  const app = next({ dev: config.dev, dir: root, hostname: config.host, port: config.port });
  await app.prepare();
  const handleRequest = app.getRequestHandler();
  const handleUpgrade = app.getUpgradeHandler();
  const compress = responseCompressor();
  // the build's chunks and styles, precompressed at build time, sent before Next sees the request
  const statics = config.dev ? null : new StaticAssets(path.join(root, ".next", "static"));

  const onRequest: http.RequestListener = (req, res) => {
    const requestId = stampRequestId(req, res);
    stampLoopback(req);
    const verdict = checkRequest(req, hosts.current, routes);
    if (!verdict.ok) return refuse(res, verdict);
    stampRemoteAddress(req, config.trustProxy);
    applySecurityHeaders(req, res, { dev: config.dev, tls: httpsInFront });
    if (statics?.serve(req, res)) return;
    compress(req, res, () =>
      handleRequest(req, res).catch((error) => {
        if (isClientAbort(error)) log.debug({ reqId: requestId, method: req.method, path: req.url?.split("?")[0] }, "client aborted the request");
        else log.error({ err: error, reqId: requestId, method: req.method, path: req.url?.split("?")[0] }, "request failed");
        if (!res.headersSent) res.writeHead(500).end();
      }),
    );
  };
  const server = config.tls
    ? https.createServer({ cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) }, onRequest)
    : http.createServer(onRequest);

  const live = attachLive(server, core.hub, { authenticate: socketAuthenticator(core, config.trustProxy), hosts, compression: config.liveCompression });
  core.metrics.observeLive(live.stats);
  const inFlight = trackInFlight(server);
  // revoked keys, disabled or re-roled users, ended sessions lose their sockets within a second (CLI included)
  closeOnAccessChange(live, core.access);
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/socket.io")) void handleUpgrade(req, socket, head);
  });

  core.hub.start(100);
  const simulator = config.demo ? new Simulator(core, { tickMs: config.demoTickMs }) : null;
  simulator?.start();
  // hourly and at boot, in short batches; a call while one runs joins it (see server/ops/retention.ts)
  const prune = () =>
    core.prune().then(
      (report) => log.info({ prune: report }, `retention prune removed ${report.events} events, ${report.heartbeats} heartbeats, ${report.eventMinutes} rollup rows, ${report.networkRollups} node roll-up rows; kept ${report.kept_for_incidents} for active incidents (${report.batches} batches, ${report.ms} ms)`),
      (error: unknown) => log.error({ err: error }, "retention prune failed"),
    );
  const pruner = setInterval(() => void prune(), 3_600_000);
  // heartbeats stored before the roll-up tables existed: rolled up once, in slices, after the upgrade
  void core.backfillRollups().then(
    (rows) => rows > 0 && log.info({ rows }, `rolled up ${rows} heartbeats stored before the roll-up tables`),
    (error: unknown) => log.error({ err: error }, "roll-up backfill failed"),
  );
  pruner.unref();
  const watchdog = config.silenceMs > 0 ? setInterval(() => void core.sweepSilentNodes(config.silenceMs), 5_000) : null;
  watchdog?.unref();
  // snoozes that end and acknowledgements past VIGIL_ACK_TIMEOUT return incidents to open
  const incidentTimers = setInterval(() => {
    try {
      core.sweepIncidentTimers();
    } catch (error) {
      log.error({ err: error }, "incident timer sweep failed");
    }
  }, 15_000);
  incidentTimers.unref();
  void prune();
  // VIGIL_BACKUP_DIR: online backups copied on a worker thread, the newest VIGIL_BACKUP_KEEP kept
  const backups = config.backup ? startBackupScheduler(handle.sqlite, config.backup, { key: config.backupKey, log: (level, message, detail) => log[level](detail ?? {}, message) }) : null;
  if (backups && !config.backupKey) log.warn("scheduled backups are NOT encrypted: set VIGIL_BACKUP_KEY to encrypt them");

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  if (config.syslog) {
    const ports = await core.startSyslog(config.syslog);
    log.info({ syslog: { host: config.syslog.host, ...ports } }, `syslog listener on ${config.syslog.host} (udp ${ports.udp ?? "off"}, tcp ${ports.tcp ?? "off"})`);
  }
  // the nodes file is applied and its checks start once the server answers (results announce live)
  await core.startNetwork();
  const nodesFile = core.nodesFileStatus();
  log.info({ nodesFile }, `nodes file ${nodesFile.file}: ${nodesFile.problems.length ? `not applied (${nodesFile.problems.length} problem(s))` : `${nodesFile.nodes} node(s)`}; ${core.probes.stats().checks} check(s) running`);
  // applied before the first batch (when the core was made); changes apply from now on
  core.watchRulesFile();
  const rulesFile = core.rulesFileStatus();
  if (rulesFile.file) log.info({ rulesFile }, `rules file ${rulesFile.file}: ${rulesFile.problems.length ? `not applied (${rulesFile.problems.length} problem(s)), every rule at its defaults` : `sets ${rulesFile.rules.join(", ") || "nothing"}`}; watched for changes`);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  if (port !== config.port) hosts.current = hostPolicy(port);
  const scheme = config.tls ? "https" : "http";
  log.info({ url: `${scheme}://${config.host}:${port}`, data: handle.file, demo: config.demo }, `listening on ${scheme}://${config.host}:${port}`);
  // webhooks: transitions missed while stopped are read again, then pending deliveries resume
  await core.notify.start();
  log.info({ notify: core.notify.stats() }, `notifications: ${core.notify.stats().pending} deliveries pending`);
  // a full re-verification of the audit chain once a minute after start, on a worker thread
  setTimeout(() => core.access.audit.chain.startFull(), 60_000).unref();
  if (setupToken) {
    const tokenFile = path.join(path.dirname(handle.file), "setup-token");
    log.info({ setupUrl: `${scheme}://localhost:${port}/setup`, setupTokenFile: tokenFile }, `no accounts yet: open ${scheme}://localhost:${port}/setup to create the first admin`);
    log.info({ setupToken, setupTokenFile: tokenFile }, `setup token: ${setupToken} (also in ${tokenFile}; \`npm run vigil -- setup-token\` prints it again)`);
  }

  let stopping = false;
  let notifyStopped: Promise<void> = Promise.resolve();
  const shutdown = (signal: string) => {
    if (stopping) return log.info({ signal }, "already shutting down");
    stopping = true;
    const parts = {
      server,
      inFlight,
      stopProducers: () => {
        simulator?.stop();
        clearInterval(pruner);
        core.stopPrune();
        if (watchdog) clearInterval(watchdog);
        clearInterval(incidentTimers);
        backups?.stop();
        void core.stopSyslog();
        void core.stopNetwork();
        core.stopRulesFile();
        // requests in flight are cut; their rows stay pending and are sent after the next start
        notifyStopped = core.notify.stop();
      },
      closeLive: () => live.close(),
      stopHub: () => core.hub.stop(),
      sqlite: handle.sqlite,
      log,
      drainMs: config.drainMs,
      beforeCheckpoint: async () => {
        await notifyStopped;
        // the hub's last flush handed over incident changes: their deliveries are written now (sent after the next start)
        core.notify.observeQueued();
        await parsePool.stop();
        await checkpointer?.stop();
      },
    };
    void shutDown(parts, signal).then(() => process.exit(0));
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error) => {
  getLogger().fatal(`failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
