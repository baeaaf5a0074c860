/**
 * Who may do what: the one place Vigil's roles, permissions and API-key scopes are defined.
 * Route handlers, socket handlers and the UI all ask `can()`; the README prints this matrix.
 */
export const ROLES = ["viewer", "noc", "analyst", "oncall", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  read: "read both panes, incidents and events",
  ingest: "send events and heartbeats (API keys with the ingest scope)",
  "nodes:manage": "manage nodes and checks",
  "incidents:network": "acknowledge and resolve network incidents",
  "incidents:security": "acknowledge and resolve security incidents",
  "events:act": "act on security events",
  "rules:read": "read the detection rules' thresholds and the rules file's status",
  "users:manage": "create users, change roles, require MFA",
  "keys:manage": "create and revoke API keys",
  "settings:manage": "change settings",
  "audit:read": "read and export the audit log",
  "metrics:read": "read operational metrics (`GET /metrics`; keys with the metrics scope)",
} as const;
export type Permission = keyof typeof PERMISSIONS;

const ALL = Object.keys(PERMISSIONS) as Permission[];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ["read"],
  noc: ["read", "ingest", "nodes:manage", "incidents:network", "metrics:read"],
  analyst: ["read", "ingest", "incidents:security", "events:act", "rules:read"],
  oncall: ["read", "incidents:network", "incidents:security"],
  admin: ALL,
};

/** Roles that must use a second factor whatever the global setting says. */
export const MFA_REQUIRED_ROLES: readonly Role[] = ["admin", "oncall"];

export const SCOPES = ["ingest", "read", "act", "metrics"] as const;
export type Scope = (typeof SCOPES)[number];

/** What each API-key scope can reach; a key gets the part of it its owner's role allows. */
export const SCOPE_PERMISSIONS: Record<Scope, readonly Permission[]> = {
  ingest: ["ingest"],
  read: ["read", "rules:read"],
  act: ["incidents:network", "incidents:security", "events:act"],
  metrics: ["metrics:read"],
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function rolePermissions(role: string): Set<Permission> {
  return new Set(isRole(role) ? ROLE_PERMISSIONS[role] : []);
}

/** A key's permissions: its scopes, cut down to what its owner's role allows today. */
export function keyPermissions(scopes: readonly Scope[], ownerRole: string): Set<Permission> {
  const owner = rolePermissions(ownerRole);
  return new Set(scopes.flatMap((s) => SCOPE_PERMISSIONS[s]).filter((p) => owner.has(p)));
}

/** Scopes the owner's role cannot back at all: creating a key with them is refused. */
export function scopesBeyondRole(scopes: readonly Scope[], ownerRole: string): Scope[] {
  const owner = rolePermissions(ownerRole);
  return scopes.filter((s) => !SCOPE_PERMISSIONS[s].some((p) => owner.has(p)));
}

export function incidentPermission(pane: "network" | "security"): Permission {
  return pane === "network" ? "incidents:network" : "incidents:security";
}

/** The matrix as a Markdown table, for the README. */
export function permissionMatrixMarkdown(): string {
  const head = `| permission | ${ROLES.join(" | ")} |\n|---|${ROLES.map(() => ":-:").join("|")}|`;
  const rows = ALL.map((p) => `| \`${p}\`: ${PERMISSIONS[p]} | ${ROLES.map((r) => (ROLE_PERMISSIONS[r].includes(p) ? "✓" : "")).join(" | ")} |`);
  return [head, ...rows].join("\n");
}

/** The permission a live stream needs; a caller without it cannot join the stream's room. */
export const STREAM_PERMISSION = { network: "read", security: "read", incidents: "read" } as const satisfies Record<"network" | "security" | "incidents", Permission>;
