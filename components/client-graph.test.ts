import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// zod in the browser was a 128 KB chunk of the console's first load, brought by one constant
// imported from a module that also defines schemas. This walks what the "use client" modules import
// at run time (type-only imports are erased) and names any path that reaches zod. It reads our own
// files only: a package that pulls zod in itself shows in the build (grep .next/static/chunks).

const ROOT = path.resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["app", "components", "lib"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "api" ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

/** What a module imports at run time: `import type`, and imports naming only types, are left out. */
function runtimeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']/gm)) {
    if (m[1]) continue;
    const named = /^\{([^}]*)\}$/.exec(m[2].trim());
    if (named && named[1].split(",").every((s) => s.trim() === "" || s.trim().startsWith("type "))) continue;
    found.push(m[3]);
  }
  for (const m of source.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) found.push(m[1]);
  for (const m of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.push(m[1]);
  return found;
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (base === null) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)}: cannot resolve ${spec}`);
}

/** Each path from a client module to zod, as the chain of files that leads there. */
function pathsToZod(): string[] {
  const clients = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d))).filter((f) => /^\s*["']use client["']/.test(fs.readFileSync(f, "utf8")));
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, path.relative(ROOT, file)];
    for (const spec of runtimeImports(fs.readFileSync(file, "utf8"))) {
      if (spec === "zod" || spec.startsWith("zod/")) {
        found.push([...here, spec].join(" → "));
        continue;
      }
      const next = resolve(file, spec);
      if (next) visit(next, here);
    }
  };
  for (const file of clients) visit(file, []);
  expect(clients.length).toBeGreaterThan(50);
  return found;
}

describe("the browser's modules", () => {
  it("reach zod by no run-time import (their values come from lib/contracts/values)", () => {
    expect(pathsToZod()).toEqual([]);
  });

  it("the walk sees run-time imports and skips type-only ones", () => {
    expect(runtimeImports('import { a, type B } from "./x";\nimport type { C } from "./y";\nimport { type D } from "./z";\nexport { e } from "./w";\nimport "./side";')).toEqual(["./x", "./w", "./side"]);
  });
});
