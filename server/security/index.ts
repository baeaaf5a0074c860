import type Database from "better-sqlite3";
import { eventInputSchema, type NormalizedEvent } from "../../lib/contracts/events";
import type { Clock } from "../clock";
import type { Hub } from "../live/hub";
import type { IncidentService } from "../incidents/service";
import { validateBatch, type IngestResult, type Rejection, type TimeWindow } from "../ingest/validate";
import { DetectionEngine } from "./detections/engine";
import { RuleSet, type RuleSettings, type RulesConfig } from "./detections/rules";
import { formatProblem, type ConfigProblem } from "../network/config";
import { RulesFile, type RulesFileOptions } from "./rules-file";
import { DEFAULT_WARM_ROWS, warmRules } from "./warm";
import { SecurityStore, type NumberedOutcome } from "./ingest";
import type { ParseContext, ParsedEvent, RuleState } from "./types";
import { maskCardNumbers, maskDeep } from "./masking";
import { parseUpload, type NativeFormat } from "./formats";
import { parseSyslogLine } from "./parsers/syslog";
import type { LogIngestResult } from "./result";
import type { ParsePool } from "./parse-pool";
import type { TallySums } from "../../db/queries/tally-sums";

/** What a request says of its upload's lines beside its body. */
export interface UploadOptions {
  /** /ingest/fast's ?fields=: the field list of its Snort 3 alert_csv lines */
  fields?: string;
}

export interface SecurityOptions {
  window: TimeWindow;
  /** thresholds set in code (tests); a rules file, when given and valid, replaces them */
  rules?: RulesConfig;
  /** the rules file (VIGIL_RULES), read before the first batch; null or unset for none */
  rulesFile?: string | null;
  /** how the rules file is watched (default: fs.watch on its folder; false: not at all) */
  watchRules?: RulesFileOptions["watch"];
  log?: RulesFileOptions["log"];
  /** IANA zone of log stamps that carry no offset (RFC 3164, fast.log); default UTC (VIGIL_LOG_TIMEZONE) */
  timeZone?: string;
  /** parses uploads on another thread for parseUploadAsync (the server's); without it they are parsed in place */
  parsePool?: ParsePool;
  /** the in-memory tally sums of the pane's top and groupings (db/queries/tally-sums.ts) */
  tallySums?: TallySums;
  /** stored events replayed into the detection windows at start at most (VIGIL_WARM_ROWS; 0: none) */
  warmRows?: number;
}

/**
 * The security domain: native and JSON ingest, storage with dedup, and the detections. Made from
 * (sqlite, clock, hub, incidents, options); server/core.ts only wires it.
 */
