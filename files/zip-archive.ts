import { Readable } from "node:stream";
import { createInflateRaw, crc32 } from "node:zlib";
import type { ByteSource } from "./byte-source.ts";

/*
 * Just enough of ZIP to read an XLSX by random access: the central directory at the end (so a
 * truncated file is recognised before anything is parsed) and one entry at a time, inflated as a
 * stream and checked against its size and CRC-32.
 */

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipProblem = "corrupt" | "encrypted" | "unsupported";

export class ZipError extends Error {
  constructor(readonly problem: ZipProblem, detail: string) {
    super(detail);
    this.name = "ZipError";
  }
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** Reads the central directory; throws ZipError when the archive is truncated or malformed. */
export async function readZipDirectory(source: ByteSource): Promise<ZipEntry[]> {
  const tailLength = Math.min(source.size, 22 + 0xffff);
  const tail = await source.read(source.size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_DIRECTORY && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipError("corrupt", "no end-of-central-directory record");
  const count = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new ZipError("unsupported", "ZIP64");
  const endOffset = source.size - tailLength + end;
  if (directoryOffset + directorySize > endOffset) throw new ZipError("corrupt", "central directory outside the file");
  const directory = await source.read(directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let position = 0;
  for (let index = 0; index < count; index++) {
    if (position + 46 > directory.length || directory.readUInt32LE(position) !== DIRECTORY_ENTRY) {
      throw new ZipError("corrupt", "bad central directory entry");
    }
    const nameLength = directory.readUInt16LE(position + 28);
    const extraLength = directory.readUInt16LE(position + 30);
    const commentLength = directory.readUInt16LE(position + 32);
    const entry: ZipEntry = {
      name: directory.toString("utf8", position + 46, position + 46 + nameLength),
      flags: directory.readUInt16LE(position + 8),
      method: directory.readUInt16LE(position + 10),
      crc32: directory.readUInt32LE(position + 16),
      compressedSize: directory.readUInt32LE(position + 20),
      uncompressedSize: directory.readUInt32LE(position + 24),
      localHeaderOffset: directory.readUInt32LE(position + 42),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff || entry.localHeaderOffset === 0xffffffff) {
      throw new ZipError("unsupported", "ZIP64 entry");
    }
    if (entry.localHeaderOffset + 30 + entry.compressedSize > directoryOffset) throw new ZipError("corrupt", `entry ${entry.name} outside the file`);
    entries.push(entry);
    position += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The uncompressed bytes of an entry, streamed; throws ZipError when the data does not inflate, is
 * longer or shorter than the directory says, or fails its CRC-32.
 */
export async function* readZipEntry(source: ByteSource, entry: ZipEntry): AsyncGenerator<Buffer> {
  if (entry.flags & 0x1) throw new ZipError("encrypted", entry.name);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipError("unsupported", `compression method ${entry.method}`);
  const header = await source.read(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipError("corrupt", `bad local header for ${entry.name}`);
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const end = start + entry.compressedSize;
  if (end > source.size) throw new ZipError("corrupt", `entry ${entry.name} truncated`);

  let checksum = 0;
  let length = 0;
  const check = (chunk: Buffer) => {
    length += chunk.length;
    if (length > entry.uncompressedSize) throw new ZipError("corrupt", `entry ${entry.name} longer than declared`);
    checksum = crc32(chunk, checksum);
  };
  if (entry.method === 0) {
    for await (const chunk of source.chunks(start, end)) {
      check(chunk);
      yield chunk;
    }
  } else {
    const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
    const compressed = Readable.from(source.chunks(start, end), { objectMode: false });
    compressed.on("error", (error) => inflater.destroy(error));
    compressed.pipe(inflater);
    try {
      for await (const chunk of inflater as AsyncIterable<Buffer>) {
        check(chunk);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof ZipError) throw error;
      throw new ZipError("corrupt", `entry ${entry.name} does not inflate: ${(error as Error).message}`);
    } finally {
      compressed.destroy();
      inflater.destroy();
    }
  }
  if (length !== entry.uncompressedSize || checksum >>> 0 !== entry.crc32 >>> 0) throw new ZipError("corrupt", `entry ${entry.name} fails its checksum`);
}

/** A whole (small) entry as text. */
export async function readZipText(source: ByteSource, entry: ZipEntry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of readZipEntry(source, entry)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
