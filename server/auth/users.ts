import { randomBytes } from "node:crypto";
import { asc, count, eq } from "drizzle-orm";
import { z } from "zod";
import type { VigilDb } from "../../db/client";
import { account, session, user } from "../../db/schema";
import type { AuditLog } from "../audit/audit-log";
import { IMMEDIATE } from "../../db/client";
import type { Actor } from "./actor";
import type { VigilAuth } from "./better-auth";
import { ROLES, type Role } from "./permissions";

export const newUserSchema = z.strictObject({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLES),
  password: z.string().min(12, "password: at least 12 characters").max(256),
});
export type NewUser = z.input<typeof newUserSchema>;

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  two_factor_enabled: boolean;
  disabled: boolean;
  created_at: number;
}

export class UserError extends Error {
  constructor(
    readonly code: "conflict" | "not_found" | "invalid" | "forbidden",
    message: string,
  ) {
    super(message);
  }
}

type UserRow = typeof user.$inferSelect;
const toView = (r: UserRow): UserView => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  two_factor_enabled: !!r.twoFactorEnabled,
  disabled: r.disabled,
  created_at: r.createdAt.getTime(),
});

/** Accounts: creation (password hashed by better-auth), roles, disabling; every change audited. */
export class UserService {
  constructor(
    private readonly db: VigilDb,
    private readonly auth: VigilAuth,
    private readonly audit: AuditLog,
    /** after any account is created (the first one ends first-run setup) */
    private readonly onCreated: () => void = () => undefined,
  ) {}

  count(): number {
    return this.db.select({ n: count() }).from(user).get()?.n ?? 0;
  }

  list(): UserView[] {
    return this.db.select().from(user).orderBy(asc(user.createdAt)).all().map(toView);
  }

  byEmail(email: string): UserView | null {
    const row = this.db.select().from(user).where(eq(user.email, email.toLowerCase())).get();
    return row ? toView(row) : null;
  }

  byId(id: string): UserView | null {
    const row = this.db.select().from(user).where(eq(user.id, id)).get();
    return row ? toView(row) : null;
  }

  private setupLock: Promise<unknown> = Promise.resolve();

  /**
   * The first-run setup: creates an admin only while no account exists. Serialized, so two
   * browsers racing through the setup page cannot both become the first admin. Null once set up.
   */
  createFirstAdmin(input: { name: string; email: string; password: string }, sourceIp: string | null): Promise<UserView | null> {
    const run = this.setupLock.then(async () => {
      if (this.count() > 0) return null;
      const actor: Actor = { name: "setup", kind: "system", sourceIp };
      const created = await this.create({ ...input, role: "admin" }, actor);
      this.audit.append({ actor: created.email, action: "setup_completed", sourceIp, after: { admin: created.email } });
      return created;
    });
    this.setupLock = run.catch(() => undefined);
    return run;
  }

  async create(input: NewUser, actor: Actor): Promise<UserView> {
    const parsed = newUserSchema.safeParse(input);
    if (!parsed.success) throw new UserError("invalid", parsed.error.issues.map((i) => i.message).join("; "));
    const { email, role, password } = parsed.data;
    if (this.byEmail(email)) throw new UserError("conflict", `a user with email ${email} already exists`);
    // better-auth hashes the password; the user, its credential and the audit entry are then
    // written in one transaction, so a failure leaves no account without a password or a record
    const hash = await (await this.auth.$context).password.hash(password);
    const id = randomBytes(24).toString("base64url");
    const name = parsed.data.name ?? email.split("@")[0];
    this.db.transaction((tx) => {
      if (tx.select({ id: user.id }).from(user).where(eq(user.email, email)).get()) throw new UserError("conflict", `a user with email ${email} already exists`);
      tx.insert(user).values({ id, email, name, role, emailVerified: true }).run();
      tx.insert(account).values({ id: randomBytes(24).toString("base64url"), userId: id, providerId: "credential", accountId: id, password: hash }).run();
      this.audit.append({ actor: actor.name, action: "user_created", target: email, sourceIp: actor.sourceIp, after: { email, role, name } });
    }, IMMEDIATE);
    this.onCreated();
    return this.byId(id)!;
  }

  setRole(id: string, role: Role, actor: Actor): UserView {
    const before = this.require(id);
    if (before.role === role) return before;
    this.db.transaction(() => {
      this.guardLastAdmin(before, role !== "admin");
      this.db.update(user).set({ role, updatedAt: new Date() }).where(eq(user.id, id)).run();
      this.audit.append({ actor: actor.name, action: "role_changed", target: before.email, sourceIp: actor.sourceIp, before: { role: before.role }, after: { role } });
    }, IMMEDIATE);
    return this.byId(id)!;
  }

  setDisabled(id: string, disabled: boolean, actor: Actor): UserView {
    const before = this.require(id);
    if (before.disabled === disabled) return before;
    this.db.transaction(() => {
      if (disabled) this.guardLastAdmin(before, true);
      this.db.update(user).set({ disabled, updatedAt: new Date() }).where(eq(user.id, id)).run();
      if (disabled) this.db.delete(session).where(eq(session.userId, id)).run();
      this.audit.append({ actor: actor.name, action: disabled ? "user_disabled" : "user_enabled", target: before.email, sourceIp: actor.sourceIp, before: { disabled: !disabled }, after: { disabled } });
    }, IMMEDIATE);
    return this.byId(id)!;
  }

  private require(id: string): UserView {
    const found = this.byId(id);
    if (!found) throw new UserError("not_found", `user ${id} not found`);
    return found;
  }

  /** Refuses to leave Vigil without an active admin. */
  private guardLastAdmin(target: UserView, losingAdmin: boolean): void {
    if (!losingAdmin || target.role !== "admin") return;
    const admins = this.list().filter((u) => u.role === "admin" && !u.disabled);
    if (admins.length <= 1) throw new UserError("forbidden", "this is the last active admin; make another admin first");
  }
}