export function createSecurity(sqlite: Database.Database, clock: Clock, hub: Hub, incidents: IncidentService, options: SecurityOptions) {
  const rules = new RuleSet(options.rules);
  const engine = new DetectionEngine(rules.events, rules.flows);
  const rulesFile = new RulesFile(
    options.rulesFile ?? null,
    (config) => {
      const rebuilt = rules.update(config);
      engine.replace(rules.events, rules.flows);
      return rebuilt;
    },
    { watch: options.watchRules, log: options.log, now: () => clock.now() },
  );
  // before the first batch: no event is judged by the defaults the operator meant to change
  rulesFile.reload();
  // then the windows are warmed from the stored events, so a burst split by a restart still fires
  const warmRows = options.warmRows ?? DEFAULT_WARM_ROWS;
  // (the server logs what it replayed: warmMessage)
  const warm = warmRules(sqlite, rules.events, clock.now(), warmRows);
  const store = new SecurityStore(sqlite, hub, incidents, engine, clock, options.window, options.tallySums);

  /** POST /api/v1/events: Vigil's own JSON items, answered by index. */
  const ingestJson = (items: readonly unknown[], source: string, malformed: readonly Rejection[] = []): IngestResult => {
    const { valid, rejected } = validateBatch(items, eventInputSchema, malformed, (value) => (value.time === undefined ? null : store.timeError(value.time)));
    if (valid.length === 0) return rejected.result(0);
    const now = clock.now();
    const batch = store.store(
      valid.map((v) => fromJson(v.value, now)),
      valid.map((v) => v.index),
      source,
    );
    // a JSON item has no fingerprint, so none is a duplicate
    return rejected.result(batch.stored.length);
  };

  /** `upload`: what the request said of its lines (/ingest/fast's ?fields=: Snort 3 alert_csv's field list) */
  const context = (upload: UploadOptions = {}): ParseContext => ({ now: clock.now(), timeZone: options.timeZone ?? "UTC", ...(upload.fields !== undefined ? { snort3CsvFields: upload.fields } : {}) });

  /** POST /api/v1/ingest/{suricata,fast,syslog,transactions}: one upload, answered line by line. */
  const ingestUpload = (format: NativeFormat, bytes: Uint8Array, contentType: string | null, source: string = format, upload: UploadOptions = {}): LogIngestResult =>
    store.ingestOutcomes(parseUpload(format, bytes, contentType, context(upload)), source);

  /**
   * An upload's lines → outcomes, on the parse pool's thread when there is one: the HTTP routes
   * parse here and then store with `storeOutcomes`, so the event loop parses no upload.
   */
  const parseUploadAsync = async (format: NativeFormat, bytes: Uint8Array, contentType: string | null, upload: UploadOptions = {}) =>
    options.parsePool ? options.parsePool.parse(format, bytes, contentType, context(upload)) : parseUpload(format, bytes, contentType, context(upload));

  /** Stores an upload's outcomes (from parseUploadAsync), answered line by line. */
  const storeOutcomes = (outcomes: readonly NumberedOutcome[], source: string): LogIngestResult => store.ingestOutcomes(outcomes, source);

  /** The syslog listener's batches (one sender's lines). */
  const ingestSyslogLines = (lines: readonly string[], source: string): LogIngestResult => {
    const ctx = context();
    return store.ingestOutcomes(
      lines.map((text, i) => ({ line: i + 1, outcome: parseSyslogLine(text, ctx) })),
      source,
    );
  };

  /** GET /api/v1/security/rules: the thresholds in force per rule, and the rules file's state. */
  const rulesStatus = (): RulesStatus => {
    const file = rulesFile.status();
    return {
      file: file.file,
      applied_at: file.applied_at,
      checked_at: file.checked_at,
      last_read_failed: file.problems.length > 0,
      problems: file.problems.map((p) => ({ ...p, text: formatProblem(p) })),
      set_in_file: file.rules,
      rebuilt: file.rebuilt,
      rules: rules.settings(),
      state: rules.state(),
    };
  };

  return { store, engine, rules, rulesFile, rulesStatus, warm, ingestJson, ingestUpload, parseUploadAsync, storeOutcomes, ingestSyslogLines };
}

export type Security = ReturnType<typeof createSecurity>;

/** The answer of GET /api/v1/security/rules (README "HTTP API"). */
export interface RulesStatus {
  /** the rules file (absolute), or null when VIGIL_RULES is unset */
  file: string | null;
  /** when the file was last applied (loaded) */
  applied_at: number | null;
  /** when it was last read, applied or not */
  checked_at: number | null;
  /** the last read was not applied: the rules run with the defaults or the last file that applied */
  last_read_failed: boolean;
  /** why, each as file, line, column and reason, and as the log writes it (`file:line:col: reason`) */
  problems: (ConfigProblem & { text: string })[];
  /** the rules the applied file sets; the others run at their defaults */
  set_in_file: string[];
  /** the rules the last apply rebuilt (their windows started empty) */
  rebuilt: string[];
  /** every rule's settings in force, in the file's words */
  rules: Record<string, RuleSettings>;
  /** per windowed rule: keys, entries and connections held, and what the caps made it drop since start */
  state: Record<string, RuleState>;
}

function fromJson(e: NormalizedEvent, receivedAt: number): ParsedEvent {
  return {
    time: e.time ?? receivedAt,
    kind: e.kind,
    severity: e.severity,
    service: e.service?.toLowerCase() ?? null,
    src_ip: e.src_ip ?? null,
    src_host: e.src_host?.toLowerCase() ?? null,
    src_port: e.src_port ?? null,
    dst_ip: e.dst_ip ?? null,
    dst_port: e.dst_port ?? null,
    proto: null,
    // card numbers are masked before anything is stored or sent, in JSON items as in log lines
    user: e.user === undefined ? null : maskCardNumbers(e.user),
    signature: e.signature === undefined ? null : maskCardNumbers(e.signature),
    message: e.message === undefined ? null : maskCardNumbers(e.message),
    attributes: e.attributes ? maskDeep(e.attributes) : null,
    occurrences: 1,
    fingerprint: "",
    raw: "",
  };
}
