// The rules file (VIGIL_RULES): the thresholds and windows of the security detections, in YAML (JSON
// is YAML too). Top-level keys are the rule names incidents show; each rule lists only the knobs
// it changes, the rest keep their defaults (README "Detections and incidents"). Unknown rules and
// knobs, and values out of range, are problems with file:line:col and reason: a file with any
// problem is not applied at all.
import { isMap, isScalar, type Document } from "yaml";
import { z } from "zod";
import { DurationError, parseDuration } from "../network/duration";
import { keyOffset, offsetOf, readYaml, type ConfigProblem } from "../network/config";
import { BRUTE_FORCE_DEFAULTS, SLOW_BRUTE_FORCE_DEFAULTS } from "./detections/auth-config";
import { PAYMENT_DIMENSIONS } from "./detections/payment-fields";
import { RuleSet, type RulesConfig } from "./detections/rules";

const DAY = 86_400_000;

/** A duration with a unit ("2m", "1h30m"), within [min, max]; a bare number is refused with the reason, not guessed. */
const duration = (min: number, max: number) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const text = String(value);
    let ms: number;
    try {
      ms = parseDuration(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof DurationError ? error.message : String(error) });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: "custom", message: `${text} is outside ${fmt(min)} to ${fmt(max)}` });
      return z.NEVER;
    }
    return ms;
  });
