#!/usr/bin/env node
// npm start: build only when build/ is missing or a source is newer than the build stamp, then
// serve with a 256 MB heap. The server is this script's only child and gets SIGINT/SIGTERM forwarded;
// it closes the database and stops the embedded PostgreSQL before it exits.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sources = ["app", "db", "domain", "features", "files", "forecasting", "messages", "public", "package.json", "package-lock.json", "react-router.config.ts", "vite.config.ts", "tsconfig.json"];

function newest(target) {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)));
  return latest;
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);
const built = path.join(root, "build", "server", "index.js");
// The build's time is that of its server bundle (written by any build: this script's, `npm run build`, `npm test`'s).
const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const changed = Math.max(...sources.map((source) => newest(path.join(root, source))));
if (changed > builtAt) {
  console.log(builtAt ? "源代码有更新，正在构建 sources changed since the last build: building…" : "首次构建 no build yet: building…");
  const build = spawnSync(bin("react-router"), ["build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (process.argv.includes("--build-only")) process.exit(0);

const server = spawn(process.execPath, ["--max-old-space-size=256", bin("react-router-serve"), "./build/server/index.js"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production" },
});
// A closed terminal (SIGHUP) stops the server as SIGTERM does: the embedded PostgreSQL must not outlive it.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal === "SIGHUP" ? "SIGTERM" : signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1)));
