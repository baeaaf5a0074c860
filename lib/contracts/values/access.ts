// Zod-free: the browser reads these (see values/common.ts).

export const ROLE_NAMES = ["viewer", "noc", "analyst", "oncall", "admin"] as const;
export const SCOPE_NAMES = ["ingest", "read", "act", "metrics"] as const;
