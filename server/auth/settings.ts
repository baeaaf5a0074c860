import { IMMEDIATE, type VigilDb } from "../../db/client";
import { settings } from "../../db/schema";
import type { AuditLog } from "../audit/audit-log";
import type { Clock } from "../clock";
import type { Actor } from "./actor";

export const SETTING_DEFAULTS = { require_mfa_all: false } as const;
export type SettingKey = keyof typeof SETTING_DEFAULTS;
export type Settings = { -readonly [K in SettingKey]: (typeof SETTING_DEFAULTS)[K] | boolean };

/** Run-time settings, cached in memory (this process is the only writer), changes audited. */
export class SettingsService {
  private cache: Settings | null = null;

  constructor(
    private readonly db: VigilDb,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  all(): Settings {
    if (!this.cache) {
      const stored = Object.fromEntries(this.db.select().from(settings).all().map((r) => [r.key, r.value]));
      this.cache = { ...SETTING_DEFAULTS, ...stored } as Settings;
    }
    return this.cache;
  }

  set<K extends SettingKey>(key: K, value: Settings[K], actor: Actor): Settings {
    const before = this.all()[key];
    this.db.transaction(() => {
      this.db
        .insert(settings)
        .values({ key, value, updatedAt: this.clock.now(), updatedBy: actor.name })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: this.clock.now(), updatedBy: actor.name } })
        .run();
      this.audit.append({ actor: actor.name, action: "setting_changed", target: key, sourceIp: actor.sourceIp, before, after: value });
    }, IMMEDIATE);
    this.cache = { ...this.all(), [key]: value };
    return this.cache;
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return this.all()[key];
  }
}
