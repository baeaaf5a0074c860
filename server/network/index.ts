// The network domain's probe engine, not wired yet: checks (one file per type), the scheduler
// that runs them, and the pure status machine over their results. server/core.ts is to compose a
// service from these with the database, the clock and the hub.
export * from "./checks";
export { CheckScheduler, phaseOf, systemTimers, type CheckRun, type ScheduledCheck, type ScheduledPush, type SchedulerOptions, type SchedulerStats, type Timers } from "./scheduler";
export type { LatenessFigures } from "./lateness";
export { DEFAULT_NODE_POLICY, evaluateNode, initialNodeState, NODE_STATUSES, type Evaluation, type NodePolicy, type NodeState, type NodeStatus, type ParentStatus, type StatusInput, type Transition } from "./status";
export { DEFAULT_CHECK_POLICY, type AnomalyFacts, type CheckPolicy, type Health, type StatusResult } from "./check-health";
export { DEFAULT_BASELINE, initialBaseline, observeLatency, type BaselineOptions, type BaselineState, type BaselineVerdict } from "./baseline";
export { DEFAULT_FLAP, percentStateChange, type FlapOptions } from "./flapping";
export { maintenanceAt, maintenanceWindowSchema, type ActiveMaintenance, type MaintenanceWindow } from "./maintenance";
export { DurationError, durationMs, formatDuration, parseDuration } from "./duration";
