import { randomBytes } from "node:crypto";
import { constants, crc32, deflateRawSync } from "node:zlib";

/*
 * For tests: ZIP archives and workbooks built in code, large in what they inflate to but small in
 * memory. An entry is a list of pieces, each deflated once on its own (a full flush: byte-aligned,
 * no reference to earlier data) and repeated as often as asked, so that 900 MB of whitespace costs
 * the test about 1 MB of compressed bytes. Sizes and CRC-32 are those of the inflated bytes.
 */

export type Piece = string | Buffer | { repeat: string | Buffer; times: number };

export interface ZipPart {
  name: string;
  /** Raw deflate data (method 8), or the bytes themselves when `stored`. */
  data: Buffer;
  /** The uncompressed size the archive declares. */
  size: number;
  crc: number;
  stored?: boolean;
}

const FINAL_EMPTY_BLOCK = deflateRawSync(Buffer.alloc(0));

/** A deflated entry of the pieces in order; `level` 0 stores them (no compression). */
export function part(name: string, pieces: Piece | Piece[], options: { level?: number } = {}): ZipPart {
  const list = Array.isArray(pieces) ? pieces : [pieces];
  const segments: Buffer[] = [];
  let size = 0;
  let crc = 0;
  for (const piece of list) {
    const unit = typeof piece === "string" ? Buffer.from(piece, "utf8") : Buffer.isBuffer(piece) ? piece : typeof piece.repeat === "string" ? Buffer.from(piece.repeat, "utf8") : piece.repeat;
    const times = typeof piece === "object" && !Buffer.isBuffer(piece) ? piece.times : 1;
    if (unit.length === 0 || times === 0) continue;
    const segment = deflateRawSync(unit, { level: options.level ?? 9, finishFlush: constants.Z_FULL_FLUSH });
    for (let index = 0; index < times; index++) {
      segments.push(segment);
      crc = crc32(unit, crc);
    }
    size += unit.length * times;
  }
  segments.push(FINAL_EMPTY_BLOCK);
  return { name, data: Buffer.concat(segments), size, crc };
}

/** A stored entry of random bytes: padding that does not compress (as a photo in a workbook). */
export function incompressible(name: string, bytes: number): ZipPart {
  const data = randomBytes(bytes);
  return { name, data, size: bytes, crc: crc32(data), stored: true };
}

/** The archive: local headers and data, the central directory, its end record. */
export function zipArchive(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of parts) {
    const name = Buffer.from(entry.name, "utf8");
    const method = entry.stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(entry.crc >>> 0, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    directory.push(central, name);
    offset += 30 + name.length + entry.data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

export const WORKSHEET_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>`;
export const WORKSHEET_END = `</sheetData></worksheet>`;
/** A header row and one data row, as a real payments sheet starts. */
export const HEADER_ROWS =
  `<row r="1"><c r="A1" t="inlineStr"><is><t>年度</t></is></c><c r="B1" t="inlineStr"><is><t>金额(元)</t></is></c></row>` +
  `<row r="2"><c r="A2"><v>2024</v></c><c r="B2"><v>1.5</v></c></row>`;

/**
 * A workbook of one worksheet "S": its part given (pieces, or a ready entry), with optional shared
 * strings, styles, a workbook.xml of one's own and extra entries (padding).
 */
export function workbook(options: { sheet?: Piece | Piece[] | ZipPart; sharedStrings?: ZipPart; styles?: ZipPart; workbookXml?: ZipPart; extra?: ZipPart[] }): Buffer {
  const sheet = options.sheet === undefined ? part("xl/worksheets/sheet1.xml", [WORKSHEET_START, HEADER_ROWS, WORKSHEET_END]) : isPart(options.sheet) ? options.sheet : part("xl/worksheets/sheet1.xml", options.sheet);
  const parts: ZipPart[] = [
    part("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    options.workbookXml ?? part("xl/workbook.xml", `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    part(
      "xl/_rels/workbook.xml.rels",
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ),
    { ...sheet, name: "xl/worksheets/sheet1.xml" },
  ];
  if (options.sharedStrings) parts.push({ ...options.sharedStrings, name: "xl/sharedStrings.xml" });
  if (options.styles) parts.push({ ...options.styles, name: "xl/styles.xml" });
  parts.push(...(options.extra ?? []));
  return zipArchive(parts);
}

function isPart(value: unknown): value is ZipPart {
  return typeof value === "object" && value !== null && "crc" in value && "data" in value;
}

export const SST_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${MAIN}">`;
export const SST_END = `</sst>`;
