// The CLI (server/cli.ts) bundled to plain JavaScript for tests that run it many times: the same
// code `npm run vigil` runs, without starting a TypeScript loader in every run. A tsx start cost
// about 4.5 s of CPU per call on a busy 2-core machine, the bundle about 1 s; the browser specs
// make about 50 calls and the audit test four.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** @type {Promise<string> | null} */
let made = null;

/**
 * Bundles server/cli.ts from the current sources once per process and returns the script's path.
 * Each source file keeps its own import.meta.url (and dirname, filename), so what the CLI finds
 * from there (db/migrations) is what tsx running the sources would find. node_modules stay
 * external and resolve from the project, as the server bundle's do. The file is written under
 * .next/ (inside the project) and renamed into place, so processes making it at once never read
 * half of it.
 * @returns {Promise<string>}
 */
export function cliScript() {
  made ??= (async () => {
    const out = path.join(root, ".next", "vigil-test", "cli.mjs");
    const result = await build({
      entryPoints: [path.join(root, "server", "cli.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      target: "node20",
      logLevel: "warning",
      write: false,
      outfile: out,
      plugins: [
        {
          name: "source-import-meta",
          setup(b) {
            b.onLoad({ filter: /\.ts$/ }, (args) => ({
              loader: "ts",
              contents: fs
                .readFileSync(args.path, "utf8")
                .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
                .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
                .replaceAll("import.meta.filename", JSON.stringify(args.path)),
            }));
          },
        },
      ],
    });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, result.outputFiles[0].contents);
    fs.renameSync(tmp, out);
    return out;
  })();
  return made;
}
