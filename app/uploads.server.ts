import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { msg, render, type Message } from "../messages/index";

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

/** A request body that went past the limit while it was read. */
export class UploadTooLargeError extends Error {
  readonly detail: Message;

  constructor(readonly limitBytes: number) {
    const detail = msg("impUploadTooLarge", { limit: Math.round(limitBytes / 1024 / 1024) });
    super(render("zh", detail));
    this.detail = detail;
  }
}

/** Room in a request for the form's other fields and the multipart framing around the file. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * The form of a multipart request carrying a file of at most maxFileBytes, with a limit that
 * enforces itself while the body streams in: a chunked upload (no Content-Length) is cut off as soon
 * as it passes the limit, never buffered whole first. Throws UploadTooLargeError.
 */
export async function readFormWithin(request: Request, maxFileBytes: number): Promise<FormData> {
  if (!request.body) return request.formData();
  const maxBytes = maxFileBytes + FORM_OVERHEAD_BYTES;
  let received = 0;
  let exceeded = false;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) {
          exceeded = true;
          controller.error(new UploadTooLargeError(maxFileBytes));
        } else controller.enqueue(chunk);
      },
    }),
    // Not cancelling the upload: cancelling destroys the socket before the answer can be sent. The
    // route answers with Connection: close instead, and the rest is never read.
    { preventCancel: true },
  );
  // Node's fetch needs duplex "half" to accept a stream as a request body.
  const limited = new Request(request.url, { method: request.method, headers: request.headers, body: counted, duplex: "half" } as RequestInit);
  try {
    return await limited.formData();
  } catch (error) {
    if (exceeded) throw new UploadTooLargeError(maxFileBytes);
    throw error;
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
