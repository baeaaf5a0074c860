// npm start: build when needed, then run the custom server (Next + socket.io + the core) in production mode.
import { spawn } from "node:child_process";
import { ensureBuild, root, SERVER_BUNDLE, serverNodeArgs } from "./ensure-build.mjs";

ensureBuild();
const child = spawn(process.execPath, [...serverNodeArgs(), SERVER_BUNDLE], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
