import { isUtf8 } from "node:buffer";
import type { ByteSource } from "./byte-source.ts";
import { CsvParser } from "./csv-parser.ts";
import type { TableRow } from "./read-table.ts";
import { TableFileError, messages } from "./table-file-error.ts";

export type CsvEncoding = "utf-8" | "utf-8-bom" | "gb18030";

export interface CsvTable {
  encoding: CsvEncoding;
  batches: AsyncGenerator<TableRow[]>;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Opens a CSV: the encoding from the bytes (a UTF-8 BOM; else valid UTF-8 throughout; else GB18030,
 * of which GBK is a subset: what Excel on Chinese Windows writes for “CSV (逗号分隔)”), then records
 * streamed in chunks. Comma-separated, or tab-separated when the first line has tabs and no commas.
 */
export async function openCsv(source: ByteSource, head: Buffer): Promise<CsvTable> {
  const hasBom = UTF8_BOM.every((byte, index) => head[index] === byte);
  let encoding: CsvEncoding;
  if (await isUtf8Throughout(source)) encoding = hasBom ? "utf-8-bom" : "utf-8";
  else if (!hasBom && (await isGb18030Throughout(source))) encoding = "gb18030";
  else throw new TableFileError(messages.badText);
  return { encoding, batches: csvBatches(source, encoding) };
}

async function* csvBatches(source: ByteSource, encoding: CsvEncoding): AsyncGenerator<TableRow[]> {
  const decoder = new TextDecoder(encoding === "gb18030" ? "gb18030" : "utf-8");
  let parser: CsvParser | null = null;
  for await (const chunk of source.chunks()) {
    const text = decoder.decode(chunk, { stream: true });
    parser ??= new CsvParser(sniffDelimiter(text));
    const records = parser.push(text);
    if (records.length > 0) yield records;
  }
  const rest = decoder.decode();
  parser ??= new CsvParser(sniffDelimiter(rest));
  const records = [...parser.push(rest), ...parser.finish()];
  if (records.length > 0) yield records;
}

/** Tab when the first line with a tab or a comma has tabs and no commas; comma otherwise. */
export function sniffDelimiter(text: string): "," | "\t" {
  for (const line of text.split(/\r\n|\r|\n/, 50)) {
    const tab = line.includes("\t");
    const comma = line.includes(",");
    if (tab || comma) return tab && !comma ? "\t" : ",";
  }
  return ",";
}

/** UTF-8 validity of the whole file, chunk by chunk (a sequence cut by a chunk boundary is carried over). */
async function isUtf8Throughout(source: ByteSource): Promise<boolean> {
  let carry: Buffer | null = null;
  for await (const chunk of source.chunks()) {
    const bytes: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const cut = completeLength(bytes);
    if (!isUtf8(bytes.subarray(0, cut))) return false;
    carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : null;
  }
  return carry === null;
}

/** The length of the prefix that does not end inside a multi-byte sequence. */
function completeLength(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const byte = bytes[n - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return back < length ? n - back : n;
  }
  return n;
}

async function isGb18030Throughout(source: ByteSource): Promise<boolean> {
  const decoder = new TextDecoder("gb18030", { fatal: true });
  try {
    for await (const chunk of source.chunks()) decoder.decode(chunk, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}
