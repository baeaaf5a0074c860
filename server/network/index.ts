// The network domain: checks (one file per type), the scheduler that runs them, the pure status
// machine over their results, and around them the service (service.ts) that server/core.ts
// composes with the database, the clock, the hub and the incidents: the nodes file (config.ts,
// nodes-file.ts), nodes over the API (manage.ts), and transitions as incidents (outages.ts).
export * from "./checks";
export { CheckScheduler, phaseOf, systemTimers, type CheckRun, type ScheduledCheck, type ScheduledPush, type SchedulerOptions, type SchedulerStats, type Timers } from "./scheduler";
export type { LatenessFigures } from "./lateness";
export { DEFAULT_NODE_POLICY, evaluateNode, initialNodeState, NODE_STATUSES, type Evaluation, type NodePolicy, type NodeState, type NodeStatus, type ParentStatus, type StatusInput, type Transition } from "./status";
export { DEFAULT_CHECK_POLICY, type AnomalyFacts, type CheckPolicy, type Health, type StatusResult } from "./check-health";
export { DEFAULT_BASELINE, initialBaseline, observeLatency, type BaselineOptions, type BaselineState, type BaselineVerdict } from "./baseline";
export { DEFAULT_FLAP, percentStateChange, type FlapOptions } from "./flapping";
export { maintenanceAt, maintenanceWindowSchema, type ActiveMaintenance, type MaintenanceWindow } from "./maintenance";
export { DurationError, durationMs, formatDuration, parseDuration } from "./duration";
export { NetworkService, type NetworkServiceOptions, type ManagedHeartbeat } from "./service";
export { NodeManager, type NodeChangeActor, type NodeResult, type ManagedNodeAnswer } from "./manage";
export { NodesFile, type NodesFileStatus } from "./nodes-file";
export { DEFAULT_STORM, LATENCY_ANOMALY_RULE, NODE_DOWN_RULE, NODE_STORM_RULE, type StormOptions } from "./outages";
export { nodeInputSchema, nodePatchSchema, type NodeInput, type NodePatch, type NodeSpec } from "./definition";