const fmt = (ms: number) => (ms % DAY === 0 ? `${ms / DAY}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

const count = (max = 1_000_000) => z.number("must be a whole number").int("must be a whole number").min(1, "must be at least 1").max(max, `must be at most ${max}`);
const amount = z.number("must be a number").positive("must be more than 0").max(1e12, "must be at most 1e12");
const window = duration(1000, 7 * DAY);
/** how far out of time order an auth rule's events may arrive and still be matched (0 to 1 day) */
const reorder = duration(0, DAY);

const authFailures = z.strictObject({ failures: count().optional(), window: window.optional(), reorder: reorder.optional() });

/** The file's shape: rule names, then the knobs of each. */
export const rulesFileSchema = z.strictObject({
  brute_force: authFailures.optional(),
  brute_force_slow: authFailures.optional(),
  password_spraying: z.strictObject({ accounts: count(100_000).optional(), window: window.optional(), reorder: reorder.optional() }).optional(),
  distributed_attack: z.strictObject({ failures: count().optional(), sources: count(100_000).optional(), window: window.optional(), reorder: reorder.optional() }).optional(),
  success_after_failures: authFailures.optional(),
  privilege_escalation: authFailures.optional(),
  ids_priority: z.strictObject({ max_priority: z.number("must be a whole number").int("must be a whole number").min(1, "must be at least 1").max(255, "must be at most 255").optional() }).optional(),
  ids_campaign: z.strictObject({ sources: count(100_000).optional(), window: window.optional() }).optional(),
  ids_persistent_source: z.strictObject({ alerts: count().optional(), signatures: count(10_000).optional(), alerts_with_signatures: count().optional(), window: window.optional() }).optional(),
  ids_engine_noise: z.strictObject({ events: count().optional(), window: window.optional() }).optional(),
  port_scan: z.strictObject({ ports: count(65_536).optional(), hosts: count().optional(), window: window.optional() }).optional(),
  payment_velocity: z
    .strictObject({
      transactions: count().optional(),
      amount: amount.optional(),
      amount_min_transactions: count().optional(),
      window: window.optional(),
      dimensions: z.array(z.enum(PAYMENT_DIMENSIONS)).min(1).optional(),
      severity: z.enum(["critical", "high", "medium", "low", "info"]).optional(),
    })
    .optional(),
  card_testing: z
    .strictObject({
      small_amount: amount.optional(),
      small_attempts: count().optional(),
      decline_ratio: z.number("must be a number").gt(0, "must be more than 0").max(1, "must be at most 1 (all declined)").optional(),
      cards: count().optional(),
      window: window.optional(),
      dimensions: z.array(z.enum(["ip", "device"])).min(1).optional(),
    })
    .optional(),
});
export type RulesFileInput = z.infer<typeof rulesFileSchema>;

/** Drops the keys whose value is undefined, so a rule's part holds only what the file says. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const auth = (r: { failures?: number; window?: number; reorder?: number } | undefined, count: "threshold" | "minFailures") =>
  r && defined({ [count]: r.failures, windowMs: r.window, reorderMs: r.reorder });

/**
 * The file's knobs as the rules' options. The slow brute-force rule leaves the fast rule's bursts
 * alone, so it is told the fast rule's threshold and window whenever either is set.
 */
export function toRulesConfig(f: RulesFileInput): RulesConfig {
  const bruteForce = auth(f.brute_force, "threshold");
  const fast = f.brute_force && (f.brute_force.failures !== undefined || f.brute_force.window !== undefined) ? { fast: { threshold: f.brute_force.failures ?? BRUTE_FORCE_DEFAULTS.threshold, windowMs: f.brute_force.window ?? BRUTE_FORCE_DEFAULTS.windowMs } } : {};
  const slow = auth(f.brute_force_slow, "threshold");
  return {
    auth: defined({
      bruteForce,
      bruteForceSlow: slow || Object.keys(fast).length ? { ...slow, ...fast } : undefined,
      passwordSpraying: f.password_spraying && defined({ minAccounts: f.password_spraying.accounts, windowMs: f.password_spraying.window, reorderMs: f.password_spraying.reorder }),
      distributedAttack: f.distributed_attack && defined({ minFailures: f.distributed_attack.failures, minSources: f.distributed_attack.sources, windowMs: f.distributed_attack.window, reorderMs: f.distributed_attack.reorder }),
      successAfterFailures: auth(f.success_after_failures, "minFailures"),
      privilegeEscalation: auth(f.privilege_escalation, "threshold"),
    }),
    ids: defined({
      priority: f.ids_priority && defined({ maxPriority: f.ids_priority.max_priority }),
      campaign: f.ids_campaign && defined({ minSources: f.ids_campaign.sources, windowMs: f.ids_campaign.window }),
      persistentSource:
        f.ids_persistent_source &&
        defined({ minAlerts: f.ids_persistent_source.alerts, minSignatures: f.ids_persistent_source.signatures, minAlertsWithSignatures: f.ids_persistent_source.alerts_with_signatures, windowMs: f.ids_persistent_source.window }),
      engineNoise: f.ids_engine_noise && defined({ minEvents: f.ids_engine_noise.events, windowMs: f.ids_engine_noise.window }),
      portScan: f.port_scan && defined({ minPorts: f.port_scan.ports, minHosts: f.port_scan.hosts, windowMs: f.port_scan.window }),
    }),
    payments: defined({
      velocity:
        f.payment_velocity &&
        defined({
          maxTransactions: f.payment_velocity.transactions,
          maxAmount: f.payment_velocity.amount,
          amountMinTransactions: f.payment_velocity.amount_min_transactions,
          windowMs: f.payment_velocity.window,
          dimensions: f.payment_velocity.dimensions,
          severity: f.payment_velocity.severity,
        }),
      cardTesting:
        f.card_testing &&
        defined({
          smallAmount: f.card_testing.small_amount,
          minSmallAttempts: f.card_testing.small_attempts,
          minDeclineRatio: f.card_testing.decline_ratio,
          minCards: f.card_testing.cards,
          windowMs: f.card_testing.window,
          dimensions: f.card_testing.dimensions,
        }),
    }),
  };
}

export type RulesParse = { ok: true; config: RulesConfig; rules: string[] } | { ok: false; problems: ConfigProblem[] };

/**
 * Parses the text of a rules file: YAML syntax, then the schema (unknown rules and knobs, bad
 * values), then what the rules themselves refuse (a slow window shorter than the fast one).
 * `rules` lists the rules the file sets. At most `max` problems are listed.
 */
export function parseRulesConfig(text: string, file: string, max = 20): RulesParse {
  const read = readYaml(text, file, max, 100);
  if (!read.ok) return read;
  const { doc, value, at } = read;
  const parsed = rulesFileSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
        if (issue.code === "unrecognized_keys") {
          const what = issue.path.length === 0 ? `unknown rule ${JSON.stringify(issue.keys[0])} (rules: ${rulesFileSchema.keyof().options.join(", ")})` : `unknown setting ${JSON.stringify(issue.keys[0])} (settings: ${knobsOf(issue.path[0])})`;
          return at(keyOffset(doc, issue.path, issue.keys[0]), `${where}${what}`);
        }
        return at(offsetOf(doc, issue.path), `${where}${issue.message}`);
      })
        // in the file's order, whatever order the schema found them in
        .sort((a, b) => a.line - b.line || a.col - b.col)
        .slice(0, max),
    };
  }
  const config = toRulesConfig(parsed.data);
  const slow = config.auth?.bruteForceSlow;
  const slowWindow = slow?.windowMs ?? SLOW_BRUTE_FORCE_DEFAULTS.windowMs;
  const fastWindow = slow?.fast?.windowMs ?? BRUTE_FORCE_DEFAULTS.windowMs;
  if (slowWindow < fastWindow) {
    const line = parsed.data.brute_force_slow?.window !== undefined ? ["brute_force_slow", "window"] : ["brute_force", "window"];
    return { ok: false, problems: [at(offsetOf(doc, line), `brute_force_slow's window (${fmt(slowWindow)}) must be at least brute_force's (${fmt(fastWindow)}): the slow rule counts what the fast one leaves`)] };
  }
  const refused = RuleSet.check(config);
  if (refused.length) return { ok: false, problems: refused.slice(0, max).map((r) => at(ruleOffset(doc, r.rule), r.message.startsWith(`${r.rule}:`) ? r.message : `${r.rule}: ${r.message}`)) };
  return { ok: true, config, rules: Object.keys(parsed.data) };
}

/** The knobs a rule takes, for the message about an unknown one. */
function knobsOf(rule: PropertyKey): string {
  const shape = rulesFileSchema.shape[rule as keyof RulesFileInput];
  const inner = shape?.unwrap();
  return inner ? Object.keys(inner.shape).join(", ") : "";
}

/** Where a rule's entry starts (its key), else the top of the file. */
function ruleOffset(doc: Document, rule: string): number {
  const top = doc.contents;
  if (isMap(top)) {
    const pair = top.items.find((p) => isScalar(p.key) && p.key.value === rule);
    if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return 0;
}
