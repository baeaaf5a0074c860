// Response plans and their checklists, links between incidents, and suggested links. Plain
// prepared statements; the core wraps each change in a transaction with its audit entry.
import type Database from "better-sqlite3";
import type {
  ChecklistItem,
  Incident,
  IncidentChecklist,
  IncidentLink,
  LinkSuggestion,
  ResponsePlan,
  ResponsePlanInput,
} from "../../lib/contracts/incidents";
import { rawToIncident } from "./work";

type Raw = Record<string, unknown>;

const toPlan = (r: Raw): ResponsePlan => ({
  id: r.id as number,
  name: r.name as string,
  rule: (r.rule as string | null) ?? null,
  severity: (r.severity as ResponsePlan["severity"]) ?? null,
  runbook_url: (r.runbook_url as string | null) ?? null,
  steps: JSON.parse(r.steps as string) as ResponsePlan["steps"],
  updated_by: r.updated_by as string,
  updated_at: r.updated_at as number,
});

const toItem = (r: Raw): ChecklistItem => ({
  step_id: r.step_id as string,
  text: r.text as string,
  phase: r.phase as ChecklistItem["phase"],
  required: r.required === 1,
  done_by: (r.done_by as string | null) ?? null,
  done_at: (r.done_at as number | null) ?? null,
});

/** How long around an incident's activity an incident of the other pane counts as "within minutes". */
export const SUGGEST_WINDOW_MS = 15 * 60_000;

/** Parts of an entity worth matching: addresses, node keys, services, host names ("sshd:203.0.113.5" → sshd, 203.0.113.5). */
export function entityTokens(entity: string): string[] {
  const out = new Set<string>();
  // an IPv6 address keeps its colons: take it whole when the entity is one, else split on ':'
  const parts = /^[0-9a-f:]+$/i.test(entity) && entity.includes("::") ? [entity] : entity.split(/[:/\s,]+/);
  for (const p of parts) {
    const t = p.trim().toLowerCase();
    if (t.length >= 3 && t !== "unknown" && t !== "vigil") out.add(t);
  }
  return [...out];
}

export class ResponseWork {
  private readonly s;

