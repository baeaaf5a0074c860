// npm test: every suite (unit and integration with Vitest, browser with Playwright), then one
// summary line `N passed, N failed` summing them all. Exits non-zero when anything failed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureBuild, root } from "./ensure-build.mjs";

const results = path.join(root, "test-results");
fs.mkdirSync(results, { recursive: true });
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
let passed = 0;
let failed = 0;

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

// 1. unit + integration (Vitest)
const unitReport = path.join(results, "unit.json");
fs.rmSync(unitReport, { force: true });
const unit = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${unitReport}`], { cwd: root, stdio: "inherit", env });
const unitJson = readJson(unitReport);
if (unitJson) {
  passed += unitJson.numPassedTests;
  failed += unitJson.numFailedTests;
  if (unit.status !== 0 && unitJson.numFailedTests === 0) failed += 1; // a suite that failed to load
} else {
  console.error("[test] Vitest wrote no report: counting the unit suite as one failure");
  failed += 1;
}

// 2. browser (Playwright against the production build)
const { findChromium } = await import("../e2e/chromium.ts");
let chromium = null;
try {
  chromium = findChromium();
} catch (error) {
  console.error(`[test] ${error.message}`);
  failed += 1;
}
if (chromium) {
  ensureBuild();
  const e2eReport = path.join(results, "e2e.json");
  fs.rmSync(e2eReport, { force: true });
  const e2e = spawnSync(bin("playwright"), ["test"], { cwd: root, stdio: "inherit", env });
  const stats = readJson(e2eReport)?.stats;
  if (stats) {
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    if (e2e.status !== 0 && stats.unexpected === 0) failed += 1; // setup or teardown failed
  } else {
    console.error("[test] Playwright wrote no report: counting the browser suite as one failure");
    failed += 1;
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
