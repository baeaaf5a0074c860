// npm run vigil -- <command>: account, key and audit administration from the shell, on the same
// database the server uses (VIGIL_DATA_DIR). Safe to run while the server runs (SQLite WAL).
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { loadConfig } from "./config";
import { createCore } from "./core";
import { loadAuthSecret } from "./auth/secret";
import { cliActor } from "./auth/actor";
import { isRole, ROLES } from "./auth/permissions";
import { parseScopes } from "./auth/api-keys";
import { backupDataDir, describeBackup } from "./ops/backup";
import { describeRestore, restoreBackup } from "./ops/restore";

const USAGE = `usage: npm run vigil -- <command>
  user create --email E --role ${ROLES.join("|")} [--name N]   password from standard input
  user list
  user set-role --email E --role R
  key create --owner EMAIL --scope ingest,read,act,metrics [--name N]  prints the key once
  key list
  key revoke --id N
  audit verify                                                    checks the audit log's hash chain
  setup-token                                                     prints the one-time first-run setup token (while no account exists)
  backup FILE                                                     online copy of the database (server may run); encrypted with VIGIL_BACKUP_KEY
  restore FILE                                                    checks FILE, then replaces the database of a STOPPED server (old one kept aside)`;

class UsageError extends Error {}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write("Password (input hidden): ");
    process.stdin.setRawMode(true);
    let value = "";
    for await (const chunk of process.stdin) {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          process.stdin.setRawMode(false);
          process.stderr.write("\n");
          return value;
        }
        if (ch === "\u0003") process.exit(130);
        value = ch === "\u007f" ? value.slice(0, -1) : value + ch;
      }
    }
    return value;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

function need(values: Record<string, string | undefined>, name: string): string {
  const v = values[name];
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

/** `backup FILE` and `restore FILE`: the work and its checks are in server/ops/backup.ts. */
async function backupCommand(group: "backup" | "restore", file: string | undefined, config: ReturnType<typeof loadConfig>): Promise<number> {
  if (!file) throw new UsageError(`${group} needs a FILE`);
  const summary =
    group === "backup"
      ? describeBackup(await backupDataDir(config.dataDir, file, { key: config.backupKey }))
      : describeRestore(await restoreBackup(file, config.dataDir, { key: config.backupKey }));
  for (const line of summary) console.log(line);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, owner: { type: "string" }, scope: { type: "string" }, id: { type: "string" } },
    strict: true,
  });
  const config = loadConfig();
  // these open the database file themselves: restore must not create, migrate or hold it
  if (group === "backup" || group === "restore") return backupCommand(group, command, config);
  const handle = openDatabase(config.dataDir);
  // the CLI serves no requests, so any base URL will do for better-auth
  // … and judges no event: no detection window to warm (server/security/warm.ts)
  const core = createCore(handle, { warmRows: 0, access: { secret: loadAuthSecret(config.dataDir), publicUrl: config.publicUrl ?? "http://localhost" } });
  const { users, keys, audit } = core.access;
  const actor = cliActor();
  try {
    if (group === "setup-token" && command === undefined) {
      const token = core.access.pendingSetupToken();
      if (!token) {
        console.error(`Vigil is already set up (${users.count()} account${users.count() === 1 ? "" : "s"}): setup is closed and no setup token exists. Sign in, or add accounts with \`npm run vigil -- user create\`.`);
        return 1;
      }
      console.error(`setup token (kept in ${core.access.setupToken.file ?? "memory"} until the first account exists); enter it on the /setup page:`);
      console.log(token);
      return 0;
    }
    switch (`${group} ${command}`) {
      case "user create": {
        const role = need(values, "role");
        if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
        const password = await readPassword();
        const user = await users.create({ email: need(values, "email"), role, name: values.name, password }, actor);
        console.log(`created ${user.email} (${user.role})${role === "admin" || role === "oncall" ? "; they must set up two-factor authentication at first sign-in" : ""}`);
        return 0;
      }
      case "user list":
        for (const u of users.list()) console.log(`${u.email}\t${u.role}\tmfa=${u.two_factor_enabled ? "on" : "off"}${u.disabled ? "\tdisabled" : ""}`);
        return 0;
      case "user set-role": {
        const role = need(values, "role");
        if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
        const user = users.byEmail(need(values, "email"));
        if (!user) throw new Error(`no user with email ${values.email}`);
        console.log(`${users.setRole(user.id, role, actor).email} is now ${role}`);
        return 0;
      }
      case "key create": {
        const { token, key } = keys.create({ ownerEmail: need(values, "owner"), name: values.name ?? "cli", scopes: parseScopes(need(values, "scope")) }, actor);
        console.error(`created API key ${key.id} (${key.name}) for ${key.owner_email}, scopes ${key.scopes.join(",")}; it is shown only now:`);
        console.log(token);
        return 0;
      }
      case "key list":
        for (const k of keys.list()) console.log(`${k.id}\t${k.prefix}…\t${k.name}\t${k.owner_email}\t${k.scopes.join(",")}\t${k.revoked_at ? "revoked" : "active"}`);
        return 0;
      case "key revoke": {
        const raw = need(values, "id");
        // decimal digits only: 0x3, 3e0, +3 and .3e1 are not key 3
        if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw new UsageError(`--id must be a key number in decimal digits, not ${JSON.stringify(raw.slice(0, 40))}`);
        const id = Number(raw);
        console.log(`revoked key ${keys.revoke(id, actor).id}`);
        return 0;
      }
      case "audit verify": {
        const result = audit.verify();
        if (result.ok) {
          console.log(`audit log intact: ${result.entries} entries, hash chain verified`);
          return 0;
        }
        console.error(`audit log BROKEN at entry ${result.brokenId}: ${result.reason}`);
        return 1;
      }
      default:
        throw new UsageError(`unknown command: ${[group, command].filter(Boolean).join(" ") || "(none)"}`);
    }
  } finally {
    handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
