import Decimal from "decimal.js";

/*
 * How a spreadsheet cell becomes text for the importer: numbers as Excel shows them at full precision
 * (15 significant digits, never exponent notation), dates as YYYY-MM-DD.
 */

/**
 * A number as the shortest plain decimal string with Excel's 15 significant digits, which drops the
 * binary noise of cached formula results: "1471745.3100000001" → "1471745.31", 1e21 → "1000000000000000000000".
 */
export function numberText(raw: string): string {
  if (isPlainShortDecimal(raw)) return raw;
  const value = Number(raw);
  if (!Number.isFinite(value)) return raw.trim();
  if (value === 0) return "0";
  const rounded = Number(value.toPrecision(15));
  const text = String(rounded);
  return text.includes("e") ? new Decimal(rounded).toFixed() : text;
}

/** "2024", "-18096.59", "0.5": at most 15 digits, no exponent, no superfluous zeros. */
function isPlainShortDecimal(raw: string): boolean {
  const n = raw.length;
  if (n === 0 || n > 17) return false;
  let digits = 0;
  let point = -1;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && point === -1) point = i;
    else if (!(c === 45 && i === 0)) return false;
  }
  if (digits === 0 || digits > 15) return false;
  const first = raw.charCodeAt(0) === 45 ? 1 : 0;
  if (raw.charCodeAt(first) === 48 && first + 1 < n && raw.charCodeAt(first + 1) !== 46) return false; // leading zero
  if (point !== -1) {
    const last = raw.charCodeAt(n - 1);
    if (point === first || point === n - 1 || last === 48) return false;
  }
  return !(raw === "-0");
}

export type DateKind = 0 | 1 | 2; // 0 not a date, 1 a date (or date and time), 2 a time of day

/** Whether a number format shows a date or a time. Example: formatDateKind('yyyy"年"m"月"d"日"') → 1. */
export function formatDateKind(code: string): DateKind {
  let section = code.split(";")[0] ?? "";
  section = section.replace(/"[^"]*"/g, "").replace(/\\./g, "").replace(/[_*]./g, "");
  if (/\[(h+|m+|s+)\]/i.test(section)) return 2;
  section = section.replace(/\[[^\]]*\]/g, "").replace(/general/gi, "");
  if (/[yd]/i.test(section)) return 1;
  if (/[hs]/i.test(section)) return 2;
  if (/m/i.test(section)) return 1;
  return 0;
}

/** Excel's built-in number formats that are dates or times (as Excel for zh-CN defines the locale ones). */
export function builtInDateKind(numFmtId: number): DateKind {
  if ((numFmtId >= 14 && numFmtId <= 17) || numFmtId === 22) return 1;
  if ((numFmtId >= 18 && numFmtId <= 21) || (numFmtId >= 45 && numFmtId <= 47)) return 2;
  if ((numFmtId >= 27 && numFmtId <= 31) || numFmtId === 36 || (numFmtId >= 50 && numFmtId <= 54) || numFmtId === 57 || numFmtId === 58) return 1;
  if ((numFmtId >= 32 && numFmtId <= 35) || numFmtId === 55 || numFmtId === 56) return 2;
  return 0;
}

const SECONDS_PER_DAY = 86400;
const SERIAL_OF_1970 = 25569;

/**
 * An Excel date serial as a civil date, with no time zone involved (Excel dates are local dates):
 * 45475 → "2024-07-02". A time of day is dropped. Serials outside 1900–9999 are returned as numbers.
 */
export function serialToDateText(serial: number, date1904: boolean): string | null {
  const days = Math.floor(Math.round(serial * SECONDS_PER_DAY) / SECONDS_PER_DAY) + (date1904 ? 1462 : 0);
  if (days < 61 || days > 2958465) return null;
  return new Date((days - SERIAL_OF_1970) * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10);
}

/**
 * A date cell's text: the civil date, and its time of day when that is not midnight (so that an
 * importer reading dates can refuse it rather than drop it): 45475 → "2024-07-02",
 * 45475.75 → "2024-07-02 18:00:00". Null where serialToDateText gives null.
 */
export function serialToDateTimeText(serial: number, date1904: boolean): string | null {
  const date = serialToDateText(serial, date1904);
  if (date === null) return null;
  const time = serialToTimeText(serial);
  return time === "00:00:00" ? date : `${date} ${time}`;
}

/** The time of day of a serial: 0.5 → "12:00:00". */
export function serialToTimeText(serial: number): string {
  const seconds = Math.round((serial - Math.floor(serial)) * SECONDS_PER_DAY) % SECONDS_PER_DAY;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}
