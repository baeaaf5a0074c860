// What a delivery says: the generic JSON body and the Slack-compatible one. Pure: the worker
// renders each attempt's body from the stored row with the attempt's time.
import type { Incident } from "../../../lib/contracts/incidents";
import type { EndpointFormat, NotifyEvent, WebhookBody } from "../../../lib/contracts/notify";

export interface Notice {
  event: NotifyEvent | "test";
  incident: Incident | null;
  /** the escalation level that paged this endpoint, when a policy did */
  level: number | null;
  /** the endpoint's own name (test deliveries say it) */
  endpointName: string;
}

/** The incident's page: `<public URL>/incidents/<id>` (the console's root for a test). */
export function incidentUrl(publicUrl: string, incident: Pick<Incident, "id"> | null): string {
  const base = publicUrl.replace(/\/+$/, "");
  return incident ? `${base}/incidents/${incident.id}` : `${base}/`;
}

/** The exact bytes sent (UTF-8 of this string) for `format`. */
export function renderBody(format: EndpointFormat, notice: Notice, publicUrl: string, sentAt: number): string {
  const url = incidentUrl(publicUrl, notice.incident);
  if (format === "slack") return JSON.stringify(slackMessage(notice, url));
  const body: WebhookBody = { event: notice.event, incident: notice.incident, url, sent_at: new Date(sentAt).toISOString() };
  if (notice.level !== null) body.level = notice.level;
  return JSON.stringify(body);
}

/**
 * Text for Slack's mrkdwn: `&`, `<` and `>` become entities, so text from outside (titles,
 * entities, names, explanations) can never form a link, a mention (`<!channel>`, `<@U…>`) or a
 * channel reference: Slack treats only a literal `<` as the start of one. Cut to `max` characters
 * first, so an escape is never cut in half.
 */
export function slackEscape(text: string, max = 300): string {
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return cut.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const SEVERITY_MARK: Record<string, string> = { critical: ":red_circle:", high: ":large_orange_circle:", medium: ":large_yellow_circle:", low: ":large_blue_circle:", info: ":white_circle:" };

/** What happened, in words (escaped): "opened", "acknowledged by alice@bank.test" … */
function happened(notice: Notice): string {
  const i = notice.incident;
  switch (notice.event) {
    case "open":
      return "opened";
    case "acknowledge":
      return i?.snoozed_until ? `snoozed by ${slackEscape(i.acknowledged_by ?? "someone", 120)} until ${new Date(i.snoozed_until).toISOString()}` : `acknowledged by ${slackEscape(i?.acknowledged_by ?? "someone", 120)}`;
    case "resolve":
      return `resolved by ${slackEscape(i?.resolved_by ?? "someone", 120)}${i?.resolution ? ` (${i.resolution.replace("_", " ")})` : ""}`;
    case "reopen":
      return "reopened";
    case "escalate":
      return `escalated to level ${notice.level ?? "?"}: not acknowledged`;
    case "test":
      return "test";
  }
}

/** A Slack incoming-webhook message: `text` (the notification line) and blocks with the details. */
export function slackMessage(notice: Notice, url: string): { text: string; blocks?: unknown[] } {
  const i = notice.incident;
  if (!i) {
    return { text: `Vigil test notification for endpoint "${slackEscape(notice.endpointName, 100)}": this endpoint receives Vigil's incident notifications.` };
  }
  const severity = slackEscape(i.severity, 20);
  const title = slackEscape(i.title);
  const line = `[${severity.toUpperCase()}] Incident #${i.id} ${happened(notice)}: ${title}`;
  const fields = [
    `*Severity*\n${SEVERITY_MARK[i.severity] ?? ""} ${severity}`,
    `*Status*\n${i.status}`,
    `*Rule*\n${slackEscape(i.rule, 64)}`,
    `*Entity*\n${slackEscape(i.entity, 200)}`,
    `*Count*\n${i.count}`,
    `*Assignee*\n${i.assignee ? slackEscape(i.assignee, 120) : "nobody"}`,
  ];
  const blocks: unknown[] = [
    { type: "section", text: { type: "mrkdwn", text: `*<${url}|Incident #${i.id}>* ${happened(notice)}\n${title}` } },
    { type: "section", fields: fields.map((text) => ({ type: "mrkdwn", text })) },
  ];
  if (i.explanation) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: slackEscape(i.explanation, 600) }] });
  return { text: line, blocks };
}
