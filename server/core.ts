import type { DatabaseHandle } from "../db/client";
import { prepareWriter } from "../db/statements";
import { getNodeDetail, listNodesPage, listNodesWithChecks, networkSummary, toNodeView } from "../db/queries/network";
import { countMatchingEvents, eventRate, getEventDetail, pageEvents, severityCounts } from "../db/queries/security";
import { groupEvents } from "../db/queries/security-groups";
import { topEvents } from "../db/queries/security-top";
import { TallySums } from "../db/queries/tally-sums";
import { activeIncidentGroups, countIncidents, getIncident, getTimeline, maxIncidentId, pageIncidents } from "../db/queries/incidents";
import { RATE_WINDOW_MINUTES, type EventDetailAnswer, type EventGroupsPage, type EventGroupsQuery, type EventQuery, type EventsPage, type SecuritySnapshot, type SecurityTop, type TopQuery } from "../lib/contracts/events";
import {
  countsOfGroups,
  type BulkInput,
  type BulkResult,
  type Incident,
  type IncidentActionInput,
  type IncidentFilter,
  type IncidentQuery,
  type IncidentsSnapshot,
  type ResolutionReason,
  type IncidentDetailAnswer,
  type ResponsePlan,
  type ResponsePlanInput,
  type Silence,
  type SilenceMatcher,
} from "../lib/contracts/incidents";
import type { LifecycleAction } from "./incidents/lifecycle";
import { responseStats } from "../db/queries/incident-stats";
import { ResponseWork } from "./incidents/plans";
import { incidentExportStream } from "./incidents/export";
import { Silences } from "./incidents/silences";
import type { Severity } from "../lib/contracts/common";
import type { NetworkSnapshot, NetworkSummary, NetworkSummaryQuery, NodeDetail, NodeDetailQuery, NodeQuery, NodesPage } from "../lib/contracts/network";
import type { Stream } from "../lib/contracts/live";
import { systemClock, type Clock } from "./clock";
import { Hub } from "./live/hub";
import { IncidentService, type ActionResult } from "./incidents/service";
import { createSecurity, type UploadOptions } from "./security";
import type { NativeFormat } from "./security/formats";
import type { LogIngestResult } from "./security/result";
import type { ParsePool } from "./security/parse-pool";
import { SyslogListener, type SyslogListenerOptions } from "./security/syslog-listener";
import { NetworkIngest, type NodeDefinition } from "./ingest/network";
import { DEFAULT_TIME_WINDOW, type IngestResult, type Rejection } from "./ingest/validate";
import { DEFAULT_BODY_LIMIT } from "./ingest/body";
import type { RulesConfig } from "./security/detections/rules";
import type { RulesFileStatus } from "./security/rules-file";
import { getIncident as findIncident } from "../db/queries/incidents";
import { createAccess, type AccessOptions } from "./auth/access";
import { can, type Identity } from "./auth/actor";
import { incidentPermission } from "./auth/permissions";
import { buildHostPolicy } from "./origin";
import { createMetrics } from "./ops/metrics";
import { createReadiness } from "./ops/health";
import { RetentionPruner, type PruneReport, type RetentionOptions } from "./ops/retention";
import { getLogger } from "./ops/logging";
import { NetworkService, type NetworkServiceOptions } from "./network/service";
import { NodeManager, type NodeChangeActor, type NodeResult } from "./network/manage";
import { DEFAULT_ROLLUP_RETENTION, NetworkFigures, type RollupRetention } from "./network/figures";
import { SlaReports } from "./network/sla-report";
import type { LatencyAnswer, LatencyQuery, OutagesPage, OutagesQuery, SlaQuery, UptimeAnswer, UptimeQuery } from "../lib/contracts/figures";
import { NodesFile, type NodesFileOptions, type NodesFileStatus } from "./network/nodes-file";
import { toYaml, type ConfigWatch } from "./network/config";
import { definitionOf, probeSummary, pushTokenHash } from "./network/model";
import type { NodeInput, NodePatch } from "./network/definition";
import type { PushInput } from "./network/checks/push";
import { createNotify, type NotifyOptions } from "./incidents/notify";

