import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { keyPermissions, permissionMatrixMarkdown, ROLE_PERMISSIONS, scopesBeyondRole } from "./permissions";

describe("role matrix", () => {
  it("is printed in the README exactly as the code defines it", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "..", "..", "README.md"), "utf8");
    expect(readme).toContain(permissionMatrixMarkdown());
  });

  it("gives each role more than the one before it where the issue says 'plus'", () => {
    for (const p of ROLE_PERMISSIONS.viewer) expect(ROLE_PERMISSIONS.noc).toContain(p);
    for (const p of ROLE_PERMISSIONS.viewer) expect(ROLE_PERMISSIONS.analyst).toContain(p);
    expect(ROLE_PERMISSIONS.oncall).toEqual(expect.arrayContaining(["incidents:network", "incidents:security"]));
    for (const role of ["viewer", "noc", "analyst", "oncall"] as const) for (const p of ROLE_PERMISSIONS[role]) expect(ROLE_PERMISSIONS.admin).toContain(p);
  });

  it("never lets a key do more than its owner's role", () => {
    expect([...keyPermissions(["ingest", "read", "act"], "noc")].sort()).toEqual(["incidents:network", "ingest", "read"]);
    expect([...keyPermissions(["act"], "viewer")]).toEqual([]);
    expect(scopesBeyondRole(["ingest", "act"], "viewer")).toEqual(["ingest", "act"]);
    expect([...keyPermissions(["read"], "not-a-role")]).toEqual([]);
  });
});
