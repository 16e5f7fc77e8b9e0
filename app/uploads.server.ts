import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/*
 * Uploaded files wait here between the dry run and the confirmed import, named by their SHA-256 so
 * that the confirmation imports exactly the bytes that were checked. Only this server reads them.
 */
const DIRECTORY = path.join(os.tmpdir(), "budget-monitor-uploads");
const KEEP_HOURS = 24;

/** Stores an upload and returns its hash (the only handle the browser gets). */
export async function storeUpload(bytes: Uint8Array): Promise<string> {
  await mkdir(DIRECTORY, { recursive: true, mode: 0o700 });
  const hash = createHash("sha256").update(bytes).digest("hex");
  await writeFile(path.join(DIRECTORY, hash), bytes, { mode: 0o600 });
  void purgeOldUploads();
  return hash;
}

/** The bytes of a stored upload, or undefined (unknown or malformed hash: never a path). */
export async function readUpload(hash: string): Promise<Uint8Array | undefined> {
  if (!/^[0-9a-f]{64}$/.test(hash)) return undefined;
  try {
    return await readFile(path.join(DIRECTORY, hash));
  } catch {
    return undefined;
  }
}

async function purgeOldUploads(): Promise<void> {
  const cutoff = Date.now() - KEEP_HOURS * 3_600_000;
  for (const name of await readdir(DIRECTORY).catch(() => [])) {
    const file = path.join(DIRECTORY, name);
    const info = await stat(file).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await rm(file, { force: true });
  }
}
