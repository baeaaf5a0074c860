import { z } from "zod";
import { decimalParam } from "./common";

export const INCIDENT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type Pane = "network" | "security";

export interface Incident {
  id: number;
  rule: string;
  entity: string;
  pane: Pane;
  title: string;
  severity: string;
  status: IncidentStatus;
  first_seen: number;
  last_seen: number;
  count: number;
  version: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  resolved_by: string | null;
  resolved_at: number | null;
}

export interface TimelineEntry {
  id: number;
  incident_id: number;
  time: number;
  actor: string;
  action: "opened" | "acknowledged" | "resolved" | "note";
  from_status: string | null;
  to_status: string | null;
  note: string | null;
}

/** `active` is open + acknowledged: what still needs a person. */
export const incidentQuerySchema = z.strictObject({
  status: z.enum(["open", "acknowledged", "resolved", "active", "all"]).default("active"),
  pane: z.enum(["network", "security"]).optional(),
  limit: decimalParam(1, 500).default(200),
});
export type IncidentQuery = z.infer<typeof incidentQuerySchema>;

export const incidentActionSchema = z.strictObject({
  note: z.string().max(2000).optional(),
  /** the version the caller saw; a stale version is a conflict naming who changed it */
  version: z.number().int().positive().optional(),
});
export type IncidentActionInput = z.infer<typeof incidentActionSchema>;

export interface IncidentsSnapshot {
  epoch: string;
  seq: number;
  incidents: Incident[];
}
