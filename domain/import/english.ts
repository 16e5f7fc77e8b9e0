/*
 * The import's messages in English, for users who chose the English interface. The importer writes
 * its messages in Chinese (the CLI, the audit and the stored reports stay Chinese); the page shows
 * them through this table of templates. A message that matches no template is shown as written.
 * What the user typed or named (a unit, a cell's text) is quoted as in the Chinese message.
 */

type Template = [RegExp, (...groups: string[]) => string];

const SKIPPED_QUOTE = "“([^”]*)”";

/** The row statuses of the dry-run grid. */
export const STATUS_EN: Record<string, string> = {
  new: "new",
  updated: "updated",
  unchanged: "unchanged",
  duplicate: "duplicate",
  error: "error",
  total: "total",
};

const FUND_LEVELS_EN: Record<string, string> = { 中央: "central", 市级: "city", 区级: "district", 镇级: "town" };

/** Chinese names of the import columns and the terms that messages carry, in English. */
const TERMS: Record<string, string> = {
  年度: "year",
  预算年度: "fiscal year",
  预算单位: "unit",
  单位: "unit",
  项目名称: "project",
  项目: "project",
  项目构成: "composition",
  项目明细: "item",
  资金级次: "fund level",
  资金来源级次: "fund level",
  资金类型: "fund type",
  资金性质: "fund type",
  年初预算: "initial budget",
  年初预算数: "initial budget",
  单价: "unit price",
  数量: "quantity",
  依据: "basis",
  测算依据: "basis",
  安排月份: "months",
  计划月份: "months",
  上级单位: "parent unit",
  调整日期: "adjustment date",
  调整金额: "adjustment amount",
  调整原因: "reason",
  文号: "document number",
  支付日期: "payment date",
  支付方式: "payment kind",
  人次: "person-times",
  金额: "amount",
  支付金额: "amount",
  到期日: "due date",
  退回人次: "returned count",
  退回金额: "returned amount",
  重发日期: "reissued on",
  备注: "note",
};

/** A column name as the file wrote it, in English when it is one of ours (unit suffix kept). */
export function columnInEnglish(column: string): string {
  const match = /^(.*?)\s*[（(]\s*(元|万元)\s*[)）]$/.exec(column);
  const name = match ? match[1]! : column;
  const english = TERMS[name];
  if (!english) return column;
  return match ? `${english} (${match[2] === "万元" ? "10k yuan" : "yuan"})` : english;
}

/** What the "……另有 N 行…" line of a capped warning list counts. */
const MORE_ROWS: Record<string, string> = {
  "与前面的行重复，已跳过": "duplicates of earlier rows, skipped",
  "金额疑似元/万元混淆": "amounts that look like a 元/万元 (yuan/10k yuan) mix-up",
  "日期不在预算年度内": "dates outside the fiscal year",
  "与台账中的支付仅备注不同": "differing from a ledger payment only in their 备注 (note)",
};