export interface CoreOptions {
  clock?: Clock;
  hub?: Hub;
  /** thresholds of the security detections (defaults in server/security/detections/) */
  rules?: RulesConfig;
  /** the rules file (VIGIL_RULES; null for none) and how it is watched (false: not at all) */
  rulesFile?: string | null;
  watchRules?: ConfigWatch | false;
  /** stored events replayed into the detection windows at start at most (VIGIL_WARM_ROWS, default 200,000; 0: none) */
  warmRows?: number;
  failuresToDown?: number;
  /** raw rows older than this are pruned; rollups are kept 90 days */
  retentionDays?: number;
  /** how long node roll-ups are kept per resolution, ms (VIGIL_ROLLUP_*_DAYS; default 7 d / 400 d / 1,830 d) */
  rollupRetention?: Partial<RollupRetention>;
  /** batch size and pacing of the retention prune (see server/ops/retention.ts) */
  retention?: Omit<RetentionOptions, "retentionMs">;
  /** largest request body the HTTP API reads, bytes */
  bodyLimit?: number;
  /** how far ahead of the server's clock an item's time may be, ms (VIGIL_MAX_SKEW_S) */
  maxSkewMs?: number;
  /** IANA zone of log stamps without an offset (VIGIL_LOG_TIMEZONE, default UTC) */
  logTimeZone?: string;
  /** parses native uploads of the HTTP routes on a worker thread (the server's); without it they are parsed in place */
  parsePool?: ParsePool;
  /** nodes a heartbeat may create (VIGIL_MAX_NODES) */
  maxNodes?: number;
  access: AccessOptions;
  /** Node's own metrics (event-loop lag, heap) on GET /metrics; once per process, so only the server sets it */
  processMetrics?: boolean;
  /** an acknowledged incident of this severity nobody resolves within this many ms returns to open (VIGIL_ACK_TIMEOUT) */
  ackTimeoutMs?: Partial<Record<Severity, number>>;
  /** the committed migrations, for the readiness check (default: db/migrations beside the sources) */
  migrationsFolder?: string;
  /** the network service: probe timers and concurrency, storms, and the nodes file (VIGIL_CONFIG; null for none) */
  network?: NetworkServiceOptions & { configFile?: string | null; watchConfig?: ConfigWatch | false; parseConfig?: NodesFileOptions["parse"] };
  /** webhook delivery (timeout, concurrency, retries, timers); links use `publicUrl`, else access.publicUrl, else the first own origin */
  notify?: Partial<Omit<NotifyOptions, "publicUrl">> & { publicUrl?: string };
}


/**
 * The domain core, one per process: every adapter (route handler, socket handler, simulator,
 * CLI) calls these methods and nothing else writes rows or announces deltas.
 */
const MINUTE = 60_000;

