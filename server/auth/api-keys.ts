import { IMMEDIATE } from "../../db/client";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import type { VigilDb } from "../../db/client";
import { apiKeys, user } from "../../db/schema";
import type { AuditLog } from "../audit/audit-log";
import type { Clock } from "../clock";
import type { Actor } from "./actor";
import { SCOPES, scopesBeyondRole, type Scope } from "./permissions";
import { UserError } from "./users";

export interface ApiKeyView {
  id: number;
  name: string;
  prefix: string;
  owner_email: string;
  scopes: Scope[];
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

export type KeyCheck =
  | { ok: true; key: ApiKeyView; ownerId: string; ownerRole: string; ownerEmail: string }
  | { ok: false; reason: "unknown" | "revoked" | "owner_disabled" };

const KEY_PATTERN = /^vk_[A-Za-z0-9_-]{43}$/;
const hashKey = (token: string) => createHash("sha256").update(token).digest("hex");

export function parseScopes(raw: string | readonly string[]): Scope[] {
  const list = (typeof raw === "string" ? raw.split(",") : raw).map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (bad.length || list.length === 0) throw new UserError("invalid", `scopes must be a non-empty list of ${SCOPES.join(", ")}; got ${JSON.stringify(list)}`);
  return [...new Set(list)] as Scope[];
}

/** API keys: shown once, stored as SHA-256, scoped, revocable, with last-used time. */
export class ApiKeyService {
  private readonly lastTouched = new Map<number, number>();

  constructor(
    private readonly db: VigilDb,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  create(input: { ownerEmail: string; name: string; scopes: Scope[] }, actor: Actor): { token: string; key: ApiKeyView } {
    const owner = this.db.select().from(user).where(eq(user.email, input.ownerEmail.toLowerCase())).get();
    if (!owner) throw new UserError("not_found", `no user with email ${input.ownerEmail}`);
    if (owner.disabled) throw new UserError("invalid", `${owner.email} is disabled`);
    const beyond = scopesBeyondRole(input.scopes, owner.role);
    if (beyond.length) throw new UserError("invalid", `scope ${beyond.join(", ")} is beyond what ${owner.email} (${owner.role}) may do`);
    const name = input.name.trim().slice(0, 100) || "key";
    const token = `vk_${randomBytes(32).toString("base64url")}`;
    const id = this.db.transaction(() => {
      const row = this.db
        .insert(apiKeys)
        .values({ name, prefix: token.slice(0, 10), hash: hashKey(token), ownerId: owner.id, scopes: input.scopes.join(","), createdAt: this.clock.now(), createdBy: actor.name })
        .returning({ id: apiKeys.id })
        .get();
      this.audit.append({ actor: actor.name, action: "key_created", target: `key ${row.id} (${name})`, sourceIp: actor.sourceIp, after: { owner: owner.email, scopes: input.scopes, prefix: token.slice(0, 10) } });
      return row.id;
    }, IMMEDIATE);
    return { token, key: this.get(id)! };
  }

  revoke(id: number, actor: Actor): ApiKeyView {
    const key = this.get(id);
    if (!key) throw new UserError("not_found", `API key ${id} not found`);
    if (key.revoked_at) return key;
    this.db.transaction(() => {
      this.db.update(apiKeys).set({ revokedAt: this.clock.now(), revokedBy: actor.name }).where(eq(apiKeys.id, id)).run();
      this.audit.append({ actor: actor.name, action: "key_revoked", target: `key ${id} (${key.name})`, sourceIp: actor.sourceIp, before: { revoked: false }, after: { revoked: true } });
    }, IMMEDIATE);
    return this.get(id)!;
  }

  list(): ApiKeyView[] {
    return this.rows().orderBy(desc(apiKeys.id)).all().map(toView);
  }

  get(id: number): ApiKeyView | null {
    const row = this.rows().where(eq(apiKeys.id, id)).get();
    return row ? toView(row) : null;
  }

  /** Checks a presented key; records its use at most once a minute. */
  authenticate(token: string): KeyCheck {
    if (!KEY_PATTERN.test(token)) return { ok: false, reason: "unknown" };
    const digest = hashKey(token);
    const row = this.db
      .select({ key: apiKeys, ownerRole: user.role, ownerDisabled: user.disabled, ownerEmail: user.email })
      .from(apiKeys)
      .innerJoin(user, eq(user.id, apiKeys.ownerId))
      .where(eq(apiKeys.hash, digest))
      .get();
    if (!row || !timingSafeEqual(Buffer.from(row.key.hash), Buffer.from(digest))) return { ok: false, reason: "unknown" };
    if (row.key.revokedAt) return { ok: false, reason: "revoked" };
    if (row.ownerDisabled) return { ok: false, reason: "owner_disabled" };
    const now = this.clock.now();
    if (now - (this.lastTouched.get(row.key.id) ?? 0) > 60_000) {
      this.lastTouched.set(row.key.id, now);
      this.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.key.id)).run();
      row.key.lastUsedAt = now;
    }
    return { ok: true, key: toView({ ...row, key: row.key }), ownerId: row.key.ownerId, ownerRole: row.ownerRole, ownerEmail: row.ownerEmail };
  }

  private rows() {
    return this.db.select({ key: apiKeys, ownerEmail: user.email }).from(apiKeys).innerJoin(user, eq(user.id, apiKeys.ownerId)).$dynamic();
  }
}

function toView(r: { key: typeof apiKeys.$inferSelect; ownerEmail: string }): ApiKeyView {
  const k = r.key;
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    owner_email: r.ownerEmail,
    scopes: k.scopes.split(",") as Scope[],
    created_at: k.createdAt,
    created_by: k.createdBy,
    last_used_at: k.lastUsedAt,
    revoked_at: k.revokedAt,
    revoked_by: k.revokedBy,
  };
}