const TEMPLATES: Template[] = [
  // Cells
  [/^必填$/, () => "required"],
  [/^“(.*)”不是有效的年度$/s, (text) => `“${text}” is not a valid year`],
  [/^超过 (\d+) 个字符$/, (count) => `longer than ${count} characters`],
  [/^“(.*)”不是数字$/s, (text) => `“${text}” is not a number`],
  [/^([^：]*) 万元 = (.*) 元，超过两位小数（精确到分）$/s, (text, yuan) => `${text} 10k yuan = ${yuan} yuan: more than 2 decimals of yuan (cents)`],
  [/^金额“(.*)”超过两位小数（精确到分）$/s, (text) => `amount “${text}” has more than 2 decimals (cents)`],
  [/^金额不能为负数：(.*)$/s, (text) => `amount cannot be negative: “${text}”`],
  [/^金额过大：(.*)$/s, (text) => `amount too large: “${text}”`],
  [/^“(.*)”不是日期（应为 YYYY-MM-DD）$/s, (text) => `“${text}” is not a date (YYYY-MM-DD)`],
  [/^日期不存在：(.*)$/s, (text) => `no such date: “${text}”`],
  [/^“(.*)”的千位分隔符位置不对：应从个位起每三位一组（如 1,234,567.89），请检查是否输错了数字$/s, (text) => `“${text}”: thousands separators in the wrong place (groups of three from the units, e.g. 1,234,567.89): is a digit missing or extra?`],
  [/^“(.*)”带有时刻 ([\d:]+)：日期列只填日期（时刻只能是 0:00）$/s, (text, time) => `“${text}” carries the time ${time}: a date column takes dates only (time 0:00 at most)`],
  [/^第(\d+)列（([A-Z]+)列）没有表头，却有内容“(.*)”：该行比表头（(\d+)列）多出字段：金额中的千位分隔符是否未加引号（CSV 中应写作 "1,234.56" 或 1234.56）？$/s, (position, letter, text, width) =>
    `column ${position} (${letter}) has no header but holds “${text}”: the row has more fields than the header (${width} columns): an amount with an unquoted thousands separator? (in CSV write "1,234.56" or 1234.56)`],
  [/^第(\d+)列（([A-Z]+)列）没有表头，却有内容“(.*)”：请为该列填写表头，或删除该列的内容$/s, (position, letter, text) => `column ${position} (${letter}) has no header but holds “${text}”: give the column a header or clear it`],
  [/^调整金额不能为 0$/, () => "an adjustment cannot be 0"],
  [/^“(.*)”不是非负整数$/s, (text) => `“${text}” is not a whole number ≥ 0`],
  [/^资金级次应为 (.*)：(.*)$/s, (_levels, text) => `fund level must be ${Object.entries(FUND_LEVELS_EN).map(([zh, en]) => `${zh} (${en})`).join("/")}: “${text}”`],
  [/^资金类型应为 (.*)：(.*)$/s, (_types, text) => `fund type must be 当年财政拨款 (current appropriation)/上年结转 (carry-over)/其他资金 (other): “${text}”`],
  [/^支付方式应为 社会化发放 或 划拨：(.*)$/s, (text) => `payment kind must be 社会化发放 (batch) or 划拨 (transfer): “${text}”`],
  [/^无法识别的月份：(.*)$/s, (text) => `unreadable months: “${text}”`],
  [/^月份应在 1–12 之间：(.*)$/s, (text) => `months must lie within 1–12: “${text}”`],
  // Rows
  [/^年初预算 (.*) ≠ 单价 (.*) × 数量 (.*)$/, (initial, price, quantity) => `initial budget ${initial} ≠ unit price ${price} × quantity ${quantity}`],
  [/^退回金额大于支付金额$/, () => "returned amount exceeds the payment"],
  [/^退回人次大于人次$/, () => "returned count exceeds person-times"],
  [/^有重发日期但没有退回金额$/, () => "reissue date without a returned amount"],
  [/^重发日期早于支付日期$/, () => "reissued before it was paid"],
  [/^只有划拨才有到期日$/, () => "only a 划拨 (transfer) has a due date"],
  [/^支付金额必须大于 0$/, () => "the payment must be greater than 0"],
  [/^合计行：已核对，不导入$/, () => "total row: checked, not imported"],
  [/^文件中没有数据行$/, () => "the file has no data rows"],
  // Names
  [new RegExp(`^未知的预算单位${SKIPPED_QUOTE}$`, "s"), (unit) => `unknown unit “${unit}”`],
  [new RegExp(`^项目中有多条同名明细${SKIPPED_QUOTE}，无法确定是哪一条$`, "s"), (item) => `the project has several lines named “${item}”: cannot tell which`],
  [/^无权导入到该单位：(.*)$/s, (unit) => `you may not import into this unit: “${unit}”`],
  [/^未找到项目：(\d+) 年 (.*)$/s, (year, rest) => `no such project: ${year} “${rest}”`],
  [/^项目中没有该明细：(.*)$/s, (item) => `the project has no such line: “${item}”`],
  [new RegExp(`^上级单位${SKIPPED_QUOTE}不存在$`, "s"), (parent) => `parent unit “${parent}” does not exist`],
  [new RegExp(`^新单位${SKIPPED_QUOTE}需要填写上级单位$`, "s"), (unit) => `new unit “${unit}” needs a parent unit (上级单位)`],
  [/^无权在该上级单位下新建单位：(.*)$/s, (parent) => `you may not create units under this parent unit: “${parent}”`],
  [/^(年初预算|资金级次|资金类型|单价|数量|依据|安排月份) (.*) → (.*)$/s, (label, before, after) => `${TERMS[label]} ${before} → ${after}`],
  // Ledger
  [/^与第(\d+)行重复，已跳过$/, (row) => `duplicate of row ${row}: skipped`],
  [/^已存在$/, () => "already in the ledger"],
  [/^该笔支付已在台账中，但退回或重发信息不同：请在台账中修改该笔支付，不要重复导入$/, () => "this payment is already in the ledger with other return or reissue figures: change it in the ledger instead of importing it again"],
  // Warnings
  [/^金额“(.*)”与下一列“(.*)”的“(.*)”疑似一个被千位分隔符拆开的数（(.*)）：CSV 中带千位分隔符的数字须加引号$/s, (amount, next, after, joined) =>
    `amount “${amount}” and “${after}” in the next column (“${columnInEnglish(next)}”) look like one number split at its thousands separator (${joined}): in a CSV, numbers with separators must be quoted`],
  [/^台账中已有同日、同方式、同金额的支付，仅备注不同（台账备注“(.*)”）：如只是改了备注，请在台账中修改，不要重复导入$/s, (note) =>
    `the ledger already has a payment of the same day, kind and amount that differs only in its note (ledger note “${note}”): if only the note was corrected, change it in the ledger instead of importing it again`],
  [/^文件“(.*)”为空$/s, (name) => `the file “${name}” is empty`],
  [/^请选择要导入的文件$/, () => "choose a file to import"],
  [/^请选择导入类型$/, () => "choose what to import"],
  [/^找不到已检查的文件，请重新上传$/, () => "the checked file is gone: upload it again"],
  [new RegExp(`^未识别的列${SKIPPED_QUOTE}，已忽略$`, "s"), (header) => `unrecognised column “${header}”: ignored`],
  [/^同一文件已于 (.*) 由 (.*) 导入，本次不作任何改动$/s, (at, user) => `the same file was imported at ${at} by ${user}: nothing changed`],
  [/^合计行不平：写明 (.*)，上方各行之和 (.*)（差 (.*)）$/s, (stated, computed, difference) => `total row does not foot: states ${stated}, the rows above sum to ${computed} (difference ${difference})`],
  [/^金额是本项目各行中位数 ([\d,.]+) 的 ([\d,]+) 倍，疑似元\/万元混淆$/, (median, ratio) =>
    `amount ${ratio} times the median of the project's rows (${median}): 元/万元 (yuan/10k yuan) mix-up?`],
  [/^金额是本项目各行中位数 ([\d,.]+) 的 1\/([\d,]+)，疑似元\/万元混淆$/, (median, ratio) =>
    `amount 1/${ratio} of the median of the project's rows (${median}): 元/万元 (yuan/10k yuan) mix-up?`],
  [/^单笔支付 ([\d,.]+) 元超过本项目 (\d+) 年调整后预算 ([-\d,.]+) 元，须确认后才能导入$/, (amount, year, budget) =>
    `this one payment of ${amount} yuan exceeds the project's adjusted budget for ${year} (${budget} yuan): import only after confirming it`],
  [/^日期 (.*) 不在 (\d+) 预算年度内$/, (day, year) => `date ${day} lies outside fiscal year ${year}`],
  [/^导入后 (\d+) (.*) 的支付 (.*) 元超过调整后预算 (.*) 元（截至 \d+ 年末）$/s, (year, project, paid, adjusted) =>
    `after the import, payments of ${year} “${project}” (${paid} yuan) exceed the adjusted budget (${adjusted} yuan) at the end of ${year}`],
  [/^……另有 (\d+) 行(与前面的行重复，已跳过|金额疑似元\/万元混淆|日期不在预算年度内|与台账中的支付仅备注不同)$/s, (count, what) =>
    `… and ${count} more rows: ${MORE_ROWS[what] ?? what}`],
  // The file
  [new RegExp(`^列${SKIPPED_QUOTE}重复$`, "s"), (header) => `column “${header}” appears twice`],
  [new RegExp(`^列${SKIPPED_QUOTE}的单位${SKIPPED_QUOTE}无法识别（应为 元 或 万元）$`, "s"), (header, unit) => `column “${header}”: unit “${unit}” not recognised (元 or 万元)`],
  [/^缺少必需的列：(.*)$/s, (columns) => `required columns missing: ${columns.split("、").map((column) => `${column} (${columnInEnglish(column)})`).join(", ")}`],
  [/^第(\d+)(?:至(\d+))?行（(.*)）在表头上方，视为标题，已跳过；表头在第(\d+)行$/s, (first, last, titles, header) =>
    `row${last ? `s ${first}–${last}` : ` ${first}`} (${titles}) above the header taken as a title and skipped; the header is row ${header}`],
  [/^第(\d+)行第([A-Z]+)列是公式，已取其计算结果$/, (row, column) => `cell ${column}${row} is a formula: its calculated value was read`],
  [/^第([A-Z]+)列有 (\d+) 个公式单元格（第(\d+)行至第(\d+)行），已取其计算结果$/, (column, count, first, last) => `column ${column} has ${count} formula cells (rows ${first}–${last}): their calculated values were read`],
  [/^(.*)，已读取工作表“([^”]*)”$/s, (skipped, sheet) => `${skipped.split("，").map(sheetNote).join("; ")}: read worksheet “${sheet}”`],
  [/^只读取了工作表“([^”]*)”；其余工作表（(.*)）未读取$/s, (sheet, others) => `only worksheet “${sheet}” was read; the others (${others.split("、").map((name) => `“${name}”`).join(", ")}) were not`],
  [/^数据库拒绝写入（未导入任何行）：(.*)$/s, (reason) => `the database refused the write (no row imported): ${reason}`],
];