export function createCore(handle: DatabaseHandle, options: CoreOptions) {
  const clock = options.clock ?? systemClock;
  const hub = options.hub ?? new Hub();
  const { db, sqlite } = handle;
  const writer = prepareWriter(sqlite);
  // a tag matcher reads the node's tags from the network service (made further down)
  let nodeTags: (key: string) => Record<string, string> | null = () => null;
  const silences = new Silences(sqlite, () => clock.now(), (d) => (d.pane === "network" ? nodeTags(d.entity) : null));
  const incidentService = new IncidentService(db, clock, silences);
  const retentionMs = (options.retentionDays ?? 7) * 86_400_000;
  const rollupRetention: RollupRetention = { ...DEFAULT_ROLLUP_RETENTION, ...options.rollupRetention };
  // per-key sums of the tallies for top and groupings: pruned hour tallies change what they sum
  const tallySums = new TallySums(sqlite);
  const pruner = new RetentionPruner(sqlite, clock, { ...options.retention, retentionMs, networkRollups: rollupRetention, onTalliesPruned: (cutoff) => tallySums.forgetBefore(cutoff) });
  const figures = new NetworkFigures(sqlite, clock, rollupRetention);
  const slaReports = new SlaReports(sqlite, clock, figures);
  const window = { retentionMs, skewMs: options.maxSkewMs ?? DEFAULT_TIME_WINDOW.skewMs };
  const netLog: NetworkServiceOptions["log"] = (level, message, detail) => getLogger()[level](detail ?? {}, message);
  const security = createSecurity(sqlite, clock, hub, incidentService, {
    window,
    rules: options.rules,
    rulesFile: options.rulesFile,
    watchRules: options.watchRules,
    warmRows: options.warmRows,
    log: netLog,
    timeZone: options.logTimeZone,
    parsePool: options.parsePool,
    tallySums,
  });
  let syslog: { listener: SyslogListener; ports: { udp: number | null; tcp: number | null } } | null = null;
  const probes = new NetworkService(db, sqlite, clock, hub, incidentService, { log: netLog, figures: figures.store, ...options.network });
  nodeTags = (key) => probes.store.byKey(key)?.tags ?? null;
  const network = new NetworkIngest(db, sqlite, writer, hub, incidentService, clock, { failuresToDown: options.failuresToDown, maxNodes: options.maxNodes, window, delegate: probes, figures: figures.store, storm: options.network?.storm });
  // eslint-disable-next-line prefer-const -- the manager's locator reads the file object made after it
  let nodesFile: NodesFile;
  const nodeManager = new NodeManager(probes, probes.store, sqlite, (key) => nodesFile.locate(key), (key, id) => network.forget(key, id), undefined, () => clock.now());

  const hosts = options.access.hosts ?? { current: buildHostPolicy({ publicUrl: options.access.publicUrl, bindHost: "127.0.0.1", port: 3000, tls: false }) };
  const access = createAccess(db, sqlite, clock, (items) => security.ingestJson(items, "vigil"), { ...options.access, hosts });
  const metrics = createMetrics({ sqlite, file: handle.file, processMetrics: options.processMetrics, detections: () => security.rules.state() });

  // --- nodes and checks: the file, the API, the running service ---
  const configFile = options.network?.configFile ?? null;
  const fileActor: NodeChangeActor = {
    name: `config:${configFile}`,
    audit: (e) => access.audit.append({ actor: `config:${configFile}`, action: e.action, target: e.target, before: e.before, after: e.after }),
  };
  nodesFile = new NodesFile(configFile, nodeManager, probes.store, fileActor, { watch: options.network?.watchConfig, parse: options.network?.parseConfig, log: netLog, now: () => clock.now() });
  for (const problem of nodeManager.loadStored()) netLog("warn", problem);
  /** A person's or key's change to nodes: nodes:manage, audited in the same transaction, announced. */
  const nodeActor = (who: Identity): NodeChangeActor => ({
    name: who.name,
    audit: (e) => access.audit.append({ actor: who.name, action: e.action, target: e.target, sourceIp: who.sourceIp, before: e.before, after: e.after }),
  });
  const manageNodes = <T,>(who: Identity, run: (actor: NodeChangeActor) => NodeResult<T>): NodeResult<T> => {
    if (!can(who, "nodes:manage")) return { ok: false, code: "forbidden", message: `${who.name} (${who.kind === "key" ? "API key" : who.role}) may not manage nodes` };
    return run(nodeActor(who));
  };
  const announceNode = <T extends { node: { id: number } }>(r: NodeResult<T>) => {
    if (r.ok) {
      const row = probes.store.byId(r.value.node.id);
      if (row) hub.publish("network", [{ type: "node", node: toNodeView(row) }]);
    }
    return r;
  };
  // webhooks and escalation read incident transitions from the hub's flushes, never from the ingest path
  const notify = createNotify(
    // an incident whose nodes are all paused (someone knows) is not escalated further until one, resumed, fails again
    { db, sqlite, clock, hub, audit: access.audit, held: (incident) => incident.pane === "network" && (probes.escalationHeld(incident) || network.escalationHeld(incident)) },
    {
      ...options.notify,
      publicUrl: () => options.notify?.publicUrl ?? options.access.publicUrl ?? [...hosts.current.origins][0] ?? "http://localhost:3000",
      onError: options.notify?.onError ?? ((error) => getLogger().error({ err: error }, "notifications: a step failed (the rows stay; it is tried again)")),
    },
  );

  const ackTimeoutMs = options.ackTimeoutMs ?? {};
  const plans = new ResponseWork(sqlite);
  const AUDIT_ACTION: Record<LifecycleAction["action"], string> = {
    acknowledge: "incident_acknowledged",
    resolve: "incident_resolved",
    reopen: "incident_reopened",
    assign: "incident_assigned",
    snooze: "incident_snoozed",
    note: "incident_note",
    severity: "incident_severity",
  };
  const forbidden = (who: Identity, pane: string) => `${who.name} (${who.kind === "key" ? "API key" : who.role}) may not act on ${pane} incidents`;

  /** A person's or key's action on one incident: permission by pane, audited in the same transaction, announced live. */
  const change = (id: number, action: LifecycleAction, who: Identity, input: IncidentActionInput & { override?: string } = {}): ActionResult => {
    const current = findIncident(db, id);
    if (!current) return { ok: false, code: "not_found", message: `incident ${id} not found` };
    if (!can(who, incidentPermission(current.pane))) return { ok: false, code: "forbidden", message: forbidden(who, current.pane) };
    const result = sqlite.transaction((): ActionResult => {
      const gate = checklistGate(current, action, input.override);
      if (gate) return { ok: false, code: "conflict", message: gate, incident: current };
      if (action.action === "resolve" && input.override) input = { ...input, note: `${input.note ? `${input.note} ` : ""}(required steps overridden: ${input.override})` };
      const r = incidentService.work.apply(id, action, who.name, clock.now(), input);
      if (!r.ok) return { ok: false, code: r.code, message: r.message, incident: r.incident };
      if (r.changed) {
        access.audit.append({
          actor: who.name,
          action: AUDIT_ACTION[action.action],
          target: `incident ${id}: ${current.title}`,
          sourceIp: who.sourceIp,
          before: { status: current.status, version: current.version, assignee: current.assignee, severity: current.severity },
          after: { status: r.incident.status, version: r.incident.version, assignee: r.incident.assignee, severity: r.incident.severity, ...(input.note ? { note: input.note } : {}) },
        });
      }
      return { ok: true, incident: r.incident, changed: r.changed };
    })();
    if (result.ok && result.changed) hub.publish("incidents", [{ type: "incident", incident: result.incident }]);
    return result;
  };
  /**
   * Resolving as "fixed" (the default reason) while the incident's checklist has required steps
   * open is refused, naming them, unless an override reason is given.
   */
  const checklistGate = (current: Incident, action: LifecycleAction, override: string | undefined): string | null => {
    if (action.action !== "resolve" || (action.reason ?? "fixed") !== "fixed" || current.status === "resolved" || override) return null;
    const open = plans.openRequired(current);
    if (open.length === 0) return null;
    return `incident ${current.id} has ${open.length} required step${open.length === 1 ? "" : "s"} not done (${open.map((i) => `"${i.text}"`).join(", ")}): tick them, resolve with another reason, or give an override reason`;
  };
  /** Whether `who` may act on incident `id` (its pane's permission), or why not. */
  const incidentAccess = (id: number, who: Identity): { code: "not_found" | "forbidden"; message: string } | null => {
    const current = incidentService.work.get(id);
    if (!current) return { code: "not_found", message: `incident ${id} not found` };
    return can(who, incidentPermission(current.pane)) ? null : { code: "forbidden", message: forbidden(who, current.pane) };
  };
  const act = (kind: "acknowledge" | "resolve") => (id: number, who: Identity, input: IncidentActionInput & { reason?: ResolutionReason } = {}): ActionResult =>
    change(id, kind === "acknowledge" ? { action: "acknowledge" } : { action: "resolve", reason: input.reason }, who, input);

  /**
   * POST /api/v1/incidents/bulk: one action on the ids given or every incident the filter matches,
   * in one transaction; each incident is checked on its own (pane permission, state) and a failure
   * names the incident and the reason. One audit entry records the whole action with its ids.
   */
  const bulk = (input: BulkInput, who: Identity): BulkResult | { forbidden: string } => {
    // a filter that names a pane asks for that pane's permission outright
    if (input.filter?.pane && !can(who, incidentPermission(input.filter.pane))) return { forbidden: forbidden(who, input.filter.pane) };
    const now = clock.now();
    const action: LifecycleAction =
      input.action === "assign"
        ? { action: "assign", assignee: input.assignee ?? null }
        : input.action === "snooze"
          ? { action: "snooze", until: input.until! }
          : input.action === "resolve"
            ? { action: "resolve", reason: input.reason }
            : { action: input.action };
    const changed: Incident[] = [];
    // matched before the transaction opens, so free text goes through the in-memory index as the
    // list's does; nothing runs between this and the transaction (one thread, no await)
    const ids = input.ids ? [...new Set(input.ids)] : incidentService.work.matching(input.filter!);
    const result = sqlite.transaction((): BulkResult => {
      const failed: BulkResult["failed"] = [];
      let succeeded = 0;
      const allowed = { network: can(who, incidentPermission("network")), security: can(who, incidentPermission("security")) };
      for (const id of ids) {
        const current = incidentService.work.get(id);
        if (!current) {
          failed.push({ id, reason: `incident ${id} not found` });
          continue;
        }
        if (!allowed[current.pane]) {
          failed.push({ id, reason: forbidden(who, current.pane) });
          continue;
        }
        const gate = checklistGate(current, action, input.override);
        if (gate) {
          failed.push({ id, reason: gate });
          continue;
        }
        const note = action.action === "resolve" && input.override ? `${input.note ? `${input.note} ` : ""}(required steps overridden: ${input.override})` : input.note;
        const r = incidentService.work.apply(id, action, who.name, now, { note });
        if (!r.ok) {
          failed.push({ id, reason: r.message });
          continue;
        }
        succeeded++;
        if (r.changed) changed.push(r.incident);
      }
      if (changed.length > 0) {
        access.audit.append({
          actor: who.name,
          action: `incidents_bulk_${input.action}`,
          target: `${changed.length} incident${changed.length === 1 ? "" : "s"}${input.filter ? " matching a filter" : ""}`,
          sourceIp: who.sourceIp,
          before: input.filter ? { filter: input.filter } : null,
          after: { ids: changed.map((i) => i.id), ...(input.note ? { note: input.note } : {}), ...(input.assignee !== undefined ? { assignee: input.assignee } : {}), ...(input.until ? { until: input.until } : {}) },
        });
      }
      return { matched: ids.length, succeeded, failed };
    })();
    // announced after the commit, in slices so no one frame of a browser carries 10,000 rows
    for (let i = 0; i < changed.length; i += 1000) hub.publish("incidents", changed.slice(i, i + 1000).map((incident) => ({ type: "incident" as const, incident })));
    return result;
  };

  /** Snoozes that ended and acknowledgements past their severity's timeout return to open (on a timer). */
  const sweepIncidentTimers = (): Incident[] => {
    const changed = sqlite.transaction(() => incidentService.work.sweepTimers(clock.now(), ackTimeoutMs))();
    if (changed.length) hub.publish("incidents", changed.map((incident) => ({ type: "incident" as const, incident })));
    return changed;
  };

  return {
    clock,
    hub,
    handle,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    /** the names Vigil answers to and the origins of its own pages (server/origin.ts) */
    hosts,
    /** POST /api/v1/events and every security source */
    ingestEvents: (items: readonly unknown[], source: string, malformed?: readonly Rejection[]): IngestResult =>
      metrics.timeIngest("events", source, () => security.ingestJson(items, source, malformed)),
    /** A log upload, answered line by line, parsed and stored on this thread (tests, benches, the CLI). */
    ingestLog: (format: NativeFormat, bytes: Uint8Array, contentType: string | null, upload: UploadOptions = {}): LogIngestResult =>
      metrics.timeIngest(format, "api", () => security.ingestUpload(format, bytes, contentType, format, upload)),
    /**
     * POST /api/v1/ingest/{suricata,fast,syslog,transactions}: the same, parsed on the parse worker
     * when the server runs one (options.parsePool), then stored and committed here before it answers.
     */
    ingestLogAsync: async (format: NativeFormat, bytes: Uint8Array, contentType: string | null, upload: UploadOptions = {}): Promise<LogIngestResult> => {
      let outcomes: Awaited<ReturnType<typeof security.parseUploadAsync>>;
      try {
        outcomes = await security.parseUploadAsync(format, bytes, contentType, upload);
      } catch (error) {
        // counted as a failed ingest, as when parsing in place
        return metrics.timeIngest(format, "api", () => {
          throw error;
        });
      }
      return metrics.timeIngest(format, "api", () => security.storeOutcomes(outcomes, format));
    },
    /** Starts the syslog listener (VIGIL_SYSLOG_PORT); its batches go through the same ingest as POST /api/v1/ingest/syslog. */
    startSyslog: async (opts: SyslogListenerOptions) => {
      const listener = new SyslogListener(
        (lines, _sender, transport) => metrics.timeIngest("syslog", `listener-${transport}`, () => security.ingestSyslogLines(lines, `syslog-${transport}`)),
        () => clock.now(),
        opts,
      );
      syslog = { listener, ports: await listener.start() };
      return syslog.ports;
    },
    stopSyslog: async () => {
      await syslog?.listener.stop();
      syslog = null;
    },
    /** GET /api/v1/ingest/syslog: whether the listener runs, on which ports, and what each sender sent */
    syslogStatus: () => ({ listening: syslog !== null, udp_port: syslog?.ports.udp ?? null, tcp_port: syslog?.ports.tcp ?? null, senders: syslog?.listener.stats() ?? [] }),
    /** POST /api/v1/heartbeats, probes and the simulator */
    ingestHeartbeats: (items: readonly unknown[], source: string, malformed?: readonly Rejection[]): IngestResult =>
      metrics.timeIngest("heartbeats", source, () => network.ingest(items, source, malformed)),
    registerNodes: (defs: readonly NodeDefinition[]) => network.register(defs),

    /** The network service: config/API nodes' checks run here (started after the server listens). */
    probes,
    /** Applies the nodes file and starts the checks and the file watcher. */
    startNetwork: async () => {
      probes.start();
      await nodesFile.start();
    },
    stopNetwork: async () => {
      nodesFile.stop();
      await probes.stop();
    },
    /** The rules file (VIGIL_RULES): applied when the core was made; watched from here on */
    watchRulesFile: () => security.rulesFile.watch(),
    stopRulesFile: () => security.rulesFile.stop(),
    /** Reads and applies the rules file now (the watcher does this on a change). */
    reloadRulesFile: (): RulesFileStatus => security.rulesFile.reload(),
    rulesFileStatus: (): RulesFileStatus => security.rulesFile.status(),
    /** GET /api/v1/security/rules: thresholds in force per rule, and the rules file's state */
    rulesStatus: () => security.rulesStatus(),
    /** what the start replayed into the detection windows (server/security/warm.ts) */
    warmReport: () => security.warm,
    /** Reads and applies the nodes file now (the watcher does this on a change). */
    reloadNodesFile: (): Promise<NodesFileStatus> => nodesFile.reload(),
    /** GET /api/v1/network/config: the nodes file and why its last read was not applied */
    nodesFileStatus: (): NodesFileStatus => nodesFile.status(),
    /** POST /api/v1/nodes */
    createNode: (input: NodeInput, who: Identity) => announceNode(manageNodes(who, (actor) => nodeManager.create(input, actor))),
    /** PATCH /api/v1/nodes/:id */
    updateNode: (ref: number | string, patch: NodePatch, who: Identity) => announceNode(manageNodes(who, (actor) => nodeManager.update(ref, patch, actor))),
    /** DELETE /api/v1/nodes/:id */
    deleteNode: (ref: number | string, who: Identity) => {
      const r = manageNodes(who, (actor) => nodeManager.remove(ref, actor));
      if (r.ok) hub.publish("network", [{ type: "node_removed", node_id: r.value.id }]);
      return r;
    },
    /** POST /api/v1/nodes/:id/pause and /resume */
    pauseNode: (ref: number | string, paused: boolean, who: Identity) => manageNodes(who, (actor) => nodeManager.setPaused(ref, paused, actor)),
    /** GET /api/v1/nodes/export: every node as a nodes file */
    exportNodes: (): string => {
      const rows = probes.store.allNodes();
      const keys = new Map(rows.map((r) => [r.id, r.key]));
      return toYaml(
        rows.map((r) => ({ definition: definitionOf(r, r.parentId === null ? null : (keys.get(r.parentId) ?? null), probes.store.checksOf(r.id)), source: r.source, paused: r.paused })),
        clock.now(),
      );
    },
    /** POST|GET /api/v1/push/:token: a push check's call; null for an unknown token */
    recordPush: (token: string, input?: PushInput) => probes.recordPush(pushTokenHash(token), input),
    /** Records failed checks for nodes silent longer than `silenceMs` (see NetworkIngest.sweepSilent). */
    sweepSilentNodes: (silenceMs: number) => network.sweepSilent(silenceMs),

    access,
    acknowledgeIncident: act("acknowledge"),
    resolveIncident: act("resolve"),
    /** any lifecycle action on one incident (reopen, assign, snooze, note, severity …) */
    changeIncident: change,
    incidentAccess,
    bulkIncidents: bulk,
    sweepIncidentTimers,
    /** webhooks, delivery history and escalation (server/incidents/notify) */
    notify,

    // Snapshots read the head sequence before the rows: every delta at or below it is committed,
    // and any newer one the snapshot happens to include is dropped by the client's seq filter.
    networkSnapshot: (): NetworkSnapshot => ({ ...position(hub, "network"), nodes: listNodesWithChecks(db) }),
    /** GET /api/v1/nodes: one page, with the true total */
    nodesPage: (q: NodeQuery): NodesPage => ({ ...position(hub, "network"), ...listNodesPage(db, { afterId: q.after, limit: q.limit }) }),
    /** GET /api/v1/network/summary: the network pane's first load (true counts, worst tiles first) */
    networkSummary: (q: NetworkSummaryQuery): NetworkSummary => ({ ...position(hub, "network"), ...networkSummary(db, q) }),
    /** GET /api/v1/nodes/:id: one node and its recent checks, or null */
    node: (id: number, q: NodeDetailQuery): NodeDetail | null => {
      // the network stream's position before the rows, as for the snapshots: the node page follows the stream from here
      const at = position(hub, "network");
      const detail = getNodeDetail(db, id, q.checks);
      return detail && { ...at, ...detail, probes: probes.get(id)?.checks.map(probeSummary) ?? [], settings: nodeManager.settingsOf(id), definition: nodeManager.definitionView(id) };
    },
    /** GET /api/v1/nodes/:id/latency: p50/p95/p99/max points from the roll-up table of the range's resolution */
    nodeLatency: (id: number | string, q: LatencyQuery): LatencyAnswer => {
      // the roll-ups move in the same transaction as the checks: read at this position, the page adds the checks after it
      const at = position(hub, "network");
      return { ...at, ...figures.latency(id, q) };
    },
    /** GET /api/v1/nodes/:id/uptime: uptime weighted by time over 24 h, 7 d, 30 d and from/to */
    nodeUptime: (id: number | string, q: UptimeQuery): UptimeAnswer => figures.uptime(id, q),
    /** GET /api/v1/nodes/:id/outages: outage history, newest first, with the true total */
    nodeOutages: (id: number | string, q: OutagesQuery): OutagesPage => figures.outages(id, q),
    /** GET /api/v1/reports/sla: per node uptime, downtime, incidents and worst hour, as JSON or CSV */
    slaReport: (q: SlaQuery) => slaReports.report(q),
    /** Rolls up heartbeats stored before the roll-up tables existed (once, after the upgrade), in slices. */
    backfillRollups: (): Promise<number> => figures.backfill((fn) => sqlite.transaction(fn).immediate()),
    /** GET /api/v1/security/snapshot: the newest page, the true total, per-minute rate and counts by severity (rollup) */
    securitySnapshot: (limit = 100): SecuritySnapshot => {
      const minute = Math.floor(clock.now() / MINUTE) * MINUTE;
      return {
        ...position(hub, "security"),
        ...pageEvents(db, { limit }),
        total: countMatchingEvents(db).total,
        rate: eventRate(db, { sinceMinute: minute - (RATE_WINDOW_MINUTES - 1) * MINUTE }),
        counts: { hour: severityCounts(db, { sinceMinute: minute - 59 * MINUTE }), day: severityCounts(db, { sinceMinute: minute - 1439 * MINUTE }) },
      };
    },
    /** GET /api/v1/events: one page from the cursor, with the filter's total */
    events: (q: EventQuery): EventsPage => {
      const { before, limit, ...filter } = q;
      const { total, exact } = countMatchingEvents(db, filter);
      return { ...position(hub, "security"), ...pageEvents(db, { ...filter, before, limit }), total, total_exact: exact };
    },
    /** GET /api/v1/events/groups: the filter's events grouped by one field, largest first */
    eventGroups: (q: EventGroupsQuery): EventGroupsPage => {
      const now = clock.now();
      return groupEvents(db, q, { now, storedSince: now - retentionMs, cache: tallySums });
    },
    /** GET /api/v1/events/:id: the event with its raw line and the incidents it is evidence of, or null */
    eventDetail: (id: number): EventDetailAnswer | null => getEventDetail(db, id),
    /** GET /api/v1/security/top: top sources, signatures and accounts over a range (default the last 24 h) from the tallies */
    securityTop: (q: TopQuery): SecurityTop => {
      const now = clock.now();
      const until = q.until ?? now;
      return topEvents(db, { since: q.since ?? until - 86_400_000, until, limit: q.limit, now }, tallySums);
    },
    /** GET /api/v1/incidents: one page from the cursor, the filter's true total, and the active set's counts and groups */
    incidentsSnapshot: (q: IncidentQuery): IncidentsSnapshot => {
      const at = position(hub, "incidents");
      // one synchronous read on the one connection: page, counts and max id describe the same moment
      const page = pageIncidents(db, q);
      const groups = activeIncidentGroups(db, q.pane);
      return {
        ...at,
        incidents: page.incidents,
        total: countIncidents(db, q),
        next_before: page.next_before,
        counts: countsOfGroups(groups),
        groups,
        max_id: maxIncidentId(db),
      };
    },
    /** GET /api/v1/incidents/stats: response figures over [since, until) (default: the last 28 days) */
    incidentStats: (q: { since?: number; until?: number }) => {
      const until = q.until ?? clock.now();
      return responseStats(sqlite, q.since ?? until - 28 * 86_400_000, until, clock.now());
    },
    /** GET /api/v1/incidents/:id: the incident, its timeline, its checklist (copied from its plan on first sight), links and suggested links */
    incident: (id: number): IncidentDetailAnswer | null => {
      const incident = getIncident(db, id);
      if (!incident) return null;
      const checklist = sqlite.transaction(() => plans.checklist(incident))();
      return { incident, timeline: getTimeline(db, id), checklist, links: plans.links(id), suggestions: plans.suggestions(incident) };
    },
    responsePlans: () => plans.listPlans(),
    /** GET /api/v1/incidents/export: the filter's incidents with their timelines, CSV (formula-safe) or NDJSON, streamed by cursor */
    exportIncidents: (filter: IncidentFilter, format: "csv" | "ndjson", cap?: number) =>
      incidentExportStream((q) => pageIncidents(db, q), (id) => getTimeline(db, id), filter, format, cap),
    /** GET /api/v1/silences: the newest 200, each with its state and how many detections it held back */
    silences: () => silences.list(),
    /**
     * POST /api/v1/silences: who may silence a pane is who may act on its incidents (a matcher
     * without a pane needs both). Audited.
     */
    createSilence: (input: { matcher: SilenceMatcher; reason: string; starts_at?: number | string; ends_at: number | string }, who: Identity): Silence | { error: string; status: 400 | 403 } => {
      const panes = input.matcher.pane ? [input.matcher.pane] : (["network", "security"] as const);
      const missing = panes.find((p) => !can(who, incidentPermission(p)));
      if (missing) return { status: 403, error: `${forbidden(who, missing)}, so may not silence them${input.matcher.pane ? "" : " (a silence without a pane covers both)"}` };
      const time = (v: number | string | undefined, fallback: number) => (v === undefined ? fallback : typeof v === "number" ? v : Date.parse(v));
      const now = clock.now();
      const startsAt = time(input.starts_at, now);
      const endsAt = time(input.ends_at, NaN);
      if (!Number.isFinite(startsAt) || !Number.isFinite(endsAt)) return { status: 400, error: "starts_at and ends_at must be times (epoch ms or ISO 8601)" };
      if (endsAt <= Math.max(now, startsAt)) return { status: 400, error: "ends_at must be after now and after starts_at" };
      if (endsAt - startsAt > 90 * 86_400_000) return { status: 400, error: "a silence lasts at most 90 days" };
      return sqlite.transaction(() => {
        const silence = silences.create(input.matcher, input.reason, startsAt, endsAt, who.name);
        access.audit.append({ actor: who.name, action: "silence_created", target: `silence ${silence.id}`, sourceIp: who.sourceIp, before: null, after: { matcher: input.matcher, reason: input.reason, starts_at: startsAt, ends_at: endsAt } });
        return silence;
      })();
    },
    /** DELETE /api/v1/silences/:id: ends it now (same permission as creating it) */
    endSilence: (id: number, who: Identity): Silence | { error: string; status: 403 | 404 } => {
      const current = silences.get(id);
      if (!current || current.ended_at !== null || current.state === "expired") return { status: 404, error: `silence ${id} is not pending or active` };
      const panes = current.matcher.pane ? [current.matcher.pane] : (["network", "security"] as const);
      const missing = panes.find((p) => !can(who, incidentPermission(p)));
      if (missing) return { status: 403, error: forbidden(who, missing) };
      return sqlite.transaction(() => {
        const ended = silences.end(id, who.name)!;
        access.audit.append({ actor: who.name, action: "silence_ended", target: `silence ${id}`, sourceIp: who.sourceIp, before: { ends_at: current.ends_at }, after: { ended_at: ended.ended_at, hits: ended.hits } });
        return ended;
      })();
    },
    /** POST /api/v1/response-plans (settings:manage), audited */
    createResponsePlan: (input: ResponsePlanInput, who: Identity): ResponsePlan | null =>
      sqlite.transaction(() => {
        const plan = plans.createPlan(input, who.name, clock.now());
        if (plan) access.audit.append({ actor: who.name, action: "response_plan_created", target: `response plan ${plan.id}: ${plan.name}`, sourceIp: who.sourceIp, before: null, after: { ...input } });
        return plan;
      })(),
    updateResponsePlan: (id: number, input: ResponsePlanInput, who: Identity) =>
      sqlite.transaction(() => {
        const before = plans.getPlan(id);
        const plan = plans.updatePlan(id, input, who.name, clock.now());
        if (typeof plan !== "string") access.audit.append({ actor: who.name, action: "response_plan_updated", target: `response plan ${id}: ${plan.name}`, sourceIp: who.sourceIp, before: before ? { ...before } : null, after: { ...input } });
        return plan;
      })(),
    deleteResponsePlan: (id: number, who: Identity): boolean =>
      sqlite.transaction(() => {
        const before = plans.getPlan(id);
        if (!before || !plans.deletePlan(id)) return false;
        access.audit.append({ actor: who.name, action: "response_plan_deleted", target: `response plan ${id}: ${before.name}`, sourceIp: who.sourceIp, before: { ...before }, after: null });
        return true;
      })(),
    /** POST /api/v1/incidents/:id/checklist/:step: tick or untick, on the timeline and in the audit trail */
    tickChecklist: (id: number, stepId: string, done: boolean, who: Identity, note?: string): ActionResult => {
      const denied = incidentAccess(id, who);
      if (denied) return { ok: false, ...denied };
      const current = findIncident(db, id)!;
      const result = sqlite.transaction((): ActionResult => {
        const item = plans.tick(current, stepId, done, who.name, clock.now());
        if (!item) return { ok: false, code: "not_found", message: `incident ${id} has no checklist step "${stepId}"` };
        const text = `${done ? "done" : "not done"}: ${item.text}${note ? ` (${note})` : ""}`;
        sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action, from_status, to_status, note) VALUES (?, ?, ?, 'checklist', NULL, NULL, ?)`).run(id, clock.now(), who.name, text);
        access.audit.append({ actor: who.name, action: "incident_checklist", target: `incident ${id}: ${current.title}`, sourceIp: who.sourceIp, before: null, after: { step: stepId, done } });
        return { ok: true, incident: current, changed: true };
      })();
      if (result.ok) hub.publish("incidents", [{ type: "incident", incident: result.incident }]);
      return result;
    },
    /** POST /api/v1/incidents/:id/links: links two incidents (the caller must be able to act on both panes) */
    linkIncidents: (id: number, other: number, kind: string, who: Identity, note?: string): ActionResult => {
      if (id === other) return { ok: false, code: "invalid", message: "an incident cannot be linked to itself" };
      const denied = incidentAccess(id, who) ?? incidentAccess(other, who);
      if (denied) return { ok: false, ...denied };
      const a = findIncident(db, id)!;
      const b = findIncident(db, other)!;
      sqlite.transaction(() => {
        plans.link(id, other, kind, who.name, clock.now());
        const insert = sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action, from_status, to_status, note) VALUES (?, ?, ?, 'linked', NULL, NULL, ?)`);
        insert.run(id, clock.now(), who.name, `${kind.replace("_", " ")} #${other} ${b.title}${note ? `: ${note}` : ""}`);
        insert.run(other, clock.now(), who.name, `linked from #${id} ${a.title} (${kind.replace("_", " ")})${note ? `: ${note}` : ""}`);
        access.audit.append({ actor: who.name, action: "incident_linked", target: `incident ${id} → ${other}`, sourceIp: who.sourceIp, before: null, after: { kind, ...(note ? { note } : {}) } });
      })();
      hub.publish("incidents", [{ type: "incident", incident: a }, { type: "incident", incident: b }]);
      return { ok: true, incident: a, changed: true };
    },
    unlinkIncidents: (id: number, other: number, who: Identity): ActionResult => {
      const denied = incidentAccess(id, who) ?? incidentAccess(other, who);
      if (denied) return { ok: false, ...denied };
      const a = findIncident(db, id)!;
      const removed = sqlite.transaction(() => {
        if (!plans.unlink(id, other)) return false;
        sqlite.prepare(`INSERT INTO incident_timeline (incident_id, time, actor, action, from_status, to_status, note) VALUES (?, ?, ?, 'linked', NULL, NULL, ?)`).run(id, clock.now(), who.name, `unlinked #${other}`);
        access.audit.append({ actor: who.name, action: "incident_unlinked", target: `incident ${id} → ${other}`, sourceIp: who.sourceIp, before: null, after: null });
        return true;
      })();
      if (!removed) return { ok: false, code: "not_found", message: `incidents ${id} and ${other} are not linked` };
      hub.publish("incidents", [{ type: "incident", incident: a }]);
      return { ok: true, incident: a, changed: true };
    },

    /** Drops raw rows past retention in short batches, keeping active incidents' evidence; rollups live 90 days. One run at a time. */
    prune: (): Promise<PruneReport> => pruner.run(),
    /** ends a running prune after its current batch (shutdown) */
    stopPrune: () => pruner.stop(),

    /** Prometheus metrics (GET /metrics); ingest records into it, the socket layer attaches its figures */
    metrics,
    /** GET /readyz: database writable, migrations applied, hub flushing */
    ready: createReadiness({ sqlite, migrationsFolder: options.migrationsFolder, hubRunning: () => hub.stats().running }),

    health: () => {
      let database: { ok: boolean; error?: string } = { ok: true };
      try {
        sqlite.prepare("SELECT 1").get();
      } catch (error) {
        database = { ok: false, error: (error as Error).message };
      }
      return { ok: database.ok && hub.stats().running, database, hub: hub.stats(), nodes: network.nodeCount() };
    },
  };
}

function position(hub: Hub, stream: Stream) {
  return { epoch: hub.epoch, seq: hub.head(stream) };
}

export type Core = ReturnType<typeof createCore>;
