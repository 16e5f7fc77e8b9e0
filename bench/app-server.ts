import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, readdir, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort } from "../db/embedded.ts";
import { latencyStats, round, type LatencyStats } from "./stats.ts";

/*
 * The app's production server as a child process (react-router-serve on build/server/index.js),
 * pointed at the bench database: HTTP timings of the dashboard and the child's memory from
 * /proc/<pid>/status (VmRSS sampled while requests run, VmHWM for the kernel's own peak).
 */

const require = createRequire(import.meta.url);

/** What the app's build does not need (and must not be copied: .data holds a live database). */
const NOT_COPIED = new Set(["node_modules", "build", ".data", ".git", ".react-router", "test-results", "bench", "tmp"]);

/**
 * Copies the project's sources (everything but NOT_COPIED) into dir, with node_modules linked back,
 * so that the app can be built and served there without touching the project's build/, which a
 * running app or a test suite may be using.
 */
/** As in package.json's start script. */
const SERVER_HEAP_LIMIT = "--max-old-space-size=256";

export async function copyApp(root: string, dir: string): Promise<void> {
  for (const entry of await readdir(root)) {
    if (NOT_COPIED.has(entry)) continue;
    await cp(path.join(root, entry), path.join(dir, entry), { recursive: true });
  }
  await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
}

