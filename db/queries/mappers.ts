import type { SecurityEvent } from "../../lib/contracts/events";
import type { Incident, TimelineEntry } from "../../lib/contracts/incidents";
import type { Severity } from "../../lib/contracts/common";
import type { incidents, incidentTimeline, securityEvents } from "../schema";

type EventRow = typeof securityEvents.$inferSelect;
type IncidentRow = typeof incidents.$inferSelect;
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
