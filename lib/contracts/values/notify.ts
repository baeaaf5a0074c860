// Zod-free: the browser reads these (see values/common.ts).

/** What an endpoint can be told about an incident. */
export const NOTIFY_EVENTS = ["open", "acknowledge", "resolve", "reopen", "escalate"] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export const ENDPOINT_FORMATS = ["json", "slack"] as const;
export type EndpointFormat = (typeof ENDPOINT_FORMATS)[number];
