// Drops optional platform packages that the registry this machine reaches does not have, so that
// `npm ci` accepts the lockfile; they are for other operating systems and never installed here.
import fs from "node:fs";
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const have = new Set(Object.keys(lock.packages).map((k) => k));
let dropped = [];
for (const [key, pkg] of Object.entries(lock.packages)) {
  if (!pkg.optionalDependencies) continue;
  for (const dep of Object.keys(pkg.optionalDependencies)) {
    // resolution: nested node_modules first, then hoisted
    const nested = `${key ? key + "/" : ""}node_modules/${dep}`;
    if (!have.has(nested) && !have.has(`node_modules/${dep}`)) {
      delete pkg.optionalDependencies[dep];
      dropped.push(`${key || "(root)"} -> ${dep}`);
    }
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(dropped.join("\n"));
