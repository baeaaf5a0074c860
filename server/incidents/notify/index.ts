// Notifications and escalation, one service per core: endpoints, transitions seen on the hub's
// incident deltas, the durable outbox and its delivery worker, escalation policies and timers.
// Nothing here runs on the ingest path: the hub's flush hands the incident deltas over, they are
// read in short slices (one transaction each) right after, and HTTP happens only in the worker.
import type Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import type { VigilDb } from "../../../db/client";
import { notifyEndpoints } from "../../../db/schema";
import { getIncident } from "../../../db/queries/incidents";
import { deliveriesOfEndpoint, deliveriesOfIncident, lastDeliveries } from "../../../db/queries/notify";
import type { Incident } from "../../../lib/contracts/incidents";
import type { DeliveriesQuery, Delivery, DryRun, EndpointInput, EndpointListItem, EndpointPatch, EscalationInput, NotifyEvent } from "../../../lib/contracts/notify";
import type { Severity } from "../../../lib/contracts/common";
import type { AuditLog } from "../../audit/audit-log";
import type { Identity } from "../../auth/actor";
import { UserError } from "../../auth/users";
import type { Clock } from "../../clock";
import type { Hub } from "../../live/hub";
import { rawToIncident } from "../work";
import { DeliveryWorker, type AttemptEvent, type DeliveryOptions } from "./delivery";
import { EndpointStore, publicView } from "./endpoints";
import { Escalation, levelOffsets } from "./escalation";
import { Outbox, type NewDelivery } from "./outbox";
import type { Timers } from "./send";
import { transitionOf, type Seen } from "./transitions";
import { NODE_DOWN_RULE } from "../../network/outages";

export { RETRY_SCHEDULE_MS, retryDelay } from "./delivery";
export { signatureHeaders, verifySignature } from "./signature";
export { slackEscape } from "./bodies";

export interface NotifyOptions extends DeliveryOptions {
  /** the worker's timers (default: real timers on the core's clock) */
  timers?: Timers;
  /** the console's address for links: `<publicUrl>/incidents/<id>` */
  publicUrl: () => string;
  /**
   * How long a node_down's open is held before it is paged (VIGIL_STORM_WAIT_S; default 30 s,
   * 0: at once), so that nodes failing one result at a time and folded into a storm within it
   * page nothing of their own (Alertmanager's group_wait).
   */
  stormWaitMs?: number;
}

/** The default storm wait (VIGIL_STORM_WAIT_S). */
export const DEFAULT_STORM_WAIT_MS = 30_000;
/** The rule whose first page waits for the storm wait: a node_storm, and every other rule, pages at once. */
const HELD_OPEN_RULE = NODE_DOWN_RULE;

/** Incidents remembered in memory (status, version, severity); past this the cache starts over. */
const CACHE_LIMIT = 100_000;
/** Deltas read per transaction (about 10–20 ms with a transition each and two endpoints). */
const OBSERVE_SLICE = 250;

export interface NotifyDeps {
  db: VigilDb;
  sqlite: Database.Database;
  clock: Clock;
  hub: Hub;
  audit: AuditLog;
  /**
   * Whether an open incident's escalation stands still because its nodes were deliberately paused
   * (the network service answers from memory: it must be cheap, it is asked for each delta of an
   * open incident and each level due). Default: never.
   */
  held?: (incident: Incident) => boolean;
}

