// Suricata EVE records as shippers deliver them, beside plain eve.json lines (eve.ts reads those,
// extra top-level fields such as Logstash's @timestamp, @version, tags or host included):
// - Filebeat's suricata module (and Elastic Agent's integration): the record under `suricata.eve`,
//   with the fields it moves to ECS read back from there (@timestamp, source.ip/port,
//   destination.ip/port, network.transport, event.severity, event.outcome, rule.*), nested or
//   with dotted keys ("suricata.eve.event_type") as documents are exported;
// - the EVE line as Suricata wrote it in `message` (Filebeat's log input, Logstash without a json
//   codec, Security Onion's documents);
// - an Elasticsearch hit, whose `_source` is one of these.
// A document with ECS fields and no EVE record is refused, naming what is read.

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export const ECS_ONLY =
  "no EVE record in this document: expected event_type (Suricata's eve.json), suricata.eve (Filebeat's suricata module) or the EVE line in message (Logstash, Security Onion); ECS fields alone (source.ip, rule.name …) are not read";

/** What a shipper's document holds: the EVE record, the EVE line (with the shipper's host name), or why neither; null when it is no shipper's document. */
export type Shipped = { rec: Rec } | { line: string; host?: string } | { reason: string };

/** Fields that make a document a shipper's (Elastic Common Schema, Logstash). */
const ECS_MARKS = ["@timestamp", "@version", "ecs", "agent", "event", "source", "destination", "observer", "suricata", "network", "log", "input", "fileset"];

/** Whether a text looks like an EVE line (an object naming an event_type), for a `message` that is no EVE. */
export const looksLikeEve = (text: string): boolean => /^\s*\{.*"event_type"\s*:/.test(text);

/** The EVE record or line of a document without a top-level event_type; null when it shows no shipper's fields. */
export function unwrapShipped(doc: Rec): Shipped | null {
  if (isRecord(doc._source) && (doc._index !== undefined || doc._id !== undefined)) doc = doc._source;
  doc = nested(doc);
  if (doc.event_type !== undefined) return { rec: doc };
  const suricata = isRecord(doc.suricata) ? doc.suricata : null;
  if (suricata && isRecord(suricata.eve)) return fromModule(suricata.eve, doc);
  const message = str(doc.message);
  if (message !== undefined && looksLikeEve(message)) return { line: message.trim(), host: hostOf(doc) };
  return ECS_MARKS.some((k) => k in doc) ? { reason: ECS_ONLY } : null;
}

/** The shipper's host name: ECS `host.name` (or hostname), Logstash's `host` string, `observer.name`, `agent.hostname`. */
function hostOf(doc: Rec): string | undefined {
  const host = doc.host;
  if (typeof host === "string") return str(host);
  if (isRecord(host)) return str(host.name) ?? str(host.hostname);
  return (isRecord(doc.observer) ? str(doc.observer.name) : undefined) ?? (isRecord(doc.agent) ? str(doc.agent.hostname) ?? str(doc.agent.name) : undefined);
}

/**
 * The record Filebeat's suricata module started from: `suricata.eve`, and back into it what the
 * module's pipeline moved out (each only where the record lacks it): `timestamp` (@timestamp),
 * `src_ip`/`src_port` (source.ip or source.address, source.port), `dest_ip`/`dest_port`,
 * `proto` (network.transport), `alert.severity` (event.severity), `alert.action` (event.outcome
 * allowed/blocked), `alert.signature` / `signature_id` / `category` (rule.name / id / category),
 * `host` (host.name …).
 */
function fromModule(eve: Rec, doc: Rec): Shipped {
  if (eve.event_type === undefined) return { reason: "suricata.eve.event_type: missing (Filebeat's suricata module keeps it)" };
  const rec: Rec = { ...eve };
  const source = isRecord(doc.source) ? doc.source : {};
  const destination = isRecord(doc.destination) ? doc.destination : {};
  const network = isRecord(doc.network) ? doc.network : {};
  const event = isRecord(doc.event) ? doc.event : {};
  const rule = isRecord(doc.rule) ? doc.rule : {};
  rec.timestamp ??= doc["@timestamp"] ?? doc.timestamp;
  rec.src_ip ??= source.ip ?? source.address;
  rec.src_port ??= source.port;
  rec.dest_ip ??= destination.ip ?? destination.address;
  rec.dest_port ??= destination.port;
  rec.proto ??= network.transport;
  rec.host ??= hostOf(doc);
  if (rec.event_type === "alert") {
    const alert: Rec = isRecord(rec.alert) ? { ...rec.alert } : {};
    alert.severity ??= event.severity;
    if (event.outcome === "allowed" || event.outcome === "blocked") alert.action ??= event.outcome;
    alert.signature ??= rule.name;
    alert.category ??= rule.category;
    const id = typeof rule.id === "string" && /^\d{1,10}$/.test(rule.id) ? Number(rule.id) : rule.id;
    alert.signature_id ??= id;
    rec.alert = alert;
  }
  return { rec };
}

/** The document with dotted keys ("suricata.eve.alert.signature", as exports flatten it) made nested; the same object when it has none. */
function nested(doc: Rec): Rec {
  if (!Object.keys(doc).some((k) => k.includes(".") && k !== "@timestamp")) return doc;
  const out: Rec = {};
  for (const [key, value] of Object.entries(doc)) {
    const path = key.split(".");
    if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let at = out;
    for (let i = 0; i < path.length - 1; i++) {
      const next = at[path[i]];
      if (!isRecord(next)) at[path[i]] = {};
      at = at[path[i]] as Rec;
    }
    const last = path[path.length - 1];
    at[last] = isRecord(value) && isRecord(at[last]) ? { ...(at[last] as Rec), ...value } : value;
  }
  return out;
}
