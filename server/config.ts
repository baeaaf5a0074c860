import type { Severity } from "../lib/contracts/common";
import { DEFAULT_WARM_ROWS } from "./security/warm";
import path from "node:path";
import { DEFAULT_BODY_LIMIT } from "./ingest/body";
import { isLogLevel, LOG_LEVELS, type LogLevel } from "./ops/logging";
import { DEFAULT_MAX_NODES } from "./ingest/network";
import { parseBackupKey } from "./ops/backup-crypto";
import type { BackupSchedule } from "./ops/backup-scheduler";
import { DEFAULT_REPLAY_CAPACITY } from "./live/hub";
import { DEFAULT_CACHE_MB } from "../db/client";

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
  /** how long node roll-ups are kept, ms: VIGIL_ROLLUP_MINUTE_DAYS, _HOUR_DAYS, _DAY_DAYS */
  rollupRetention: { minute: number; hour: number; day: number };
  /** the URL people use to reach Vigil, when it differs from what the Host header says */
  publicUrl?: string;
  tls?: { certFile: string; keyFile: string };
  /** take the client address from X-Forwarded-For (only behind a proxy you run) */
  trustProxy: boolean;
  /** deltas kept per stream for replay after a reconnect */
  replayCapacity: number;
  /** compress live messages of 1 KB or more (WebSocket permessage-deflate): CPU and memory per connection */
  liveCompression: boolean;
  /** a node silent this long starts failing its checks; 0 turns the watchdog off */
  silenceMs: number;
  /** least severe level written to the JSON log (VIGIL_LOG_LEVEL) */
  logLevel: LogLevel;
  /** on SIGTERM, how long in-flight requests may take to finish (VIGIL_DRAIN_S) */
  drainMs: number;
  /** host names (or name:port, or origins) Vigil answers to besides the public URL's */
  allowedHosts: string[];
  /** nodes a heartbeat may create */
  maxNodes: number;
  /** how far ahead of the server's clock an item's time may be */
  maxSkewMs: number;
  /** VIGIL_BACKUP_KEY: backups (CLI and scheduled) are encrypted when set */
  backupKey?: Buffer;
  /** scheduled backups into VIGIL_BACKUP_DIR; off when unset */
  backup?: BackupSchedule;
  /** IANA zone of log stamps that carry no offset (RFC 3164 syslog, fast.log) */
  logTimeZone: string;
  /** VIGIL_ACK_TIMEOUT ("critical=30m,high=2h"): an acknowledged incident of that severity nobody resolves returns to open */
  ackTimeoutMs: Partial<Record<Severity, number>>;
  /** one webhook request's longest wait for an answer (VIGIL_WEBHOOK_TIMEOUT_S, default 10 s) */
  webhookTimeoutMs: number;
  /** webhook requests in flight at once, all endpoints together (VIGIL_WEBHOOK_CONCURRENCY, default 8) */
  webhookConcurrency: number;
  /** the syslog listener (UDP and TCP on one port); off when VIGIL_SYSLOG_PORT is unset */
  syslog?: { host: string; port: number; udp: boolean; tcp: boolean };
  /** the nodes file (VIGIL_CONFIG, default ./vigil.yaml); a file that is not there defines no nodes */
  nodesFile: string;
  /** the detection rules file (VIGIL_RULES): thresholds and windows; unset: every rule at its defaults */
  rulesFile: string | null;
  /** stored events replayed into the detection windows at start at most (VIGIL_WARM_ROWS; 0: none) */
  warmRows: number;
  /** probes in flight at once (VIGIL_PROBE_CONCURRENCY) */
  probeConcurrency: number;
  /** nodes failing together within the window that make one grouped incident (VIGIL_STORM_NODES, VIGIL_STORM_WINDOW_S) */
  storm: { count: number; windowMs: number };
  /**
   * How long the first page of a node_down is held, counted from its open, so a storm forming from
   * results that arrive one at a time pages once (VIGIL_STORM_WAIT_S, default 30; 0: page at once)
   */
  stormWaitMs: number;
  /** SQLite's page cache of the server's connection, MiB (VIGIL_SQLITE_CACHE_MB) */
  sqliteCacheMb: number;
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
  const liveCompression = env.VIGIL_LIVE_COMPRESSION || "0";
  if (!["0", "1"].includes(liveCompression)) throw new Error(`VIGIL_LIVE_COMPRESSION=${JSON.stringify(liveCompression)}: use 1 or 0`);
  return {
    port: int(env, "PORT", 3000, 0, 65535),
    // loopback until accounts exist: nothing here checks who is calling
    host: env.HOST || "127.0.0.1",
    dataDir: path.resolve(cwd, env.VIGIL_DATA_DIR || "data"),
    demo: demo === "1" || demo === "true",
    demoTickMs: int(env, "VIGIL_DEMO_TICK_MS", 1000, 50, 60_000),
    dev: env.NODE_ENV === "development",
    bodyLimit: int(env, "VIGIL_BODY_LIMIT", DEFAULT_BODY_LIMIT, 1024, 512 * 1024 * 1024),
    retentionDays: int(env, "VIGIL_RETENTION_DAYS", 7, 1, 3650),
    rollupRetention: {
      minute: int(env, "VIGIL_ROLLUP_MINUTE_DAYS", 7, 1, 3650) * 86_400_000,
      hour: int(env, "VIGIL_ROLLUP_HOUR_DAYS", 400, 1, 3650) * 86_400_000,
      day: int(env, "VIGIL_ROLLUP_DAY_DAYS", 1830, 1, 36500) * 86_400_000,
    },
    publicUrl: publicUrl(env.VIGIL_PUBLIC_URL),
    tls: tls(env),
    trustProxy: env.VIGIL_TRUST_PROXY === "1",
    replayCapacity: int(env, "VIGIL_REPLAY_CAPACITY", DEFAULT_REPLAY_CAPACITY, 100, 1_000_000),
    liveCompression: liveCompression === "1",
    silenceMs: int(env, "VIGIL_SILENCE_S", 60, 0, 86_400) * 1000,
    logLevel: logLevel(env.VIGIL_LOG_LEVEL),
    drainMs: int(env, "VIGIL_DRAIN_S", 10, 0, 600) * 1000,
    allowedHosts: allowedHosts(env.VIGIL_ALLOWED_HOSTS),
    maxNodes: int(env, "VIGIL_MAX_NODES", DEFAULT_MAX_NODES, 1, 1_000_000),
    maxSkewMs: int(env, "VIGIL_MAX_SKEW_S", 300, 0, 86_400) * 1000,
    backupKey: parseBackupKey(env.VIGIL_BACKUP_KEY),
    backup: backupSchedule(env, cwd),
    logTimeZone: timeZone(env.VIGIL_LOG_TIMEZONE),
    syslog: syslogListener(env),
    ackTimeoutMs: ackTimeouts(env.VIGIL_ACK_TIMEOUT),
    nodesFile: path.resolve(cwd, env.VIGIL_CONFIG || "vigil.yaml"),
    rulesFile: env.VIGIL_RULES ? path.resolve(cwd, env.VIGIL_RULES) : null,
    warmRows: int(env, "VIGIL_WARM_ROWS", DEFAULT_WARM_ROWS, 0, 10_000_000),
    probeConcurrency: int(env, "VIGIL_PROBE_CONCURRENCY", 64, 1, 10_000),
    storm: { count: int(env, "VIGIL_STORM_NODES", 5, 2, 1_000_000), windowMs: int(env, "VIGIL_STORM_WINDOW_S", 60, 1, 3600) * 1000 },
    stormWaitMs: int(env, "VIGIL_STORM_WAIT_S", 30, 0, 600) * 1000,
    webhookTimeoutMs: int(env, "VIGIL_WEBHOOK_TIMEOUT_S", 10, 1, 120) * 1000,
    webhookConcurrency: int(env, "VIGIL_WEBHOOK_CONCURRENCY", 8, 1, 64),
    sqliteCacheMb: int(env, "VIGIL_SQLITE_CACHE_MB", DEFAULT_CACHE_MB, 2, 65_536),
  };
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "critical=30m,high=2h" → ms per severity; a bad entry names itself. */
export function ackTimeouts(raw: string | undefined): Partial<Record<Severity, number>> {
  const out: Partial<Record<Severity, number>> = {};
  if (!raw) return out;
  for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^(critical|high|medium|low|info)=(\d{1,6})(s|m|h|d)$/.exec(part);
    if (!m) throw new Error(`VIGIL_ACK_TIMEOUT: ${JSON.stringify(part)} is not severity=duration (e.g. critical=30m, high=2h)`);
    out[m[1] as Severity] = Number(m[2]) * DURATION_UNITS[m[3]];
  }
  return out;
}