export function createNotify(deps: NotifyDeps, options: NotifyOptions) {
  const { db, sqlite, clock, hub, audit } = deps;
  const held = deps.held ?? (() => false);
  const stormWaitMs = Math.max(0, options.stormWaitMs ?? DEFAULT_STORM_WAIT_MS);
  const timers: Timers = options.timers ?? {
    now: () => clock.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };
  const outbox = new Outbox(sqlite);
  const endpoints = new EndpointStore(db, audit, clock, (endpoint, change) => {
    if (change === "deleted") outbox.cancelPending(endpoint.id, "endpoint deleted");
    else if (!endpoint.enabled) outbox.cancelPending(endpoint.id, "endpoint disabled");
  });
  const escalation = new Escalation(db, sqlite, audit, clock);

  const seenGet = sqlite.prepare(`SELECT status, version FROM notify_seen WHERE incident_id = ?`);
  const seenPut = sqlite.prepare(
    `INSERT INTO notify_seen (incident_id, status, version) VALUES (?, ?, ?) ON CONFLICT (incident_id) DO UPDATE SET status = excluded.status, version = excluded.version`,
  );
  const unseenSlice = sqlite.prepare(
    `SELECT i.* FROM incidents i LEFT JOIN notify_seen s ON s.incident_id = i.id
     WHERE i.id > ? AND i.id <= ? AND (s.incident_id IS NULL OR s.status <> i.status) ORDER BY i.id`,
  );
  const maxId = sqlite.prepare(`SELECT coalesce(max(id), 0) AS id FROM incidents`);
  const cache = new Map<number, Seen & { severity: string }>();
  const remember = (i: Incident) => {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(i.id, { status: i.status, version: i.version, severity: i.severity });
  };

  /** Deliveries of `event` for `incident`: its subscribers plus the endpoints a policy pages (deduplicated). */
  const deliveriesFor = (event: NotifyEvent, incident: Incident, paged: { level: number; endpoints: readonly number[] } | null): NewDelivery[] => {
    const targets = new Map<number, number | null>();
    for (const e of endpoints.subscribers(event, incident.severity)) targets.set(e.id, null);
    if (paged) for (const id of paged.endpoints) if (endpoints.get(id)?.enabled) targets.set(id, paged.level);
    return [...targets].map(([endpointId, level]) => ({ endpointId, event, level, incident }));
  };

  /**
   * An open incident's escalation held or released as its nodes say now (inside the caller's
   * transaction): held while `held` answers true, its clock standing still; released when it no
   * longer does (a paused node resumed and failing again says so on the incident: a delta).
   */
  const reconsider = (incident: Incident, now: number): boolean => {
    if (incident.status !== "open") return false;
    const wait = held(incident);
    const row = escalation.state(incident.id);
    // a held open (level 0) is paged at the end of its wait, paused or not, as level 1 is at an open
    if (!row || row.level === 0) return false;
    if (wait && row.held_at === null) escalation.hold(incident.id, now);
    else if (!wait && row.held_at !== null) return escalation.release(incident.id, now);
    return false;
  };

  /**
   * Reads incident deltas (hub batches, or rows the reconcile found) and writes what they mean:
   * the status seen, the escalation state and the deliveries, in one transaction.
   */
  const observe = (incidents: readonly Incident[]): number => {
    const now = clock.now();
    let written = 0;
    let released = false;
    let waiting = false;
    sqlite.transaction(() => {
      for (const incident of incidents) {
        const cached = cache.get(incident.id);
        const seen = cached ?? (seenGet.get(incident.id) as Seen | undefined) ?? null;
        const t = transitionOf(seen, incident);
        if (t.kind === "stale") continue;
        if (t.kind === "same") {
          if (incident.status === "open" && cached?.severity !== incident.severity) escalation.reseverity(incident.id, incident.severity);
          if (incident.pane === "network" && reconsider(incident, now)) released = true;
          if (!cached || incident.version >= cached.version) remember(incident);
          continue;
        }
        seenPut.run(incident.id, incident.status, incident.version);
        remember(incident);
        if (!t.event) continue;
        let paged: { level: number; endpoints: number[] } | null = null;
        if (t.event === "open" && incident.rule === HELD_OPEN_RULE && stormWaitMs > 0) {
          // its open waits for the storm wait: a storm taking it in, or its node back, within it
          // resolves it before anyone was paged (escalate() pages it once the wait is over)
          escalation.startHeld(incident.id, incident.severity, now + stormWaitMs);
          waiting = true;
          continue;
        }
        // (only a node_down's open is ever held: no other incident costs a look)
        if ((t.event === "acknowledge" || t.event === "resolve") && incident.rule === HELD_OPEN_RULE && escalation.state(incident.id)?.level === 0) {
          // its open was never paged (acknowledged, folded into a storm or back within the wait):
          // nothing to tell; acknowledged, it is remembered as untold until resolved or reopened
          if (t.event === "resolve") escalation.stop(incident.id);
          else escalation.quiet(incident.id);
          continue;
        }
        if (t.event === "open" || t.event === "reopen") {
          paged = { level: 1, endpoints: escalation.start(incident.id, incident.severity, now) };
          // level 1 is paged at every open; the levels after it wait while its nodes are paused
          if (incident.pane === "network") reconsider(incident, now);
        } else escalation.stop(incident.id);
        written += outbox.enqueue(deliveriesFor(t.event, incident, paged), now).length;
      }
    })();
    // a released escalation has a level due again, a held open has its end: the worker looks at when
    if (written || released || waiting) worker.kick();
    return written;
  };

  /** Escalations due now move one level up and page it (the worker calls this before each look for work). */
  const escalate = (): number => {
    const now = timers.now();
    const due = escalation.due(now, 500);
    if (!due.length) return 0;
    let written = 0;
    sqlite.transaction(() => {
      for (const row of due) {
        const incident = getIncident(db, row.incident_id);
        if (row.level === 0) {
          if (!incident) escalation.stop(row.incident_id);
          // acknowledged or resolved within the wait, the delta not read yet: never paged (the
          // delta, read, tells nothing of it and ends the row)
          else if (incident.status !== "open") escalation.quiet(row.incident_id);
          else {
            // the wait is over and it is still open: its open goes out now, level 1 with it
            const endpoints = escalation.announce(row.incident_id, incident.severity, now);
            written += outbox.enqueue(deliveriesFor("open", incident, { level: 1, endpoints }), now).length;
            // the levels after it wait while its nodes are paused, as at an open
            if (incident.pane === "network" && held(incident)) escalation.hold(row.incident_id, now);
          }
          continue;
        }
        // acknowledged or resolved and the delta not read yet: the row is what counts
        if (!incident || incident.status !== "open") {
          escalation.stop(row.incident_id);
          continue;
        }
        // every node of it paused: it stands still (from here, or still), looked at again later
        if (held(incident)) {
          escalation.hold(row.incident_id, now);
          continue;
        }
        // held and no longer waiting (no delta said so): its clock moves on; a level due by now is paged at the next look
        if (row.held_at !== null) {
          escalation.release(row.incident_id, now);
          continue;
        }
        const step = escalation.advance({ ...row, severity: incident.severity });
        if (step) written += outbox.enqueue(deliveriesFor("escalate", incident, step), now).length;
      }
    })();
    return written;
  };

  const worker = new DeliveryWorker(outbox, endpoints, timers, options.publicUrl, () => {
    try {
      escalate();
      return escalation.nextDue();
    } catch (error) {
      options.onError?.(error);
      return null;
    }
  }, options);

  // The hub's flush only queues the deltas: they are read in slices of OBSERVE_SLICE, one
  // transaction each, between other work, so a bulk action of 10,000 incidents never holds the
  // event loop for the whole of it. A delta queued when the process dies is found again by the
  // next start's reconcile (its status differs from the one seen).
  const queued: Incident[] = [];
  let slicing: NodeJS.Immediate | null = null;
  const observeSlice = () => {
    slicing = null;
    try {
      observe(queued.splice(0, OBSERVE_SLICE));
    } catch (error) {
      options.onError?.(error);
    }
    if (queued.length) slicing = setImmediate(observeSlice);
  };
  hub.onBatch((batch) => {
    if (batch.stream !== "incidents") return;
    for (const item of batch.items as { type: "incident"; incident: Incident }[]) queued.push(item.incident);
    slicing ??= setImmediate(observeSlice);
  });
  /** Reads every queued delta now (shutdown, after the hub's last flush). */
  const observeQueued = (): number => {
    if (slicing) clearImmediate(slicing);
    slicing = null;
    let written = 0;
    while (queued.length) written += observe(queued.splice(0, OBSERVE_SLICE));
    return written;
  };

  /**
   * Transitions committed while no one was listening (a crash between commit and the hub's flush,
   * a stop): incidents whose status differs from the one seen are read again, in id slices.
   */
  const reconcile = async (slice = 2_000): Promise<number> => {
    const top = (maxId.get() as { id: number }).id;
    let written = 0;
    for (let after = 0; after < top; after += slice) {
      const rows = (unseenSlice.all(after, after + slice) as Record<string, unknown>[]).map(rawToIncident);
      for (let i = 0; i < rows.length; i += OBSERVE_SLICE) {
        written += observe(rows.slice(i, i + OBSERVE_SLICE));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!rows.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return written;
  };

  const endpointExists = (id: number) => db.select({ id: notifyEndpoints.id }).from(notifyEndpoints).where(eq(notifyEndpoints.id, id)).get() !== undefined;

  const dryRun = (q: { severity?: Severity; incident?: number }): DryRun => {
    const incident = q.incident !== undefined ? getIncident(db, q.incident) : null;
    if (q.incident !== undefined && !incident) throw new UserError("not_found", `incident ${q.incident} not found`);
    const severity = (incident?.severity ?? q.severity!) as Severity;
    const levels = escalation.levels(severity);
    const offsets = levelOffsets(levels);
    const state = incident ? escalation.state(incident.id) : null;
    const describe = (id: number) => {
      const e = endpoints.get(id);
      return { id, name: e?.name ?? endpoints.nameOf(id), enabled: e?.enabled ?? false };
    };
    return {
      severity,
      incident: incident ? { id: incident.id, status: incident.status, escalation_started_at: state?.started_at ?? null, escalation_held_since: state?.held_at ?? null } : null,
      steps: levels.map((level, i) => ({
        level: i + 1,
        at_minute: offsets[i] / 60_000,
        event: i === 0 ? "open" : "escalate",
        endpoints: level.endpoints.map(describe),
        ...(incident
          ? state && i + 1 <= state.level
            ? // level 1 at the start; a later one when it was due, unless a hold since makes that unknown
              { state: "paged" as const, ...(i === 0 || (state.held_ms === 0 && state.held_at === null) ? { at: state.started_at + offsets[i] } : {}) }
            : state && incident.status === "open"
              ? state.held_at !== null
                ? { state: "held" as const }
                : // (an open held for the storm wait starts at the wait's end: level 1 is due then)
                  { state: "due" as const, at: state.started_at + state.held_ms + offsets[i] }
              : { state: "stopped" as const }
          : {}),
      })),
      subscribers: endpoints.subscribers("open", severity).map((e) => ({ id: e.id, name: e.name })),
    };
  };

  return {
    endpoints: {
      /** every endpoint (never a secret) with its newest delivery */
      list: (): EndpointListItem[] => {
        const all = endpoints.all();
        const last = lastDeliveries(db, all.map((e) => e.id));
        return all.map((e) => ({ ...publicView(e), last_delivery: last.get(e.id) ?? null }));
      },
      get: (id: number) => {
        const e = endpoints.get(id);
        if (!e) throw new UserError("not_found", `notification endpoint ${id} not found`);
        return publicView(e);
      },
      create: (input: EndpointInput, who: Identity) => endpoints.create(input, who),
      update: (id: number, patch: EndpointPatch, who: Identity) => endpoints.update(id, patch, who),
      remove: (id: number, who: Identity) => endpoints.remove(id, who, escalation.referencing(id)),
      /** Sends a test notification now (once, no retry) and answers the delivery with its attempt. */
      test: async (id: number, who: Identity): Promise<Delivery> => {
        const endpoint = endpoints.get(id);
        if (!endpoint) throw new UserError("not_found", `notification endpoint ${id} not found`);
        const [rowId] = outbox.enqueue([{ endpointId: id, event: "test", level: null, incident: null }], timers.now());
        const row = outbox.get(rowId)!;
        audit.append({ actor: who.name, action: "notification_endpoint_tested", target: `endpoint ${id}: ${endpoint.name}`, sourceIp: who.sourceIp });
        await worker.sendOnce(row, endpoint);
        return deliveriesOfEndpoint(db, { endpointId: id, limit: 1, before: rowId + 1 }).deliveries[0];
      },
      /** GET …/endpoints/:id/deliveries (deleted endpoints keep their history) */
      deliveries: (id: number, q: DeliveriesQuery) => {
        if (!endpointExists(id)) throw new UserError("not_found", `notification endpoint ${id} not found`);
        return deliveriesOfEndpoint(db, { endpointId: id, ...q });
      },
    },
    escalation: {
      get: () => ({ policies: escalation.policies() }),
      replace: (input: EscalationInput, who: Identity) => ({ policies: escalation.replace(input, who, (id) => endpoints.get(id) !== null) }),
      update: (input: EscalationInput, who: Identity) => ({ policies: escalation.update(input, who, (id) => endpoints.get(id) !== null) }),
      dryRun,
    },
    /** GET /api/v1/incidents/:id/deliveries */
    incidentDeliveries: (id: number): Delivery[] => deliveriesOfIncident(db, { incidentId: id }),
    observe,
    reconcile,
    /** the escalation timer's step (the worker runs it before each look for due rows) */
    escalate,
    /** Starts delivering (after reading transitions missed while stopped). */
    start: async () => {
      await reconcile();
      worker.start();
    },
    /** Stops delivering; deliveries in flight stay pending for the next start. */
    stop: () => worker.stop(),
    /** Reads the deltas the hub handed over and not yet read (after its last flush, at shutdown). */
    observeQueued,
    /** resolves when no delivery is in flight */
    idle: () => worker.idle(),
    onAttempt: (listener: (e: AttemptEvent) => void) => worker.onAttempt(listener),
    kick: () => worker.kick(),
    stats: () => ({ running: worker.started, in_flight: worker.inFlight(), pending: outbox.pending(), queued: queued.length }),
  };
}

export type Notify = ReturnType<typeof createNotify>;
