// Outbound webhook endpoints: create, change, delete (kept for history), and who hears what.
// Every change is audited in its own transaction; the list is cached (this process is the only writer).
import { randomBytes } from "node:crypto";
import { eq, isNull } from "drizzle-orm";
import type { VigilDb } from "../../../db/client";
import { notifyEndpoints } from "../../../db/schema";
import { severityRank, type Severity } from "../../../lib/contracts/common";
import type { Endpoint, EndpointInput, EndpointPatch, NotifyEvent } from "../../../lib/contracts/notify";
import type { AuditLog } from "../../audit/audit-log";
import type { Identity } from "../../auth/actor";
import { UserError } from "../../auth/users";
import type { Clock } from "../../clock";

type Row = typeof notifyEndpoints.$inferSelect;

/** An endpoint with what a delivery needs (the secret stays inside the server). */
export interface EndpointTarget extends Endpoint {
  secret: string;
}

const toTarget = (r: Row): EndpointTarget => ({
  id: r.id,
  name: r.name,
  url: r.url,
  format: r.format,
  events: r.events as NotifyEvent[],
  min_severity: r.minSeverity as Severity,
  enabled: r.enabled,
  created_at: r.createdAt,
  created_by: r.createdBy,
  updated_at: r.updatedAt,
  secret: r.secret,
});

/** The public view: everything but the secret. */
export const publicView = ({ secret: _secret, ...endpoint }: EndpointTarget): Endpoint => endpoint;

/** Whether an incident of `severity` is at least as severe as `min` (unknown severities count as info). */
export const atLeast = (severity: string, min: Severity) => (severityRank[severity as Severity] ?? severityRank.info) <= severityRank[min];

export class EndpointStore {
  private cache: EndpointTarget[] | null = null;

  constructor(
    private readonly db: VigilDb,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    /** called after a change (pending deliveries of a disabled or deleted endpoint are cancelled there) */
    private readonly onChange: (endpoint: EndpointTarget, change: "created" | "updated" | "deleted") => void = () => {},
  ) {}

  /** Every endpoint that is not deleted, oldest first. */
  all(): EndpointTarget[] {
    this.cache ??= this.db.select().from(notifyEndpoints).where(isNull(notifyEndpoints.deletedAt)).orderBy(notifyEndpoints.id).all().map(toTarget);
    return this.cache;
  }

  get(id: number): EndpointTarget | null {
    return this.all().find((e) => e.id === id) ?? null;
  }

  /** Any endpoint ever made, deleted ones included (history names them). */
  nameOf(id: number): string {
    const live = this.get(id);
    if (live) return live.name;
    return this.db.select({ name: notifyEndpoints.name }).from(notifyEndpoints).where(eq(notifyEndpoints.id, id)).get()?.name ?? `endpoint ${id}`;
  }

  /** Enabled endpoints subscribed to `event` for an incident of `severity`. */
  subscribers(event: NotifyEvent, severity: string): EndpointTarget[] {
    return this.all().filter((e) => e.enabled && e.events.includes(event) && atLeast(severity, e.min_severity));
  }

  /** Creates an endpoint; the answer carries the secret, the only time it is shown. */
  create(input: EndpointInput, who: Identity): { endpoint: Endpoint; secret: string } {
    const now = this.clock.now();
    const secret = input.secret ?? randomBytes(32).toString("hex");
    const row = this.db.transaction(() => {
      const created = this.db
        .insert(notifyEndpoints)
        .values({ name: input.name, url: input.url, format: input.format, secret, events: input.events, minSeverity: input.min_severity, enabled: input.enabled, createdAt: now, createdBy: who.name, updatedAt: now })
        .returning()
        .get();
      this.audit.append({ actor: who.name, action: "notification_endpoint_created", target: `endpoint ${created.id}: ${created.name}`, sourceIp: who.sourceIp, after: publicView(toTarget(created)) });
      return created;
    });
    this.cache = null;
    const target = toTarget(row);
    this.onChange(target, "created");
    return { endpoint: publicView(target), secret };
  }

  update(id: number, patch: EndpointPatch, who: Identity): Endpoint {
    const current = this.get(id);
    if (!current) throw new UserError("not_found", `notification endpoint ${id} not found`);
    const now = this.clock.now();
    const row = this.db.transaction(() => {
      const updated = this.db
        .update(notifyEndpoints)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.format !== undefined ? { format: patch.format } : {}),
          ...(patch.secret !== undefined ? { secret: patch.secret } : {}),
          ...(patch.events !== undefined ? { events: patch.events } : {}),
          ...(patch.min_severity !== undefined ? { minSeverity: patch.min_severity } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
          updatedAt: now,
        })
        .where(eq(notifyEndpoints.id, id))
        .returning()
        .get();
      const after = { ...publicView(toTarget(updated)), ...(patch.secret !== undefined ? { secret: "(replaced)" } : {}) };
      this.audit.append({ actor: who.name, action: "notification_endpoint_updated", target: `endpoint ${id}: ${updated.name}`, sourceIp: who.sourceIp, before: publicView(current), after });
      return updated;
    });
    this.cache = null;
    const target = toTarget(row);
    this.onChange(target, "updated");
    return publicView(target);
  }

  /** Deletes an endpoint (its row stays for history); `inUse` names the escalation levels that still page it. */
  remove(id: number, who: Identity, inUse: string | null): Endpoint {
    const current = this.get(id);
    if (!current) throw new UserError("not_found", `notification endpoint ${id} not found`);
    if (inUse) throw new UserError("conflict", `endpoint ${id} is paged by the escalation policy (${inUse}): remove it there first`);
    this.db.transaction(() => {
      this.db.update(notifyEndpoints).set({ deletedAt: this.clock.now(), enabled: false }).where(eq(notifyEndpoints.id, id)).run();
      this.audit.append({ actor: who.name, action: "notification_endpoint_deleted", target: `endpoint ${id}: ${current.name}`, sourceIp: who.sourceIp, before: publicView(current) });
    });
    this.cache = null;
    this.onChange(current, "deleted");
    return publicView(current);
  }
}
