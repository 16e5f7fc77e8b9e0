import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../db/embedded.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const buildDir = path.join(root, "build");
const serverBuild = path.join(buildDir, "server", "index.js");

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234, without a trailing slash. */
  baseUrl: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** The react-router-serve executable, from the "bin" of @react-router/serve's package.json. */
function serveBin(): string {
  const packageDir = path.join(root, "node_modules", "@react-router", "serve");
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : (manifest.bin["react-router-serve"] ?? Object.values(manifest.bin)[0]);
  if (!bin) throw new Error("@react-router/serve declares no bin");
  return path.join(packageDir, bin);
}

/**
 * Copies build/ to a private directory inside the project (so that node_modules still resolve; its
 * name must not start with a dot, or the static file server refuses to serve from it), so
 * that another `react-router build` running meanwhile cannot swap the client assets under the
 * server. Retries when the copy caught a build half-written (assets named by the server missing).
 */
async function snapshotBuild(): Promise<string> {
  const parent = path.join(root, "test-results");
  await mkdir(parent, { recursive: true });
  let lastMissing: string[] = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    const dir = await mkdtemp(path.join(parent, "e2e-build-"));
    await cp(buildDir, dir, { recursive: true });
    const server = await readFile(path.join(dir, "server", "index.js"), "utf8").catch(() => "");
    const assets = [...new Set(server.match(/\/assets\/[\w.-]+\.(?:js|css)/g) ?? [])];
    lastMissing = assets.filter((asset) => !existsSync(path.join(dir, "client", asset)));
    if (server && assets.length > 0 && lastMissing.length === 0) return dir;
    await rm(dir, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`build/ looks incomplete (missing ${lastMissing.join(", ") || "server/index.js"}): run \`npm run build\` again.`);
}

/**
 * Starts the production build (react-router-serve build/server/index.js) on a free port against
 * the given database, and waits until GET /healthz answers 200.
 */
export async function startServer(databaseUrl: string, options: { timeoutMs?: number } = {}): Promise<RunningServer> {
  if (!existsSync(serverBuild)) {
    throw new Error(`${path.relative(root, serverBuild)} is missing: run \`npm run build\` before the browser tests.`);
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const snapshot = await snapshotBuild();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(process.execPath, [serveBin(), path.join(snapshot, "server", "index.js")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once("error", (error) => {
      output += `\n[spawn error] ${error.message}`;
      exited ??= { code: null, signal: null };
      resolve();
    });
  });

  // Should the test process end without stop() (a crash, ^C), take the server down with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let stopping = false;
  const stop = async () => {
    stopping = true;
    process.off("exit", killOnExit);
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exit;
      clearTimeout(timer);
    }
    await rm(snapshot, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  let lastProblem = "no answer yet";
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return { baseUrl, output: () => output, stop };
      lastProblem = `GET /healthz answered ${response.status}: ${(await response.text()).slice(0, 500)}`;
    } catch (error) {
      lastProblem = `GET /healthz failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const why = exited && !stopping ? `the server exited (code ${exited.code}, signal ${exited.signal})` : `no 200 from ${baseUrl}/healthz within ${timeoutMs / 1000} s`;
  await stop();
  throw new Error(`The app server did not start: ${why}; last: ${lastProblem}\n--- server output ---\n${output || "(none)"}`);
}