  constructor(private readonly sqlite: Database.Database) {
    this.s = {
      plans: sqlite.prepare(`SELECT * FROM response_plans ORDER BY id`),
      plan: sqlite.prepare(`SELECT * FROM response_plans WHERE id = ?`),
      insertPlan: sqlite.prepare(
        `INSERT INTO response_plans (name, rule, severity, runbook_url, steps, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      updatePlan: sqlite.prepare(
        `UPDATE response_plans SET name = ?, rule = ?, severity = ?, runbook_url = ?, steps = ?, updated_by = ?, updated_at = ? WHERE id = ? RETURNING *`,
      ),
      deletePlan: sqlite.prepare(`DELETE FROM response_plans WHERE id = ?`),
      // the most specific plan: rule and severity, rule, severity, default
      planFor: sqlite.prepare(
        `SELECT * FROM response_plans WHERE (rule = @rule OR rule IS NULL) AND (severity = @severity OR severity IS NULL)
         ORDER BY (rule IS NOT NULL) * 2 + (severity IS NOT NULL) DESC LIMIT 1`,
      ),
      items: sqlite.prepare(`SELECT * FROM incident_checklist WHERE incident_id = ? ORDER BY position`),
      insertItem: sqlite.prepare(
        `INSERT OR IGNORE INTO incident_checklist (incident_id, step_id, position, plan_id, text, phase, required) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      tick: sqlite.prepare(`UPDATE incident_checklist SET done_by = ?, done_at = ? WHERE incident_id = ? AND step_id = ? RETURNING *`),
      incident: sqlite.prepare(`SELECT * FROM incidents WHERE id = ?`),
      links: sqlite.prepare(
        `SELECT l.a, l.b, l.kind, l.created_by, l.created_at, i.id, i.title, i.pane, i.status, i.severity
         FROM incident_links l JOIN incidents i ON i.id = CASE WHEN l.a = @id THEN l.b ELSE l.a END
         WHERE l.a = @id OR l.b = @id ORDER BY l.created_at`,
      ),
      link: sqlite.prepare(`INSERT INTO incident_links (a, b, kind, created_by, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(a, b) DO UPDATE SET kind = excluded.kind`),
      unlink: sqlite.prepare(`DELETE FROM incident_links WHERE a = ? AND b = ?`),
      // incidents of the other pane active around this one (bounded: the newest 500)
      around: sqlite.prepare(
        `SELECT * FROM incidents WHERE pane = @pane AND id <> @id AND last_seen >= @from AND first_seen <= @to ORDER BY last_seen DESC LIMIT 500`,
      ),
    };
  }

  listPlans(): ResponsePlan[] {
    return (this.s.plans.all() as Raw[]).map(toPlan);
  }

  getPlan(id: number): ResponsePlan | null {
    const r = this.s.plan.get(id) as Raw | undefined;
    return r ? toPlan(r) : null;
  }

  /** Creates a plan; null when one already covers the same rule and severity. */
  createPlan(input: ResponsePlanInput, actor: string, now: number): ResponsePlan | null {
    try {
      return toPlan(this.s.insertPlan.get(input.name, input.rule, input.severity, input.runbook_url, JSON.stringify(input.steps), actor, now) as Raw);
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return null;
      throw error;
    }
  }

  /** Replaces a plan; "missing" or "clash" (another plan covers that rule and severity). Incidents keep the steps they already show. */
  updatePlan(id: number, input: ResponsePlanInput, actor: string, now: number): ResponsePlan | "missing" | "clash" {
    try {
      const r = this.s.updatePlan.get(input.name, input.rule, input.severity, input.runbook_url, JSON.stringify(input.steps), actor, now, id) as Raw | undefined;
      return r ? toPlan(r) : "missing";
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return "clash";
      throw error;
    }
  }

  deletePlan(id: number): boolean {
    return this.s.deletePlan.run(id).changes > 0;
  }

  /**
   * The incident's checklist. The first time it is asked for, the plan that applies is copied into
   * the incident (so editing a plan later changes no incident already being worked).
   */
  checklist(incident: Pick<Incident, "id" | "rule" | "severity">): IncidentChecklist {
    let rows = this.s.items.all(incident.id) as Raw[];
    if (rows.length === 0) {
      const plan = this.s.planFor.get({ rule: incident.rule, severity: incident.severity }) as Raw | undefined;
      if (!plan) return { plan: null, items: [] };
      const p = toPlan(plan);
      p.steps.forEach((step, i) => this.s.insertItem.run(incident.id, step.id, i, p.id, step.text, step.phase, step.required ? 1 : 0));
      rows = this.s.items.all(incident.id) as Raw[];
    }
    const planId = rows[0].plan_id as number;
    const plan = this.getPlan(planId);
    return { plan: plan ? { id: plan.id, name: plan.name, runbook_url: plan.runbook_url } : { id: planId, name: "(plan since deleted)", runbook_url: null }, items: rows.map(toItem) };
  }

  /** Ticks or unticks one step; null when the incident has no such step. */
  tick(incident: Pick<Incident, "id" | "rule" | "severity">, stepId: string, done: boolean, actor: string, now: number): ChecklistItem | null {
    this.checklist(incident);
    const r = this.s.tick.get(done ? actor : null, done ? now : null, incident.id, stepId) as Raw | undefined;
    return r ? toItem(r) : null;
  }

  /** Required steps not yet done (they block a "fixed" resolution unless overridden). */
  openRequired(incident: Pick<Incident, "id" | "rule" | "severity">): ChecklistItem[] {
    return this.checklist(incident).items.filter((i) => i.required && i.done_at === null);
  }

  links(id: number): IncidentLink[] {
    return (this.s.links.all({ id }) as Raw[]).map((r) => {
      const kind = r.kind as string;
      const mine = r.a === id;
      // stored as a → b ("a caused_by b"); read from b it is the other direction
      const seen = mine ? kind : kind === "caused_by" ? "causes" : kind === "duplicate_of" ? "duplicated_by" : kind;
      return {
        id: r.id as number,
        kind: seen as IncidentLink["kind"],
        title: r.title as string,
        pane: r.pane as IncidentLink["pane"],
        status: r.status as IncidentLink["status"],
        severity: r.severity as string,
        created_by: r.created_by as string,
        created_at: r.created_at as number,
      };
    });
  }

  /** Links `id` to `other` with `kind` read from `id` ("id caused_by other"): one row per pair, replacing any link between them. */
  link(id: number, other: number, kind: string, actor: string, now: number): void {
    this.s.unlink.run(other, id);
    this.s.link.run(id, other, kind, actor, now);
  }

  unlink(id: number, other: number): boolean {
    return this.s.unlink.run(id, other).changes + this.s.unlink.run(other, id).changes > 0;
  }

  /**
   * Incidents of the other pane, active within SUGGEST_WINDOW_MS of this one, whose entity shares
   * an address, node key, service or host name with this one's, not already linked.
   */
  suggestions(incident: Incident): LinkSuggestion[] {
    const mine = new Set(entityTokens(incident.entity));
    if (mine.size === 0) return [];
    const linked = new Set(this.links(incident.id).map((l) => l.id));
    const other = incident.pane === "network" ? "security" : "network";
    const rows = this.s.around.all({ pane: other, id: incident.id, from: incident.first_seen - SUGGEST_WINDOW_MS, to: incident.last_seen + SUGGEST_WINDOW_MS }) as Raw[];
    const out: LinkSuggestion[] = [];
    for (const raw of rows) {
      const i = rawToIncident(raw);
      if (linked.has(i.id)) continue;
      const shared = entityTokens(i.entity).filter((t) => mine.has(t));
      if (shared.length) out.push({ id: i.id, title: i.title, pane: i.pane, status: i.status, severity: i.severity, shared });
      if (out.length >= 10) break;
    }
    return out;
  }

  exists(id: number): Incident | null {
    const r = this.s.incident.get(id) as Raw | undefined;
    return r ? rawToIncident(r) : null;
  }
}
