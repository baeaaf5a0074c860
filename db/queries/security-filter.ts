import { and, eq, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { VigilDb } from "../client";
import { securityEvents as e } from "../schema";
import { EVENT_KINDS, type EventCursor, type EventFilter } from "../../lib/contracts/events";
import { SEVERITIES } from "../../lib/contracts/common";
import { canonicalIp } from "../../lib/net/ip";

/**
 * How the triage filter reaches its rows. Each query reads one *path*: an index whose ranges hold
 * every matching row in (time, id) order — one index range, or several merged (kind × severity
 * arms) — and checks the rest of the filter (the *residual*) on the rows the path yields. Among the
 * candidate paths the one holding the fewest rows wins (each probed up to PROBE rows), so a rare
 * source beats a common signature and a short time range beats both. Plans are pinned with INDEXED
 * BY: statistics can change which rows a path costs, never which index a query reads.
 */
export interface Path {
  name: "incident" | "src" | "src_host" | "user" | "signature" | "kind_severity" | "time";
  /** one SELECT source per arm: `security_events INDEXED BY …` and the arm's own index terms */
  arms: { from: SQL; terms: SQL[] }[];
  /** the filter's terms the path's index does not answer, checked on table rows */
  residual: SQL[];
}

/** Rows a probe reads at most while choosing a path. */
const PROBE = 4_000;

const table = (index: string) => sql.raw(`security_events INDEXED BY ${index}`);
const noIndex = sql.raw("security_events NOT INDEXED");

/** `%` and `_` in the text are literal: escaped for LIKE … ESCAPE '\'. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The source as stored: an address in canonical form (src_ip), anything else a host name (src_host). */
export function sourceTerm(value: string): { column: "src_ip" | "src_host"; value: string } {
  const ip = canonicalIp(value);
  // host names are stored lower-case (case does not name another host)
  return ip ? { column: "src_ip", value: ip } : { column: "src_host", value: value.toLowerCase() };
}

/** Every term of the filter by what it constrains. */
function terms(f: EventFilter) {
  const src = f.src ? sourceTerm(f.src) : undefined;
  const q = f.q ? likePattern(f.q) : undefined;
  return {
    time: [f.since !== undefined ? gte(e.time, f.since) : undefined, f.until !== undefined ? lt(e.time, f.until) : undefined].filter((t): t is SQL => !!t),
    kind: f.kind ? inArray(e.kind, f.kind) : undefined,
    severity: f.severity ? inArray(e.severity, f.severity) : undefined,
    src_ip: src?.column === "src_ip" ? eq(e.srcIp, src.value) : undefined,
    src_host: src?.column === "src_host" ? eq(e.srcHost, src.value) : undefined,
    dst: f.dst ? eq(e.dstIp, canonicalIp(f.dst) ?? f.dst) : undefined,
    user: f.user !== undefined ? eq(e.user, f.user) : undefined,
    signature: f.signature !== undefined ? eq(e.signature, f.signature) : undefined,
    // stored lower-case, as the parsers and JSON ingest name it
    service: f.service !== undefined ? eq(e.service, f.service.toLowerCase()) : undefined,
    q: q
      ? sql`(${or(...[e.signature, e.message, e.user, e.srcIp, e.srcHost, e.service].map((c) => sql`${c} LIKE ${q} ESCAPE '\\'`))})`
      : undefined,
    incident: f.incident !== undefined ? sql`${e.id} IN (SELECT event_id FROM incident_events WHERE incident_id = ${f.incident})` : undefined,
  };
}

type Terms = ReturnType<typeof terms>;
type Key = Exclude<keyof Terms, "time">;

function candidates(f: EventFilter, t: Terms): Path[] {
  const rest = (...used: Key[]) => (Object.keys(t) as (keyof Terms)[]).filter((k) => k !== "time" && !used.includes(k)).map((k) => t[k as Key]).filter((x): x is SQL => !!x);
  const one = (name: Path["name"], index: string, key: Key): Path => ({ name, arms: [{ from: table(index), terms: [t[key]!, ...t.time] }], residual: rest(key) });
  // at most EVIDENCE_CAP events per incident: read by rowid and sorted, whatever else is asked
  if (t.incident) return [{ name: "incident", arms: [{ from: noIndex, terms: [t.incident, ...t.time] }], residual: rest("incident") }];
  const paths: Path[] = [];
  if (t.src_ip) paths.push(one("src", "security_events_src_time", "src_ip"));
  if (t.src_host) paths.push(one("src_host", "security_events_src_host_time", "src_host"));
  if (t.user) paths.push(one("user", "security_events_user_time", "user"));
  if (t.signature) paths.push(one("signature", "security_events_signature_time", "signature"));
  if (f.kind || f.severity) {
    // one arm per (kind, severity): each is a range of (kind, severity, time) already in time order
    const arms = (f.kind ?? EVENT_KINDS).flatMap((k) => (f.severity ?? SEVERITIES).map((s) => ({ from: table("security_events_kind_severity_time"), terms: [eq(e.kind, k), eq(e.severity, s), ...t.time] })));
    paths.push({ name: "kind_severity", arms, residual: rest("kind", "severity") });
  }
  paths.push({ name: "time", arms: [{ from: table("security_events_time"), terms: t.time }], residual: rest() });
  return paths;
}

/** The path for a filter: the candidate holding the fewest rows (probed up to PROBE each). */
export function choosePath(db: VigilDb, f: EventFilter): Path {
  const paths = candidates(f, terms(f));
  if (paths.length === 1) return paths[0];
  let best = paths[0];
  let fewest = Infinity;
  for (const p of paths) {
    // the time path without a time range holds every row: only the fallback
    if (p.name === "time" && f.since === undefined && f.until === undefined) continue;
    const n = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (${union(p, sql`1 AS one`, [], sql`LIMIT ${PROBE}`)})`)!.n;
    if (n < fewest) {
      best = p;
      fewest = n;
    }
    if (n < PROBE / 10) break;
  }
  return best;
}

/** Strictly older than a cursor, written as a range on time so the index search bounds it. */
export function olderThan(c: EventCursor): SQL {
  return and(lte(e.time, c.time), or(lt(e.time, c.time), lt(e.id, c.id)))!;
}

/** At or newer than a row (the last a bounded scan may read). */
export function notOlderThan(c: EventCursor): SQL {
  return and(gte(e.time, c.time), or(sql`${e.time} > ${c.time}`, gte(e.id, c.id)))!;
}

/**
 * The path's rows as one statement: `select` from every arm with its terms and `extra`, merged in
 * (time, id) order when there are several arms (each arm is read in its index order and only as
 * far as the merge needs). `tail` is the ORDER BY / LIMIT part.
 */
export function union(p: Path, select: SQL, extra: SQL[], tail: SQL = sql``): SQL {
  const arms = p.arms.map((a) => {
    const where = and(...a.terms, ...extra);
    return sql`SELECT ${select} FROM ${a.from}${where ? sql` WHERE ${where}` : sql``}`;
  });
  return sql`${sql.join(arms, sql` UNION ALL `)} ${tail}`;
}

export const NEWEST_FIRST = sql.raw(`ORDER BY "time" DESC, "id" DESC`);
