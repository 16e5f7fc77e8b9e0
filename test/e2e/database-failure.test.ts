import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, SECRET_FILE } from "../../db/embedded.ts";
import { translate } from "../../messages/index.ts";
import { signIn } from "./session.ts";

/*
 * Issue 17 §2: the app on its own embedded PostgreSQL (no DATABASE_URL), whose postmaster is killed
 * with SIGKILL in the middle of an import commit. The node process stays up, /healthz and the pages
 * answer 503 with a sentence in the user's language while the database is down, the app restarts the
 * database by itself, and every committed row is still there (the killed commit: all or nothing).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const serverBuild = path.join(root, "build", "server", "index.js");
const MAQIAO_CENTRE = "上海市闵行区马桥镇社区事务受理服务中心";
const HEADER = "年度,预算单位,项目名称,项目明细,支付日期,支付方式,人次,金额(元),到期日,退回人次,退回金额,重发日期,备注";
const ROWS = 60_000;

function serveBin(): string {
  const packageDir = path.join(root, "node_modules", "@react-router", "serve");
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : Object.values(manifest.bin)[0]!;
  return path.join(packageDir, bin);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!existsSync(serverBuild))("the embedded database killed while the app serves (needs a build)", () => {
  let dataRoot = "";
  let dataDir = "";
  let child: ChildProcess;
  let output = "";
  let exited: string | undefined;
  let baseUrl = "";

  beforeAll(async () => {
    dataRoot = await mkdtemp(path.join(os.tmpdir(), "budget-dbfail-"));
    await chmod(dataRoot, 0o755); // as root PostgreSQL runs as postgres, which must reach the directory
    dataDir = path.join(dataRoot, "postgres");
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, BUDGET_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" };
    delete env.DATABASE_URL;
    child = spawn(process.execPath, [serveBin(), serverBuild], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code, signal) => (exited = `code ${code}, signal ${signal}`));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !exited) {
      const status = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0);
      if (status === 200) return;
      await sleep(250);
    }
    throw new Error(`the app did not start (${exited ?? "no 200 from /healthz"}):\n${output}`);
  }, 150_000);

  afterAll(async () => {
    if (child && !exited) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([gone, sleep(10_000)]);
      if (!exited) child.kill("SIGKILL");
    }
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  });

  /** The postmaster's pid and port, from its lock file. */
  const postmaster = () => {
    const [pid, , , port] = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
    return { pid: Number(pid), port: Number(port) };
  };

  /** What the ledger holds, summed up: rows and totals of every table the import and the demo write. */
  async function ledger(): Promise<Record<string, string>> {
    const secret = JSON.parse(readFileSync(path.join(dataDir, SECRET_FILE), "utf8")) as { app: string };
    const client = new pg.Client({ host: "127.0.0.1", port: postmaster().port, user: "budget_app", password: secret.app, database: "postgres" });
    await client.connect();
    try {
      const { rows } = await client.query<{ table: string; digest: string }>(`
        SELECT 'payment' AS table, count(*) || ':' || coalesce(sum(amount), 0) || ':' || md5(coalesce(string_agg(id || '/' || amount || '/' || coalesce(note, ''), ',' ORDER BY id), '')) AS digest FROM payment
        UNION ALL SELECT 'budget_line', count(*) || ':' || md5(coalesce(string_agg(row_to_json(b)::text, ',' ORDER BY id), '')) FROM budget_line b
        UNION ALL SELECT 'project', count(*) || ':' || md5(coalesce(string_agg(row_to_json(p)::text, ',' ORDER BY id), '')) FROM project p
        UNION ALL SELECT 'import_batch', count(*)::text FROM import_batch`);
      return Object.fromEntries(rows.map((row) => [row.table, row.digest]));
    } finally {
      await client.end();
    }
  }

  /**
   * Kills the postmaster with SIGKILL and keeps its port taken (a listener that hangs up on every
   * connection) until release() is called, so that the database stays down for as long as the test
   * looks — the app's restart must wait and retry. Retries when the restart won the race for the port.
   */
  async function killAndHold(): Promise<{ release: () => Promise<void> }> {
    for (let round = 0; round < 5; round++) {
      const { pid, port } = postmaster();
      process.kill(pid, "SIGKILL");
      const holder = net.createServer((socket) => socket.destroy());
      const deadline = Date.now() + 2_000;
      while (Date.now() < deadline) {
        const held = await new Promise<boolean>((resolve) => {
          holder.once("error", () => resolve(false));
          holder.listen(port, "127.0.0.1", () => resolve(true));
        });
        if (held) return { release: () => new Promise((resolve) => holder.close(() => resolve())) };
        await sleep(5);
      }
      await sleep(2_000); // the restart took the port first: kill the new postmaster
    }
    throw new Error("could not keep the database down");
  }

  test("the process stays up, pages answer 503 in the user's language, the database comes back, and nothing is lost", async () => {
    const planner = await signIn(baseUrl, "maqiao.planner");
    const admin = await signIn(baseUrl, "admin");
    const before = await ledger();

    // A large payments file, checked, then committed; the postmaster is killed while the commit runs.
    const csv = [HEADER, ...Array.from({ length: ROWS }, (_, k) => `2024,${MAQIAO_CENTRE},医疗救助,,2024/6/15,社会化发放,1,1.00,,,,,r${k}`)].join("\n");
    const check = new FormData();
    check.set("kind", "payments");
    check.set("intent", "check");
    check.set("file", new Blob([csv], { type: "text/csv" }), "kill.csv");
    const checked = await fetch(`${baseUrl}/import`, { method: "POST", headers: { Cookie: planner, Origin: baseUrl }, body: check });
    expect(checked.status).toBe(200);
    const hash = /name="hash" value="([0-9a-f]+)"/.exec(await checked.text())?.[1];
    expect(hash).toBeDefined();
    const commit = new FormData();
    for (const [name, value] of Object.entries({ kind: "payments", intent: "commit", hash: hash!, fileName: "kill.csv" })) commit.set(name, value);
    const committing = fetch(`${baseUrl}/import`, { method: "POST", headers: { Cookie: planner, Origin: baseUrl }, body: commit }).then(
      async (response) => ({ status: response.status, text: await response.text() }),
      (error: unknown) => ({ status: 0, text: String(error) }),
    );
    await sleep(250);
    const killedAt = Date.now();
    const hold = await killAndHold();
    const committed = await committing;
    expect(exited, output).toBeUndefined();

    // Down: the failing request failed; /healthz says not ready; pages say so in the user's language.
    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.text()).toContain("not ready");
    const zh = await fetch(`${baseUrl}/`, { headers: { Cookie: admin } });
    expect(zh.status).toBe(503);
    const zhPage = await zh.text();
    expect(zhPage).toContain(translate("zh", "dbUnavailableText"));
    expect(zhPage).not.toContain(translate("en", "dbUnavailableText"));
    const en = await fetch(`${baseUrl}/?lang=en`, { headers: { Cookie: admin } });
    expect(en.status).toBe(503);
    const enPage = await en.text();
    expect(enPage).toContain(translate("en", "dbUnavailableText"));
    expect(enPage).toContain(translate("en", "dbUnavailable"));
    expect(enPage).not.toContain(translate("zh", "dbUnavailableText"));
    const json = await fetch(`${baseUrl}/execution.json?year=2024`, { headers: { Cookie: `${admin}; lang=en` } });
    expect(json.status).toBe(503);
    expect(await json.text()).toContain(translate("en", "dbUnavailableText"));
    const signInPage = await fetch(`${baseUrl}/login`, { method: "POST", headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" }, body: "username=admin&password=x&next=/" });
    expect(signInPage.status).toBe(503);
    await sleep(1_000);
    expect(exited, output).toBeUndefined();

    // Back: the app restarts the database by itself once it can.
    await hold.release();
    const releasedAt = Date.now();
    let recovered = 0;
    while (Date.now() - releasedAt < 30_000) {
      if ((await fetch(`${baseUrl}/healthz`).then((r) => r.status, () => 0)) === 200) {
        recovered = Date.now();
        break;
      }
      await sleep(100);
    }
    expect(recovered, output).toBeGreaterThan(0);
    console.log(`database down ${releasedAt - killedAt} ms (held); back ${recovered - releasedAt} ms after its port was free; commit answered ${committed.status}`);
    expect((await fetch(`${baseUrl}/`, { headers: { Cookie: admin } })).status).toBe(200);
    expect(exited, output).toBeUndefined();

    // Nothing lost, nothing half-written: the killed commit is all there (it finished first) or not at all.
    const after = await ledger();
    const importedRows = Number(after.payment!.split(":")[0]) - Number(before.payment!.split(":")[0]);
    if (committed.status === 200 && committed.text.includes("已导入")) {
      expect(importedRows).toBe(ROWS);
    } else {
      expect(after).toEqual(before);
    }
    expect(after.project).toBe(before.project);
    expect(after.budget_line).toBe(before.budget_line);
  }, 180_000);
});
