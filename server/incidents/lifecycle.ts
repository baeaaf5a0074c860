// The incident state machine, pure: what a person's action does to an incident, or why it cannot.
// The service around it reads the row, applies this, and writes the patch as a conditional update
// on `version` with the timeline entry, in one transaction.
import { severityRank, type Severity } from "../../lib/contracts/common";
import type { IncidentStatus, ResolutionReason, TimelineAction } from "../../lib/contracts/incidents";

/** The fields of an incident the lifecycle reads and writes. */
export interface LifecycleState {
  id: number;
  status: IncidentStatus;
  severity: string;
  version: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  resolved_by: string | null;
  resolved_at: number | null;
  assignee: string | null;
  snoozed_until: number | null;
  resolution: ResolutionReason | null;
}

export type LifecycleAction =
  | { action: "acknowledge" }
  | { action: "resolve"; reason?: ResolutionReason }
  | { action: "reopen" }
  | { action: "assign"; assignee: string | null }
  | { action: "snooze"; until: number }
  | { action: "note" }
  | { action: "severity"; severity: Severity };

export interface TimelineDraft {
  action: TimelineAction;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
}

export type LifecycleOutcome =
  | { kind: "changed"; patch: Partial<LifecycleState>; timeline: TimelineDraft }
  /** nothing to do: repeating what is already so (your own acknowledgement, the same assignee) */
  | { kind: "unchanged" }
  | { kind: "conflict"; message: string }
  | { kind: "invalid"; message: string };

const iso = (ms: number | null) => new Date(ms ?? 0).toISOString();

/** Who holds the incident, in words: the 409's message names who and when. */
export function describeHolder(i: Pick<LifecycleState, "status" | "acknowledged_by" | "acknowledged_at" | "resolved_by" | "resolved_at">): string {
  if (i.status === "resolved") return `resolved by ${i.resolved_by} at ${iso(i.resolved_at)}`;
  if (i.status === "acknowledged") return `acknowledged by ${i.acknowledged_by} at ${iso(i.acknowledged_at)}`;
  return "open";
}

const withNote = (base: string, note: string | undefined) => (note ? `${base}: ${note}` : base);

/**
 * What `action` by `actor` at `now` does to `state`. The note is the person's own words and goes on
 * the timeline entry as given (plain text; the UI renders it as text).
 */
export function applyAction(state: LifecycleState, a: LifecycleAction, actor: string, now: number, note?: string): LifecycleOutcome {
  const entry = (action: TimelineAction, to: IncidentStatus | null, text: string | null): TimelineDraft => ({
    action,
    from_status: to === null ? null : state.status,
    to_status: to,
    note: text,
  });
  switch (a.action) {
    case "acknowledge": {
      if (state.status === "acknowledged" && state.acknowledged_by === actor && state.snoozed_until === null) return { kind: "unchanged" };
      if (state.status !== "open" && !(state.status === "acknowledged" && state.snoozed_until !== null && state.acknowledged_by === actor)) {
        return { kind: "conflict", message: `incident ${state.id} is already ${describeHolder(state)}` };
      }
      return {
        kind: "changed",
        patch: { status: "acknowledged", acknowledged_by: actor, acknowledged_at: now, snoozed_until: null },
        timeline: entry("acknowledged", "acknowledged", note ?? null),
      };
    }
    case "resolve": {
      if (state.status === "resolved") {
        if (state.resolved_by === actor && (a.reason === undefined || a.reason === state.resolution)) return { kind: "unchanged" };
        return { kind: "conflict", message: `incident ${state.id} is already ${describeHolder(state)}` };
      }
      const reason = a.reason ?? "fixed";
      return {
        kind: "changed",
        patch: { status: "resolved", resolved_by: actor, resolved_at: now, resolution: reason, snoozed_until: null },
        timeline: entry("resolved", "resolved", withNote(reason.replace("_", " "), note)),
      };
    }
    case "reopen": {
      if (state.status !== "resolved") return { kind: "conflict", message: `incident ${state.id} is not resolved: it is ${describeHolder(state)}` };
      return {
        kind: "changed",
        patch: { status: "open", resolved_by: null, resolved_at: null, resolution: null, acknowledged_by: null, acknowledged_at: null, snoozed_until: null },
        timeline: entry("reopened", "open", note ?? null),
      };
    }
    case "assign": {
      if (state.status === "resolved") return { kind: "conflict", message: `incident ${state.id} is ${describeHolder(state)}: reopen it to assign it` };
      if (state.assignee === a.assignee) return { kind: "unchanged" };
      const text = a.assignee === null ? `unassigned (was ${state.assignee})` : state.assignee ? `assigned to ${a.assignee} (was ${state.assignee})` : `assigned to ${a.assignee}`;
      return { kind: "changed", patch: { assignee: a.assignee }, timeline: entry("assigned", null, withNote(text, note)) };
    }
    case "snooze": {
      if (state.status === "resolved") return { kind: "conflict", message: `incident ${state.id} is already ${describeHolder(state)}` };
      if (a.until <= now) return { kind: "invalid", message: `snooze until ${iso(a.until)} is not in the future` };
      // a snoozed incident is held (acknowledged) until the time, then open again and notified again
      return {
        kind: "changed",
        patch: {
          status: "acknowledged",
          snoozed_until: a.until,
          acknowledged_by: state.status === "acknowledged" ? state.acknowledged_by : actor,
          acknowledged_at: state.status === "acknowledged" ? state.acknowledged_at : now,
        },
        timeline: entry("snoozed", "acknowledged", withNote(`until ${iso(a.until)}`, note)),
      };
    }
    case "note": {
      if (!note || note.trim() === "") return { kind: "invalid", message: "a note needs text" };
      return { kind: "changed", patch: {}, timeline: entry("note", null, note) };
    }
    case "severity": {
      if (state.severity === a.severity) return { kind: "unchanged" };
      const dir = severityRank[a.severity] < (severityRank[state.severity as Severity] ?? 5) ? "raised" : "lowered";
      return { kind: "changed", patch: { severity: a.severity }, timeline: entry("severity", null, withNote(`severity ${dir} from ${state.severity} to ${a.severity}`, note)) };
    }
  }
}

/**
 * What the clock does to an incident: a snooze that ended, or an acknowledgement nobody resolved
 * within the severity's timeout, returns it to open (and it is notified again).
 */
export function timerOutcome(state: LifecycleState, now: number, ackTimeoutMs: Partial<Record<string, number>>): TimelineDraft | null {
  if (state.status !== "acknowledged") return null;
  if (state.snoozed_until !== null) {
    return state.snoozed_until <= now ? { action: "reopened", from_status: "acknowledged", to_status: "open", note: `snooze ended at ${iso(state.snoozed_until)}` } : null;
  }
  const timeout = ackTimeoutMs[state.severity];
  if (timeout !== undefined && state.acknowledged_at !== null && state.acknowledged_at + timeout <= now) {
    return { action: "reopened", from_status: "acknowledged", to_status: "open", note: `acknowledged by ${state.acknowledged_by} ${Math.round(timeout / 60_000)} min ago and not resolved` };
  }
  return null;
}
