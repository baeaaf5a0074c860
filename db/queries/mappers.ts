import type { SecurityEvent } from "../../lib/contracts/events";
import type { Incident, TimelineEntry } from "../../lib/contracts/incidents";
import type { Severity } from "../../lib/contracts/common";
import type { incidents, incidentTimeline, securityEvents } from "../schema";

type EventRow = typeof securityEvents.$inferSelect;
/** An incidents row as an Incident is made from (the sort keys updated_at and severity_rank are not part of it). */
export type IncidentRow = Omit<typeof incidents.$inferSelect, "updatedAt" | "severityRank">;
type TimelineRow = typeof incidentTimeline.$inferSelect;

export function toSecurityEvent(r: EventRow): SecurityEvent {
  return {
    id: r.id,
    time: r.time,
    kind: r.kind,
    severity: r.severity as Severity,
    source: r.source,
    src_ip: r.srcIp,
    dst_ip: r.dstIp,
    user: r.user,
    signature: r.signature,
    message: r.message,
    attributes: r.attributes ?? null,
    service: r.service,
    src_host: r.srcHost,
    src_port: r.srcPort,
    dst_port: r.dstPort,
    proto: r.proto,
    occurrences: r.occurrences,
  };
}

export function toIncident(r: IncidentRow): Incident {
  return {
    id: r.id,
    rule: r.rule,
    entity: r.entity,
    pane: r.pane,
    title: r.title,
    severity: r.severity,
    status: r.status,
    first_seen: r.firstSeen,
    last_seen: r.lastSeen,
    count: r.count,
    version: r.version,
    acknowledged_by: r.acknowledgedBy,
    acknowledged_at: r.acknowledgedAt,
    resolved_by: r.resolvedBy,
    resolved_at: r.resolvedAt,
    explanation: r.explanation,
    mitre: r.mitre,
    details: r.details ?? null,
    assignee: r.assignee ?? null,
    snoozed_until: r.snoozedUntil ?? null,
    resolution: r.resolution ?? null,
    previous_id: r.previousId ?? null,
  };
}

export function toTimelineEntry(r: TimelineRow): TimelineEntry {
  return {
    id: r.id,
    incident_id: r.incidentId,
    time: r.time,
    actor: r.actor,
    action: r.action,
    from_status: r.fromStatus,
    to_status: r.toStatus,
    note: r.note,
  };
}

/** An incidents row read with a plain prepared statement (snake_case columns), as drizzle would have mapped it. */
export function incidentRowFromRaw(r: Record<string, unknown>): IncidentRow {
  return {
    id: r.id as number,
    dedupKey: r.dedup_key as string,
    rule: r.rule as string,
    entity: r.entity as string,
    pane: r.pane as IncidentRow["pane"],
    title: r.title as string,
    severity: r.severity as string,
    status: r.status as IncidentRow["status"],
    firstSeen: r.first_seen as number,
    lastSeen: r.last_seen as number,
    count: r.count as number,
    version: r.version as number,
    acknowledgedBy: r.acknowledged_by as string | null,
    acknowledgedAt: r.acknowledged_at as number | null,
    resolvedBy: r.resolved_by as string | null,
    resolvedAt: r.resolved_at as number | null,
    explanation: (r.explanation as string | null) ?? null,
    mitre: (r.mitre as string | null) ?? null,
    details: typeof r.details === "string" ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    assignee: (r.assignee as string | null) ?? null,
    snoozedUntil: (r.snoozed_until as number | null) ?? null,
    resolution: (r.resolution as IncidentRow["resolution"]) ?? null,
    previousId: (r.previous_id as number | null) ?? null,
  };
}
