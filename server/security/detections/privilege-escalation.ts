import type { RuleState, SecurityDetection, SecurityRule, StoredEvent } from "../types";
import { FailureCounter, stateOf, hostOf, isAttempt, requesterOf, serviceOf, takeFailures } from "./attempts";
import { PRIVILEGE_ESCALATION_DEFAULTS, windowLimits, withDefaults, type PrivilegeEscalationOptions } from "./auth-config";
import { burstAround, displayName, evidenceIds, formatDuration, plural, totalWeight, TOP_MEMBERS } from "./report";
import { KeyedWindows, markSpans, REPORTED, type SpanSpec, type WindowEntry } from "./window";

export const PRIVILEGE_ESCALATION_RULE = "privilege_escalation";

/** The services whose failures are tries at another account's rights on the host itself. */
const SERVICES = new Set(["su", "sudo", "doas"]);

interface Who {
  service: string;
  host: string | null;
  account: string | null;
  requester: string | null;
}

const SEP = "\u0000";

function whoOf(e: StoredEvent): Who {
  return { service: serviceOf(e), host: hostOf(e), account: e.user, requester: requesterOf(e) };
}

/**
 * Key per service, host, account and requesting user. A credential attempt only: sudo's "command
 * not allowed" and PAM's "user unknown" are not password tries. With or without a source address:
 * a su from a remote shell is still a local privilege escalation.
 */
function keyOf(e: StoredEvent): string | null {
  const service = serviceOf(e);
  if (!SERVICES.has(service) || !isAttempt(e)) return null;
  const w = whoOf(e);
  return [service, w.host ?? "", w.account ?? "", w.requester ?? ""].join(SEP);
}

function whoOfKey(key: string): Who {
  const [service, host, account, requester] = key.split(SEP);
  return { service, host: host || null, account: account || null, requester: requester || null };
}

/**
 * Local privilege-escalation brute force: at least `threshold` failed su or sudo authentications
 * (default 7) on one host for one account by one user within `windowMs` (default 5 min). sudo's
 * "3 incorrect password attempts" counts 3, and PAM's line for the same run adds nothing (attempts.ts).
 * Entity `service:host:account:requester`; high; T1110.001 for su (guessing the target's password),
 * T1548.003 for sudo (abuse of sudo). Like brute force, the first report counts the whole span and
 * later ones each further failure, in any arrival order.
 */
export class PrivilegeEscalationRule implements SecurityRule {
  readonly name = PRIVILEGE_ESCALATION_RULE;
  readonly options: PrivilegeEscalationOptions;
  private readonly windows: KeyedWindows;
  private readonly counter: FailureCounter;
  private readonly spec: SpanSpec;

  get horizonMs(): number {
    return this.options.windowMs + this.options.reorderMs;
  }

  get leastReplayMs(): number {
    return Math.min(2 * this.options.windowMs, this.horizonMs);
  }

  constructor(options: Partial<PrivilegeEscalationOptions> = {}) {
    this.options = withDefaults(PRIVILEGE_ESCALATION_DEFAULTS, options);
    this.windows = new KeyedWindows(windowLimits(this.options));
    this.counter = new FailureCounter(this.options.maxConnections);
    this.spec = { windowMs: this.options.windowMs, minWeight: this.options.threshold };
  }

  observe(batch: readonly StoredEvent[]): SecurityDetection[] {
    const out: SecurityDetection[] = [];
    let targets: Map<number, string> | null = null;
    for (const [key, t] of takeFailures(batch, this.counter, this.windows, keyOf)) {
      const entries = this.windows.entries(key);
      if (!entries) continue;
      const newly = markSpans(entries, t.from, t.to, this.spec, REPORTED);
      if (newly.length) out.push(this.report(key, entries, newly, runAs((targets ??= targetsOf(batch)), newly)));
      this.windows.prune(key);
    }
    return out;
  }

  private report(key: string, entries: WindowEntry[], newly: WindowEntry[], targets: string[]): SecurityDetection {
    const o = this.options;
    const who = whoOfKey(key);
    const burst = burstAround(entries, newly, o.windowMs, REPORTED);
    const account = who.account === null ? null : displayName(who.account);
    const requester = who.requester === null ? null : displayName(who.requester);
    const host = who.host === null ? "" : ` on ${displayName(who.host)}`;
    const span = `in ${formatDuration(burst.last - burst.first)}; threshold ${o.threshold} in ${formatDuration(o.windowMs)}`;
    let title: string;
    let explanation: string;
    if (who.service === "sudo" || who.service === "doas") {
      // sudo and doas ask for the requester's own password; what sudo was after is USER= (root …)
      const tool = who.service;
      const user = requester ?? account ?? "an unnamed user";
      const other = account !== null && requester !== null && account !== requester ? ` (password of ${account})` : "";
      const as = targets.length ? ` to run as ${targets.join(", ")}` : "";
      title = `${tool} password guessing by ${user}${host}`;
      explanation = `${plural(burst.count, `failed ${tool} password`)} by ${user}${other}${host}${as} ${span}`;
    } else {
      const by = requester === null ? "" : ` by ${requester}`;
      title = `su password guessing for ${account ?? "an unnamed account"}${by}${host}`;
      explanation = `${plural(burst.count, "failed su attempt")} for ${account ?? "an unnamed account"}${by}${host} ${span}`;
    }
    return {
      rule: this.name,
      entity: [who.service, who.host ?? "", who.account ?? "", who.requester ?? ""].join(":"),
      title,
      severity: "high",
      firstSeen: newly[0].time,
      lastSeen: newly[newly.length - 1].time,
      increment: totalWeight(newly),
      explanation,
      // T1548.003 is sudo's own (sudo and sudo caching); doas is the parent technique's
      mitre: who.service === "sudo" ? "T1548.003" : who.service === "doas" ? "T1548" : "T1110.001",
      evidence: evidenceIds(newly),
      details: {
        failures: burst.count,
        added: totalWeight(newly),
        spanMs: burst.last - burst.first,
        burstFirstSeen: burst.first,
        burstLastSeen: burst.last,
        service: who.service,
        host: who.host,
        account: who.account,
        requester: who.requester,
        runAs: targets,
        threshold: { failures: o.threshold, windowMs: o.windowMs },
      },
    };
  }

  state(): RuleState {
    return stateOf([this.windows], this.counter);
  }

  get trackedKeys(): number {
    return this.windows.size;
  }

  get trackedConnections(): number {
    return this.counter.trackedConnections;
  }
}

/** sudo's target (`USER=root`) by event id, for the sudo failures of a batch that name one. */
function targetsOf(batch: readonly StoredEvent[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of batch) {
    const target = e.attributes?.target_user;
    if (e.kind === "auth_failure" && typeof target === "string" && target !== "") out.set(e.id, target);
  }
  return out;
}

/** The targets of the reported entries as far as this batch names them (at most TOP_MEMBERS, sorted). */
function runAs(targets: ReadonlyMap<number, string>, newly: readonly WindowEntry[]): string[] {
  const out = new Set<string>();
  for (const e of newly) {
    const target = targets.get(e.id);
    if (target !== undefined) out.add(displayName(target));
    if (out.size >= TOP_MEMBERS) break;
  }
  return [...out].sort();
}