function timeZone(raw: string | undefined): string {
  if (!raw) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: raw });
  } catch {
    throw new Error(`VIGIL_LOG_TIMEZONE=${JSON.stringify(raw)} is not an IANA time zone (e.g. UTC, Europe/Berlin)`);
  }
  return raw;
}

function syslogListener(env: NodeJS.ProcessEnv): VigilConfig["syslog"] {
  if (!env.VIGIL_SYSLOG_PORT) return undefined;
  const port = int(env, "VIGIL_SYSLOG_PORT", 0, 1, 65535);
  const transports = (env.VIGIL_SYSLOG_TRANSPORTS || "udp,tcp").split(",").map((t) => t.trim().toLowerCase());
  for (const t of transports) if (t !== "udp" && t !== "tcp") throw new Error(`VIGIL_SYSLOG_TRANSPORTS=${JSON.stringify(env.VIGIL_SYSLOG_TRANSPORTS)}: use udp, tcp or udp,tcp`);
  // the listener has no authentication: loopback unless told otherwise
  return { host: env.VIGIL_SYSLOG_HOST || "127.0.0.1", port, udp: transports.includes("udp"), tcp: transports.includes("tcp") };
}

function backupSchedule(env: NodeJS.ProcessEnv, cwd: string): BackupSchedule | undefined {
  // checked even when scheduling is off, so a typo is not found only once it is turned on
  const intervalMs = int(env, "VIGIL_BACKUP_INTERVAL_H", 24, 1, 8760) * 3_600_000;
  const keep = int(env, "VIGIL_BACKUP_KEEP", 7, 1, 10_000);
  return env.VIGIL_BACKUP_DIR ? { dir: path.resolve(cwd, env.VIGIL_BACKUP_DIR), intervalMs, keep } : undefined;
}

function allowedHosts(raw: string | undefined): string[] {
  const entries = (raw ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  for (const entry of entries) {
    const ok = /^https?:\/\/[^/]+\/?$/i.test(entry) || /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(entry);
    if (!ok) throw new Error(`VIGIL_ALLOWED_HOSTS: ${JSON.stringify(entry)} is not a host name, name:port or http(s) origin`);
  }
  return entries;
}

function logLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === "") return "info";
  if (!isLogLevel(raw)) throw new Error(`VIGIL_LOG_LEVEL=${JSON.stringify(raw)}: use one of ${LOG_LEVELS.join(", ")}`);
  return raw;
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
    return url.origin;
  } catch {
    throw new Error(`VIGIL_PUBLIC_URL=${JSON.stringify(raw)} is not an http(s) URL`);
  }
}

function tls(env: NodeJS.ProcessEnv): VigilConfig["tls"] {
  const { TLS_CERT: certFile, TLS_KEY: keyFile } = env;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error("set both TLS_CERT and TLS_KEY (PEM files), or neither");
  return { certFile, keyFile };
}
