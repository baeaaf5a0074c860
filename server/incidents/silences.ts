// Silences: a matcher with a reason and an expiry. A detection that matches an active silence is
// counted on the silence and opens or grows no incident (so nobody is notified); the events it
// came from are stored as ever. Active silences are few: they are kept in memory and reloaded on
// every change, and matching costs a loop over them per detection.
import type Database from "better-sqlite3";
import { severityRank, type Severity } from "../../lib/contracts/common";
import type { Silence, SilenceMatcher } from "../../lib/contracts/incidents";
import { entityTokens } from "./plans";

/** What a silence is matched against: a detection about to open or grow an incident. */
export interface SilenceSubject {
  rule: string;
  entity: string;
  pane: "network" | "security";
  severity: string;
}

type Raw = Record<string, unknown>;

function stateOf(r: { starts_at: number; ends_at: number; ended_at: number | null }, now: number): Silence["state"] {
  if (r.ended_at !== null) return "ended";
  if (now < r.starts_at) return "pending";
  return now < r.ends_at ? "active" : "expired";
}

const toSilence = (r: Raw, now: number): Silence => {
  const base = {
    id: r.id as number,
    matcher: JSON.parse(r.matcher as string) as SilenceMatcher,
    reason: r.reason as string,
    created_by: r.created_by as string,
    created_at: r.created_at as number,
    starts_at: r.starts_at as number,
    ends_at: r.ends_at as number,
    ended_at: (r.ended_at as number | null) ?? null,
    ended_by: (r.ended_by as string | null) ?? null,
    hits: r.hits as number,
    last_hit_at: (r.last_hit_at as number | null) ?? null,
  };
  return { ...base, state: stateOf(base, now) };
};

/** The tags of the node a network detection is about (null when it is about no node). */
export type TagsOf = (d: SilenceSubject) => Record<string, string> | null;

/** Whether a matcher covers a detection (every field given must match; a tag needs the node's tags). */
export function matches(m: SilenceMatcher, d: SilenceSubject, tagsOf: TagsOf = () => null): boolean {
  if (m.rule !== undefined && m.rule !== d.rule) return false;
  if (m.pane !== undefined && m.pane !== d.pane) return false;
  if (m.entity !== undefined && m.entity !== d.entity) return false;
  if (m.source !== undefined && !entityTokens(d.entity).includes(m.source.toLowerCase())) return false;
  if (m.severity !== undefined && (severityRank[d.severity as Severity] ?? 9) < severityRank[m.severity]) return false;
  if (m.tag !== undefined) {
    const at = m.tag.indexOf("=");
    const tags = tagsOf(d);
    if (!tags || tags[m.tag.slice(0, at)] !== m.tag.slice(at + 1)) return false;
  }
  return true;
}

export class Silences {
  private cache: { id: number; matcher: SilenceMatcher; starts_at: number; ends_at: number }[] = [];
  private readonly s;

  constructor(
    sqlite: Database.Database,
    private readonly now: () => number,
    /** node tags for `tag` matchers (the core's network service) */
    private readonly tagsOf: TagsOf = () => null,
  ) {
    this.s = {
      all: sqlite.prepare(`SELECT * FROM silences ORDER BY id DESC LIMIT ?`),
      one: sqlite.prepare(`SELECT * FROM silences WHERE id = ?`),
      live: sqlite.prepare(`SELECT id, matcher, starts_at, ends_at FROM silences WHERE ended_at IS NULL AND ends_at > ?`),
      insert: sqlite.prepare(`INSERT INTO silences (matcher, reason, created_by, created_at, starts_at, ends_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *`),
      end: sqlite.prepare(`UPDATE silences SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL AND ends_at > ? RETURNING *`),
      hit: sqlite.prepare(`UPDATE silences SET hits = hits + ?, last_hit_at = max(coalesce(last_hit_at, 0), ?) WHERE id = ?`),
    };
    this.reload();
  }

  /** Reads the silences that have not ended (pending or active) into memory. */
  reload(): void {
    this.cache = (this.s.live.all(this.now()) as Raw[]).map((r) => ({
      id: r.id as number,
      matcher: JSON.parse(r.matcher as string) as SilenceMatcher,
      starts_at: r.starts_at as number,
      ends_at: r.ends_at as number,
    }));
  }

  /**
   * The active silence covering this detection, counted (`weight` occurrences at `at`), or null.
   * Runs inside the caller's transaction.
   */
  hold(d: SilenceSubject, weight: number, at: number): number | null {
    if (this.cache.length === 0) return null;
    const now = this.now();
    for (const s of this.cache) {
      if (now < s.starts_at || now >= s.ends_at) continue;
      if (!matches(s.matcher, d, this.tagsOf)) continue;
      this.s.hit.run(Math.max(1, weight), at, s.id);
      return s.id;
    }
    return null;
  }

  list(limit = 200): Silence[] {
    const now = this.now();
    return (this.s.all.all(limit) as Raw[]).map((r) => toSilence(r, now));
  }

  get(id: number): Silence | null {
    const r = this.s.one.get(id) as Raw | undefined;
    return r ? toSilence(r, this.now()) : null;
  }

  create(matcher: SilenceMatcher, reason: string, startsAt: number, endsAt: number, actor: string): Silence {
    const r = this.s.insert.get(JSON.stringify(matcher), reason, actor, this.now(), startsAt, endsAt) as Raw;
    this.reload();
    return toSilence(r, this.now());
  }

  /** Ends a silence now; null when there is none that has not ended. */
  end(id: number, actor: string): Silence | null {
    const r = this.s.end.get(this.now(), actor, id, this.now()) as Raw | undefined;
    this.reload();
    return r ? toSilence(r, this.now()) : null;
  }
}