/** Builds the app in root with `react-router build` (output in root/build/). */
export function buildApp(root: string): number {
  const cli = path.join(path.dirname(require.resolve("@react-router/dev/package.json")), "bin.js");
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, "build"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`;
    const causes = output.split("\n").filter((line) => /error|could not|failed|not exported/i.test(line) && !/^\s+at /.test(line));
    throw new Error(`react-router build failed (exit ${result.status}) in ${root}:\n${causes.slice(0, 10).join("\n")}`);
  }
  return (performance.now() - started) / 1000;
}

/** The bin of @react-router/serve, as its package.json declares it. */
function serveBin(): string {
  const manifestPath = require.resolve("@react-router/serve/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin["react-router-serve"];
  if (!bin) throw new Error("@react-router/serve declares no react-router-serve bin");
  return path.join(path.dirname(manifestPath), bin);
}

export interface MemorySample {
  /** Milliseconds since the server was spawned. */
  t: number;
  rssMb: number;
  hwmMb: number;
}

/** VmRSS and VmHWM of a process in MB, or undefined once it is gone. */
export function processMemory(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMb: round(kb("VmRSS") / 1024), hwmMb: round(kb("VmHWM") / 1024) };
  } catch {
    return undefined;
  }
}

export interface HttpResult {
  url: string;
  startupSeconds: number;
  /** RSS once /healthz answers, before any dashboard request. */
  idleRssMb: number;
  sequential: LatencyStats & { responseBytes: number; statuses: number[] };
  concurrent: { parallel: number; rounds: number; wallMs: LatencyStats; statuses: number[] };
  /** Peak RSS while sequential requests ran (max of samples and VmHWM). */
  sequentialPeakRssMb: number;
  /** Peak RSS over the whole run including the concurrent bursts (VmHWM at the end). */
  peakRssMb: number;
  rssAfterMb: number;
  samples: MemorySample[];
}

/**
 * Starts the built app on a free port against databaseUrl, waits for /healthz, then requests the
 * dashboard sequentially (warm-up + measured) and in concurrent bursts, sampling the child's memory.
 */
export async function measureApp(
  root: string,
  options: {
    databaseUrl: string;
    /** A user to sign in as over POST /login (the dashboard needs a session). */
    credentials: { username: string; password: string };
    path: string;
    /**
     * Fetched after the page in each page view (e.g. the grid rows from /execution.json), with the
     * one-time token the page hands its grid (`rows=`), as the browser's grid fetches them.
     */
    alsoPaths?: string[];
    /** Text the dashboard's HTML must contain (checked on the first response). */
    expect: string;
    warmup: number;
    requests: number;
    parallel: number;
    rounds: number;
    log: (m: string) => void;
  },
): Promise<HttpResult> {
  const port = await freePort();
  const started = performance.now();
  // The heap limit `npm start` gives the server (package.json), so the memory measured is the product's.
  const child = spawn(process.execPath, [SERVER_HEAP_LIMIT, serveBin(), path.join("build", "server", "index.js")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const samples: MemorySample[] = [];
  const sample = () => {
    const memory = child.pid === undefined ? undefined : processMemory(child.pid);
    if (memory) samples.push({ t: Math.round(performance.now() - started), ...memory });
    return memory;
  };
  const sampler = setInterval(sample, 20);
  try {
    await waitForHealth(base, child, exited, () => output);
    const startupSeconds = (performance.now() - started) / 1000;
    const idleRssMb = sample()?.rssMb ?? Number.NaN;
    options.log(`  app server up on port ${port} in ${startupSeconds.toFixed(1)} s, RSS ${idleRssMb} MB`);

    const cookie = await signIn(base, options.credentials);
    const headers = { Cookie: cookie };
    const url = `${base}${options.path}`;
    const timings: number[] = [];
    const statuses: number[] = [];
    let responseBytes = 0;
    for (let i = 0; i < options.warmup + options.requests; i++) {
      const t0 = performance.now();
      const response = await fetch(url, { redirect: "manual", headers });
      const body = await response.arrayBuffer();
      // A page view is the page and, for the dashboard, the grid's rows it then fetches.
      const token = rowsTokenOf(body);
      for (const extra of options.alsoPaths ?? []) await (await fetch(`${base}${withRowsToken(extra, token)}`, { headers })).arrayBuffer();
      const ms = performance.now() - t0;
      if (response.status !== 200) {
        const location = response.headers.get("Location");
        throw new Error(
          `GET ${options.path} answered ${response.status}${location ? ` (redirect to ${location})` : ""}:\n${output}`,
        );
      }
      // Make sure this is the dashboard with the figures the bench computed, not some other page.
      if (i === 0 && !Buffer.from(body).toString("utf8").includes(options.expect)) {
        throw new Error(`GET ${options.path} did not render the expected figure (${options.expect})`);
      }
      // Without the token the grid's request would compute the report a second time.
      if (i === 0 && options.alsoPaths?.length && token === null) throw new Error(`GET ${options.path} handed its grid no rows token`);
      if (i >= options.warmup) {
        timings.push(ms);
        statuses.push(response.status);
      }
      responseBytes = body.byteLength;
      sample();
    }
    const sequentialPeakRssMb = Math.max(...samples.map((s) => s.rssMb), sample()?.hwmMb ?? 0);
    options.log(`  sequential: ${options.requests} requests, peak RSS ${sequentialPeakRssMb} MB`);

    const wall: number[] = [];
    const concurrentStatuses: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const t0 = performance.now();
      const responses = await Promise.all(
        Array.from({ length: options.parallel }, async () => {
          const response = await fetch(url, { redirect: "manual", headers });
          const token = rowsTokenOf(await response.arrayBuffer());
          for (const extra of options.alsoPaths ?? []) await (await fetch(`${base}${withRowsToken(extra, token)}`, { headers })).arrayBuffer();
          return response.status;
        }),
      );
      wall.push(performance.now() - t0);
      concurrentStatuses.push(...responses);
      sample();
    }
    if (concurrentStatuses.some((status) => status !== 200)) throw new Error(`concurrent requests failed: ${concurrentStatuses.join(",")}\n${output}`);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = sample();
    const peakRssMb = Math.max(...samples.map((s) => Math.max(s.rssMb, s.hwmMb)));
    return {
      url: options.path,
      startupSeconds: round(startupSeconds, 2),
      idleRssMb,
      sequential: { ...latencyStats(timings), responseBytes, statuses: [...new Set(statuses)] },
      concurrent: { parallel: options.parallel, rounds: options.rounds, wallMs: latencyStats(wall), statuses: [...new Set(concurrentStatuses)] },
      sequentialPeakRssMb,
      peakRssMb,
      rssAfterMb: after?.rssMb ?? Number.NaN,
      samples,
    };
  } finally {
    clearInterval(sampler);
    await stopChild(child, exited);
  }
}

/**
 * The one-time token a dashboard page hands its grid for the rows its loader computed (`rowsToken` in
 * the route's data), read from the page's hydration data, where the browser's grid gets it; null if none.
 */
function rowsTokenOf(body: ArrayBuffer): string | null {
  return /\\?"rowsToken\\?",\\?"([\w-]+)\\?"/.exec(Buffer.from(body).toString("utf8"))?.[1] ?? null;
}

function withRowsToken(extra: string, token: string | null): string {
  return token === null ? extra : `${extra}${extra.includes("?") ? "&" : "?"}rows=${token}`;
}

/** Signs in as the login form does and returns the session cookie ("bm_session=…"). */
async function signIn(base: string, credentials: { username: string; password: string }): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...credentials, next: "/" }),
  });
  await response.arrayBuffer();
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 302 || !cookie) throw new Error(`sign-in as ${credentials.username} failed: ${response.status}`);
  return cookie;
}

async function waitForHealth(base: string, child: ChildProcess, exited: Promise<number | null>, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the app server exited before answering /healthz:\n${output()}`);
    try {
      const response = await fetch(`${base}/healthz`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill("SIGTERM");
  throw new Error(`the app server did not answer /healthz within 120 s:\n${output()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5000));
  if ((await Promise.race([exited, timeout])) === "timeout") {
    child.kill("SIGKILL");
    await exited;
  }
}
