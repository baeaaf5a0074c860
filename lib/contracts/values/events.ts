// Zod-free: the browser reads these (see values/common.ts).

export const EVENT_KINDS = ["ids_alert", "ids_anomaly", "auth_failure", "auth_success", "transaction", "anomaly", "system"] as const;

/** A position in the newest-first order of events: the (time, id) of the last event a page showed. */
export interface EventCursor {
  time: number;
  id: number;
}

/** Cursors travel as "time:id" (both decimal): `next_before` of one page is `before` of the next. */
export function encodeCursor(c: EventCursor): string {
  return `${c.time}:${c.id}`;
}

/** Minutes of per-minute counts the security pane shows. */
export const RATE_WINDOW_MINUTES = 60;
