import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";

/**
 * The bytes of an uploaded or local file, read in pieces: random access for the ZIP directory of an
 * XLSX, sequential chunks for a CSV. A path is never read whole into memory.
 */
export interface ByteSource {
  readonly size: number;
  read(position: number, length: number): Promise<Buffer>;
  chunks(start?: number, end?: number): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

const CHUNK_BYTES = 256 * 1024;

export function bytesSource(bytes: Uint8Array): ByteSource {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    size: buffer.length,
    read: async (position, length) => buffer.subarray(position, Math.min(buffer.length, position + length)),
    async *chunks(start = 0, end = buffer.length) {
      for (let position = start; position < end; position += CHUNK_BYTES) yield buffer.subarray(position, Math.min(end, position + CHUNK_BYTES));
    },
    close: async () => {},
  };
}

export async function pathSource(path: string): Promise<ByteSource> {
  const { size } = await stat(path);
  return {
    size,
    // Opened per read (a handful per file: the ZIP directory and headers), so that nothing stays open.
    async read(position, length) {
      const handle = await open(path, "r");
      try {
        const wanted = Math.max(0, Math.min(length, size - position));
        const buffer = Buffer.allocUnsafe(wanted);
        let filled = 0;
        while (filled < wanted) {
          const { bytesRead } = await handle.read(buffer, filled, wanted - filled, position + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return buffer.subarray(0, filled);
      } finally {
        await handle.close();
      }
    },
    chunks(start = 0, end = size) {
      if (end <= start) return (async function* () {})();
      return createReadStream(path, { start, end: end - 1, highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>;
    },
    close: async () => {},
  };
}
