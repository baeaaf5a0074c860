import { and, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import type { VigilDb } from "../client";
import { notifyAttempts, notifyEndpoints, notifyOutbox } from "../schema";
import type { DeliveriesPage, DeliveriesQuery, Delivery, DeliveryAttempt, LastDelivery } from "../../lib/contracts/notify";

type OutboxRow = typeof notifyOutbox.$inferSelect;

/** Rows with their endpoint's name and every attempt, in the rows' order (two queries, not one per row). */
function withAttempts(db: VigilDb, rows: (OutboxRow & { endpointName: string | null })[]): Delivery[] {
  const attempts = new Map<number, DeliveryAttempt[]>();
  if (rows.length) {
    const found = db
      .select()
      .from(notifyAttempts)
      .where(inArray(notifyAttempts.outboxId, rows.map((r) => r.id)))
      .orderBy(notifyAttempts.outboxId, notifyAttempts.attempt)
      .all();
    for (const a of found) {
      const list = attempts.get(a.outboxId) ?? [];
      list.push({ attempt: a.attempt, at: a.startedAt, duration_ms: a.durationMs, status_code: a.statusCode, error: a.error, ok: a.ok });
      attempts.set(a.outboxId, list);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    incident_id: r.incidentId,
    endpoint: { id: r.endpointId, name: r.endpointName ?? `endpoint ${r.endpointId}` },
    event: r.event,
    level: r.level,
    status: r.status,
    attempts: attempts.get(r.id) ?? [],
    next_attempt_at: r.status === "pending" ? r.nextAttemptAt : null,
    created_at: r.createdAt,
    delivered_at: r.deliveredAt,
    last_status_code: r.lastStatusCode,
    last_error: r.lastError,
  }));
}

function select(db: VigilDb, where: SQL | undefined, limit: number) {
  return db
    .select({ row: notifyOutbox, endpointName: notifyEndpoints.name })
    .from(notifyOutbox)
    .leftJoin(notifyEndpoints, eq(notifyEndpoints.id, notifyOutbox.endpointId))
    .where(where)
    .orderBy(desc(notifyOutbox.id))
    .limit(limit)
    .all()
    .map((r) => ({ ...r.row, endpointName: r.endpointName }));
}

/** GET /api/v1/incidents/:id/deliveries: the incident's deliveries, newest first (at most `limit`). */
export function deliveriesOfIncident(db: VigilDb, params: { incidentId: number; limit?: number }): Delivery[] {
  return withAttempts(db, select(db, eq(notifyOutbox.incidentId, params.incidentId), params.limit ?? 500));
}

/** GET /api/v1/notifications/endpoints/:id/deliveries: one page, newest first, from the cursor. */
export function deliveriesOfEndpoint(db: VigilDb, params: { endpointId: number } & DeliveriesQuery): DeliveriesPage {
  const where = and(
    eq(notifyOutbox.endpointId, params.endpointId),
    params.before !== undefined ? lt(notifyOutbox.id, params.before) : undefined,
    params.status !== undefined ? eq(notifyOutbox.status, params.status) : undefined,
  );
  const deliveries = withAttempts(db, select(db, where, params.limit));
  return { deliveries, next_before: deliveries.length === params.limit ? deliveries[deliveries.length - 1].id : null };
}

/** Each endpoint's newest delivery (one seek per endpoint on notify_outbox_endpoint), keyed by endpoint id. */
export function lastDeliveries(db: VigilDb, endpointIds: readonly number[]): Map<number, LastDelivery> {
  const out = new Map<number, LastDelivery>();
  for (const endpointId of endpointIds) {
    const r = db
      .select({
        id: notifyOutbox.id,
        event: notifyOutbox.event,
        status: notifyOutbox.status,
        created_at: notifyOutbox.createdAt,
        delivered_at: notifyOutbox.deliveredAt,
        last_status_code: notifyOutbox.lastStatusCode,
        last_error: notifyOutbox.lastError,
      })
      .from(notifyOutbox)
      .where(eq(notifyOutbox.endpointId, endpointId))
      .orderBy(desc(notifyOutbox.id))
      .limit(1)
      .get();
    if (r) out.set(endpointId, r);
  }
  return out;
}