/** "工作表“A”、“B”没有数据" / "…不含所需的列" in English. */
function sheetNote(note: string): string {
  const match = /^工作表(.*)(没有数据|不含所需的列)$/s.exec(note);
  if (!match) return note;
  const names = match[1]!.split("、").join(", ");
  return `worksheet${match[1]!.includes("、") ? "s" : ""} ${names} ${match[2] === "没有数据" ? "empty" : "without the columns needed"}`;
}

/** One import message in English (as written when no template matches). Messages joined by "；" are rendered one by one. */
export function importMessageInEnglish(message: string): string {
  for (const [pattern, render] of TEMPLATES) {
    const match = pattern.exec(message);
    if (match) return render(...match.slice(1));
  }
  // The file layer's messages carry their English at the end: "文件为空 (the file is empty)".
  const bilingual = /^[^]*?[\u4e00-\u9fff][^]*\(([A-Za-z][^()]*)\)$/.exec(message);
  if (bilingual) return bilingual[1]!;
  if (message.includes("；")) return message.split("；").map(importMessageInEnglish).join("; ");
  // "支付日期：日期不存在：…": a row's message for the grid, led by its column.
  const led = /^([^：]+)：(.+)$/s.exec(message);
  if (led && columnInEnglish(led[1]!) !== led[1]) return `${columnInEnglish(led[1]!)}: ${importMessageInEnglish(led[2]!)}`;
  return message;
}

/** Whether a message has an English template (for the tests: every message the importer writes must). */
export function hasEnglishTemplate(message: string): boolean {
  const matches = (text: string) => TEMPLATES.some(([pattern]) => pattern.test(text));
  const led = (text: string) => {
    const match = /^([^：]+)：(.+)$/s.exec(text);
    return match !== null && columnInEnglish(match[1]!) !== match[1] && matches(match[2]!);
  };
  const one = (text: string) => matches(text) || led(text);
  return one(message) || (message.includes("；") && message.split("；").every(one));
}
