// Applies the rules file (VIGIL_RULES) to the running detections: at start, before the first
// batch, and again whenever the file changes (watched like the nodes file). A file that cannot be
// read or has any problem changes nothing: the rules keep running with the defaults or the last
// file that applied, and the problems (file:line:col and reason) are logged and kept in status().
import { formatProblem, readConfigFile, watchConfigFile, type ConfigProblem, type ConfigWatch } from "../network/config";
import type { RulesConfig } from "./detections/rules";
import { parseRulesConfig } from "./rules-config";

export interface RulesFileStatus {
  /** the file Vigil reads (absolute), or null when VIGIL_RULES is unset */
  file: string | null;
  /** when the file was last applied */
  applied_at: number | null;
  /** when the file was last read, applied or not */
  checked_at: number | null;
  /** the rules the applied file sets (the others run with their defaults) */
  rules: string[];
  /** the rules the last apply rebuilt (they start with empty windows) */
  rebuilt: string[];
  /** why the last read was not applied (empty when it was) */
  problems: ConfigProblem[];
}

export interface RulesFileOptions {
  watch?: ConfigWatch | false;
  log?: (level: "info" | "warn" | "error", message: string, detail?: Record<string, unknown>) => void;
  now?: () => number;
}

export class RulesFile {
  private state: RulesFileStatus;
  private stopWatch: (() => void) | null = null;

  /** `apply` installs a config and answers the rules it rebuilt (RuleSet.update through the engine). */
  constructor(
    readonly file: string | null,
    private readonly apply: (config: RulesConfig) => string[],
    private readonly options: RulesFileOptions = {},
  ) {
    this.state = { file, applied_at: null, checked_at: null, rules: [], rebuilt: [], problems: [] };
  }

  status(): RulesFileStatus {
    return this.state;
  }

  /**
   * Reads and applies the file now, synchronously (a rules file is a few hundred bytes): the
   * server does it before any ingest, the watcher on every change, tests directly.
   */
  reload(): RulesFileStatus {
    if (!this.file) return this.state;
    const read = readConfigFile(this.file);
    if (read.kind === "absent") return this.refuse([{ file: this.file, line: 0, col: 0, message: "the file is missing (VIGIL_RULES names it)" }]);
    if (read.kind === "error") return this.refuse([{ file: this.file, line: 0, col: 0, message: read.message }]);
    const parsed = parseRulesConfig(read.text, this.file);
    if (!parsed.ok) return this.refuse(parsed.problems);
    let rebuilt: string[];
    try {
      rebuilt = this.apply(parsed.config);
    } catch (error) {
      // parseRulesConfig already built every rule once: this is not expected, and changes nothing
      return this.refuse([{ file: this.file, line: 0, col: 0, message: (error as Error).message }]);
    }
    const now = this.now();
    this.state = { file: this.file, applied_at: now, checked_at: now, rules: parsed.rules, rebuilt, problems: [] };
    this.options.log?.("info", `applied ${this.file}: ${parsed.rules.length ? `sets ${parsed.rules.join(", ")}` : "every rule at its defaults"}${rebuilt.length ? `; rebuilt ${rebuilt.join(", ")} (their windows start empty)` : "; nothing changed"}`, { rules: { set: parsed.rules, rebuilt } });
    return this.state;
  }

  /** Watches the file; a change is applied once the file has been quiet for a moment. */
  watch(): void {
    if (!this.file || this.options.watch === false || this.stopWatch) return;
    this.stopWatch = (this.options.watch ?? watchConfigFile())(this.file, async () => {
      try {
        this.reload();
      } catch (error) {
        this.options.log?.("error", `applying ${this.file} failed: ${(error as Error).message}`);
      }
    });
  }

  stop(): void {
    this.stopWatch?.();
    this.stopWatch = null;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private refuse(problems: ConfigProblem[]): RulesFileStatus {
    this.state = { ...this.state, checked_at: this.now(), problems };
    const kept = this.state.applied_at === null ? "the rules keep their defaults" : "the rules keep the last file that applied";
    for (const p of problems) this.options.log?.("error", `rules file not applied, ${kept}: ${formatProblem(p)}`, { rules: p });
    return this.state;
  }
}
