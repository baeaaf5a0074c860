// The nodes file (VIGIL_CONFIG, default ./vigil.yaml): read, parsed with the `yaml` package (this
// module and server/security/rules-config.ts, which reuses the reading, locating and watching
// below, are the ones that import it), checked with the node schema, every problem reported as
// file:line:col and reason; written back out for GET /api/v1/nodes/export. Watching the file
// for changes lives here too, behind a function the service can be given another of in tests.
import fs from "node:fs";
import path from "node:path";
import { Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { nameChecks, nodeInputSchema, setProblems, toNodeSpec, type NodeSpec } from "./definition";

/** The largest config file read (a file of 5,000 nodes is about 1 MB). */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

export interface ConfigProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}
export const formatProblem = (p: ConfigProblem) => `${p.file}:${p.line}:${p.col}: ${p.message}`;

/** A node of the file and the line its entry starts on. */
export interface ConfigNode {
  spec: NodeSpec;
  line: number;
}
export type ConfigParse = { ok: true; nodes: ConfigNode[] } | { ok: false; problems: ConfigProblem[] };

const fileSchema = z.strictObject({ nodes: z.array(nodeInputSchema).max(100_000).default([]) });

export type YamlRead = { ok: true; doc: Document; value: unknown; at: (offset: number, message: string) => ConfigProblem } | { ok: false; problems: ConfigProblem[] };

/**
 * A YAML 1.2 file's text read strictly (duplicate keys refused, at most `maxAliasCount` aliases
 * expanded), its syntax errors as problems with file, line and column (at most `max`); `at` places
 * a later problem at an offset of the text. Shared by the nodes file and the rules file.
 */
export function readYaml(text: string, file: string, max: number, maxAliasCount: number): YamlRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: "1.2" });
  const at = (offset: number, message: string): ConfigProblem => ({ file, ...lines.linePos(offset), message });
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.slice(0, max).map((e) => at(e.pos[0], e.message.split("\n")[0])) };
  try {
    return { ok: true, doc, value: doc.toJS({ maxAliasCount }) ?? {}, at };
  } catch (error) {
    return { ok: false, problems: [at(0, error instanceof Error ? error.message : String(error))] };
  }
}

/**
 * Parses the text of a nodes file. `known` says whether a key outside the file exists (a parent
 * may be a node created over the API or by its heartbeats). At most `max` problems are listed.
 */
export function parseConfig(text: string, file: string, known: (key: string) => boolean = () => false, max = 20): ConfigParse {
  const read = readYaml(text, file, max, 1000);
  if (!read.ok) return read;
  const { doc, value, at } = read;
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.slice(0, max).map((issue) => {
        const unknownKey = issue.code === "unrecognized_keys";
        const message = unknownKey ? `unknown setting ${JSON.stringify(issue.keys[0])}` : issue.message;
        return at(unknownKey ? keyOffset(doc, issue.path, issue.keys[0]) : offsetOf(doc, issue.path), `${describePath(doc, issue.path)}${message}`);
      }),
    };
  }

  const problems: ConfigProblem[] = [];
  const nodes: ConfigNode[] = parsed.data.nodes.map((input, index) => {
    const named = nameChecks(input.checks ?? []);
    for (const p of named.problems) problems.push(at(offsetOf(doc, ["nodes", index, "checks", p.index, "id"]), `node ${input.id}: ${p.message}`));
    return { spec: toNodeSpec(input, named.checks), line: at(offsetOf(doc, ["nodes", index]), "").line };
  });
  for (const p of setProblems(nodes.map((n) => n.spec), known)) {
    problems.push(at(offsetOf(doc, ["nodes", p.index, p.field]), `node ${nodes[p.index].spec.key}: ${p.message}`));
  }
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, max) } : { ok: true, nodes };
}

/** Where the value at `path` starts; for a missing key, the nearest mapping that exists. */
export function offsetOf(doc: Document, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** Where a key of the mapping at `path` is written (an unknown setting is shown at its name). */
export function keyOffset(doc: Document, path: readonly PropertyKey[], key: string): number {
  const map = doc.getIn(path as unknown[], true);
  if (isMap(map)) {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return offsetOf(doc, path);
}

/** "node edge-1, check 2: " before a schema message, so a reader knows where without counting. */
function describePath(doc: Document, path: readonly PropertyKey[]): string {
  if (path[0] !== "nodes" || typeof path[1] !== "number") return "";
  const id = doc.getIn(["nodes", path[1], "id"]);
  let where = `node ${typeof id === "string" ? id : `#${path[1] + 1}`}`;
  if (path[2] === "checks" && typeof path[3] === "number") where += `, check ${path[3] + 1}`;
  const field = path.slice(path[2] === "checks" && typeof path[3] === "number" ? 4 : 2).join(".");
  return `${where}: ${field ? `${field}: ` : ""}`;
}

export type ConfigRead = { kind: "absent" } | { kind: "text"; text: string } | { kind: "error"; message: string };

/** Reads the file; a file that is not there is not an error (no config nodes). */
export function readConfigFile(file: string): ConfigRead {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { kind: "error", message: `${file} is not a file` };
    if (stat.size > MAX_CONFIG_BYTES) return { kind: "error", message: `${file} is ${stat.size} bytes, over the ${MAX_CONFIG_BYTES} bytes read` };
    return { kind: "text", text: fs.readFileSync(file, "utf8") };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "absent" };
    return { kind: "error", message: `${file}: ${(error as Error).message}` };
  }
}

/** Starts watching; calls `onChange` (debounced) after the file changes. Answers a function that stops. */
export type ConfigWatch = (file: string, onChange: () => Promise<unknown>) => () => void;

/**
 * Watches the file's directory (editors replace files by renaming, which a watch on the file
 * itself loses) and calls `onChange` once the file has been quiet for `debounceMs`.
 */
export function watchConfigFile(debounceMs = 300): ConfigWatch {
  return (file, onChange) => {
    const base = path.basename(file);
    let timer: NodeJS.Timeout | null = null;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
        if (name !== null && name.toString() !== base) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          void onChange();
        }, debounceMs);
      });
    } catch {
      return () => {};
    }
    watcher.on("error", () => watcher.close());
    return () => {
      if (timer) clearTimeout(timer);
      watcher.close();
    };
  };
}

/** A node as exported: its definition as written, and where it came from. */
export interface ExportedNode {
  definition: Record<string, unknown>;
  source: string;
  paused: boolean;
}

/**
 * The live set as a nodes file: loading it as VIGIL_CONFIG defines the same nodes. Push tokens
 * are not in it (only their SHA-256 is stored): a push check left without `token` keeps the one
 * Vigil has for it.
 */
export function toYaml(nodes: readonly ExportedNode[], at: number): string {
  const doc = new Document({ nodes: nodes.map((n) => n.definition) });
  doc.commentBefore =
    ` Vigil nodes, exported ${new Date(at).toISOString()}: ${nodes.length} node${nodes.length === 1 ? "" : "s"}.\n` +
    " Push tokens are not exported (Vigil keeps only their SHA-256); a push check without `token`\n" +
    " keeps the token it has. Save as VIGIL_CONFIG to make these nodes config-defined.";
  const list = doc.get("nodes", true);
  if (isSeq(list)) {
    list.items.forEach((item, i) => {
      const n = nodes[i];
      const notes = [n.source !== "config" ? `defined ${n.source === "api" ? "over the API" : "by its heartbeats"}` : null, n.paused ? "paused" : null].filter(Boolean);
      if (notes.length && isMap(item)) item.commentBefore = ` ${notes.join(", ")}`;
    });
  }
  return doc.toString({ lineWidth: 0 });
}
