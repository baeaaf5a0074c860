// Which notification an incident delta is, given the last status seen for it. Pure.
import type { Incident, IncidentStatus } from "../../../lib/contracts/incidents";
import type { NotifyEvent } from "../../../lib/contracts/notify";

export interface Seen {
  status: string;
  version: number;
}

export type Transition =
  /** an older delta than one already seen (a replay, or a delta behind the reconcile): ignore */
  | { kind: "stale" }
  /** the same status as last seen (growth, assignment, a note): nothing to send */
  | { kind: "same" }
  /** a new status to remember; `event` is what to send, if anything */
  | { kind: "changed"; event: NotifyEvent | null };

const EVENT_INTO: Record<IncidentStatus, NotifyEvent> = { open: "reopen", acknowledged: "acknowledge", resolved: "resolve" };

/**
 * The first sighting of an open incident is `open`; of an acknowledged or resolved one, nothing
 * (it is only remembered). After that: into acknowledged is `acknowledge` (a snooze included),
 * into resolved `resolve`, back to open `reopen` (a person reopening, a snooze ending, an
 * acknowledgement timing out).
 */
export function transitionOf(seen: Seen | null, incident: Pick<Incident, "status" | "version">): Transition {
  if (!seen) return { kind: "changed", event: incident.status === "open" ? "open" : null };
  if (incident.version < seen.version) return { kind: "stale" };
  if (incident.status === seen.status) return { kind: "same" };
  return { kind: "changed", event: EVENT_INTO[incident.status] };
}
