// The administration tabs and the `?tab=` value that picks one: shared by the page (a server
// component) and the console (a client component), so not in the "use client" module.

export const TABS = { users: "Users", keys: "API keys", settings: "Settings", notifications: "Notifications", plans: "Response plans", audit: "Audit log" } as const;
export type AdminTab = keyof typeof TABS;

/** The tab a `?tab=` value names, or the first one. */
export function adminTab(value: string | string[] | undefined): AdminTab {
  return typeof value === "string" && Object.hasOwn(TABS, value) ? (value as AdminTab) : "users";
}
