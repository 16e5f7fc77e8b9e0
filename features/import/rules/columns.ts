import { msg, render, translate, type Language, type Message, type PlainKey } from "../../../messages/index.ts";
import { joined } from "../../../files/table-file-error.ts";
import { shortened } from "../../../files/table-file-error.ts";

/**
 * The columns of the three import kinds, as finance offices head them in Excel: Chinese or English
 * names, amounts optionally carrying their unit in the header (年初预算(万元), 金额(元)).
 */

export const IMPORT_KINDS = ["budget-lines", "adjustments", "payments"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

// Who may import what: rules/scope.ts (re-exported here for the pages that list the kinds).
export { IMPORT_PERMISSION, importableKinds } from "./scope.ts";

/** A file whose header row cannot be used (missing or duplicated columns, unknown units); `detail` says why. */
export class ImportFormatError extends Error {
  constructor(readonly detail: Message) {
    super(render("zh", detail));
    this.name = "ImportFormatError";
  }
}

export type ColumnType = "year" | "text" | "amount" | "signed-amount" | "date" | "integer" | "months" | "fund-level" | "fund-type" | "payment-kind";

export interface ColumnSpec {
  key: string;
  /** The Chinese header as on the official forms; the first is used in templates. */
  names: string[];
  /** The English header (accepted in files). */
  english: string;
  /** The column's name as messages show it (messages/…/import.ts). */
  label: PlainKey;
  type: ColumnType;
  required: boolean;
  /** An example value for the template. */
  example: string;
}

const year: ColumnSpec = { key: "year", names: ["年度", "预算年度"], english: "year", label: "impColYear", type: "year", required: true, example: "2024" };
const unit: ColumnSpec = { key: "unit", names: ["预算单位", "单位"], english: "unit", label: "impColUnit", type: "text", required: true, example: "上海市闵行区马桥镇社区事务受理服务中心" };
const project: ColumnSpec = { key: "project", names: ["项目名称", "项目"], english: "project", label: "impColProject", type: "text", required: true, example: "医疗救助" };

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  "budget-lines": [
    year,
    unit,
    project,
    { key: "composition", names: ["项目构成"], english: "composition", label: "impColComposition", type: "text", required: false, example: "医疗救助" },
    { key: "item", names: ["项目明细"], english: "item", label: "impColItem", type: "text", required: true, example: "市级政策门急诊救助" },
    { key: "fundLevel", names: ["资金级次", "资金来源级次"], english: "fund_level", label: "impColFundLevel", type: "fund-level", required: true, example: "镇级" },
    { key: "fundType", names: ["资金类型", "资金性质"], english: "fund_type", label: "impColFundType", type: "fund-type", required: true, example: "当年财政拨款" },
    { key: "initial", names: ["年初预算", "年初预算数"], english: "initial", label: "impColInitial", type: "amount", required: true, example: "270000.00" },
    { key: "unitPrice", names: ["单价"], english: "unit_price", label: "impColUnitPrice", type: "amount", required: false, example: "180.00" },
    { key: "quantity", names: ["数量", "人次"], english: "quantity", label: "impColQuantity", type: "amount", required: false, example: "1500" },
    { key: "basis", names: ["依据", "测算依据"], english: "basis", label: "impColBasis", type: "text", required: false, example: "沪医保规〔2022〕12号" },
    { key: "months", names: ["安排月份", "计划月份"], english: "months", label: "impColMonths", type: "months", required: false, example: "1-12" },
    { key: "parent", names: ["上级单位"], english: "parent", label: "impColParent", type: "text", required: false, example: "马桥镇" },
  ],
  adjustments: [
    year,
    unit,
    project,
    { key: "item", names: ["项目明细"], english: "item", label: "impColItem", type: "text", required: true, example: "市级政策门急诊救助" },
    { key: "date", names: ["调整日期"], english: "date", label: "impColAdjustedOn", type: "date", required: true, example: "2024-07-15" },
    { key: "amount", names: ["调整金额"], english: "amount", label: "impColAdjustment", type: "signed-amount", required: true, example: "-20000.00" },
    { key: "fundLevel", names: ["资金级次"], english: "fund_level", label: "impColFundLevel", type: "fund-level", required: true, example: "镇级" },
    { key: "reason", names: ["调整原因"], english: "reason", label: "impColReason", type: "text", required: true, example: "年中预算调整" },
    { key: "documentNumber", names: ["文号"], english: "document_number", label: "impColDocumentNumber", type: "text", required: false, example: "闵财预〔2024〕12号" },
  ],
  payments: [
    year,
    unit,
    project,
    { key: "item", names: ["项目明细"], english: "item", label: "impColItem", type: "text", required: false, example: "" },
    { key: "date", names: ["支付日期"], english: "date", label: "impColPaidOn", type: "date", required: true, example: "2024-01-10" },
    { key: "kind", names: ["支付方式"], english: "kind", label: "impColPaymentKind", type: "payment-kind", required: true, example: "社会化发放" },
    { key: "personTimes", names: ["人次"], english: "person_times", label: "impColPersonTimes", type: "integer", required: false, example: "112" },
    { key: "amount", names: ["金额", "支付金额"], english: "amount", label: "impColAmount", type: "amount", required: true, example: "56307.81" },
    { key: "dueDate", names: ["到期日"], english: "due_date", label: "impColDueDate", type: "date", required: false, example: "" },
    { key: "returnedCount", names: ["退回人次"], english: "returned_count", label: "impColReturnedCount", type: "integer", required: false, example: "0" },
    { key: "returnedAmount", names: ["退回金额"], english: "returned_amount", label: "impColReturnedAmount", type: "amount", required: false, example: "0.00" },
    { key: "reissuedOn", names: ["重发日期"], english: "reissued_on", label: "impColReissuedOn", type: "date", required: false, example: "" },
    { key: "note", names: ["备注"], english: "note", label: "impColNote", type: "text", required: false, example: "" },
    // A batch's steps (社会化发放: 受理 → 审核完成 → 审批 → 支付), judged by features/payments/rules/batch-timeliness.ts.
    { key: "acceptedOn", names: ["受理日期"], english: "accepted_on", label: "pmColAcceptedOn", type: "date", required: false, example: "2023-12-20" },
    { key: "reviewedOn", names: ["审核完成日期", "审核日期"], english: "reviewed_on", label: "pmColReviewedOn", type: "date", required: false, example: "2024-01-03" },
    { key: "approvedOn", names: ["审批日期"], english: "approved_on", label: "pmColApprovedOn", type: "date", required: false, example: "2024-01-05" },
  ],
};

/** A header understood: which column it is, and 10,000 when its amounts are in 万元. */
export interface MappedColumn {
  index: number;
  header: string;
  spec: ColumnSpec;
  /** 10000 for 万元, 1 for 元 or no unit. */
  factor: 1 | 10000;
}

export interface HeaderMapping {
  columns: MappedColumn[];
  /** Headers not recognised (ignored, reported as a warning). */
  ignored: string[];
  /** The number of header cells, the last non-empty one included: a data cell beyond it has no header. */
  width: number;
  /** The 0-based positions, within the width, of columns whose header cell is empty. */
  unheaded: number[];
}

/** Splits "年初预算(万元)" into the name and the unit: splitHeader("金额（元）") → { name: "金额", unit: "元" }. */
export function splitHeader(header: string): { name: string; unit: string | null } {
  const normalized = header.replace(/（/g, "(").replace(/）/g, ")").replace(/[【[]/g, "(").replace(/[】\]]/g, ")").trim();
  const match = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(normalized);
  if (!match) return { name: normalized, unit: null };
  return { name: match[1]!.trim(), unit: match[2]!.trim() };
}

function normalizeName(name: string): string {
  return name.replace(/\s+/g, "").toLowerCase();
}

/** The spec a header names, if any: Chinese or English name, unit in brackets allowed. */
function specOf(specs: readonly ColumnSpec[], name: string): ColumnSpec | undefined {
  const wanted = normalizeName(name);
  return specs.find(
    (candidate) => candidate.names.some((chinese) => normalizeName(chinese) === wanted) || normalizeName(candidate.english) === wanted || normalizeName(candidate.key) === wanted,
  );
}

/**
 * Why a header row cannot hold a kind's data, null when it has every required column: how the
 * worksheet of a workbook is chosen. missingColumnsProblem("payments", ["年度", "月份"]) →
 * the message "缺少必需的列：预算单位、项目名称、支付日期、支付方式、金额" (impMissingColumns).
 */
export function missingColumnsProblem(kind: ImportKind, headers: readonly string[]): Message | null {
  const specs = COLUMNS[kind];
  const present = new Set(headers.map((header) => specOf(specs, splitHeader(header).name)?.key));
  const missing = specs.filter((spec) => spec.required && !present.has(spec.key));
  return missing.length > 0 ? missingColumns(missing) : null;
}

function missingColumns(specs: readonly ColumnSpec[]): Message {
  return msg("impMissingColumns", { columns: joined(specs.map((spec) => msg(spec.label)), "impList") });
}

/**
 * Maps a file's header row to the kind's columns. Throws an ImportFormatError naming every missing
 * required column, duplicated column, or unit that is neither 元 nor 万元.
 */
export function mapHeaders(kind: ImportKind, headers: readonly string[]): HeaderMapping {
  const specs = COLUMNS[kind];
  const columns: MappedColumn[] = [];
  const ignored: string[] = [];
  const problems: Message[] = [];
  const unheaded: number[] = [];
  let width = 0;
  headers.forEach((header, index) => {
    if (header.trim() !== "") width = index + 1;
  });
  headers.forEach((header, index) => {
    if (header.trim() === "") {
      if (index < width) unheaded.push(index);
      return;
    }
    const { name, unit } = splitHeader(header);
    const spec = specOf(specs, name);
    if (!spec) {
      ignored.push(header);
      return;
    }
    if (columns.some((column) => column.spec.key === spec.key)) {
      problems.push(msg("impDuplicateColumn", { header }));
      return;
    }
    let factor: 1 | 10000 = 1;
    if (unit !== null) {
      if (unit === "万元" || unit.toLowerCase() === "10k yuan") factor = 10000;
      else if (unit === "元" || unit.toLowerCase() === "yuan") factor = 1;
      else if (spec.type !== "amount" && spec.type !== "signed-amount") factor = 1;
      else problems.push(msg("impBadUnit", { header: shortened(header), unit: shortened(unit) }));
    }
    columns.push({ index, header, spec, factor });
  });
  const missing = specs.filter((spec) => spec.required && !columns.some((column) => column.spec.key === spec.key));
  if (missing.length > 0) problems.push(missingColumns(missing));
  if (problems.length > 0) throw new ImportFormatError(joined(problems, "impSentences") as Message);
  return { columns, ignored, width, unheaded };
}

/** The template's header row of a kind, in Chinese, amounts in 元: templateHeaders("adjustments")[5] → "调整金额(元)". */
export function templateHeaders(kind: ImportKind): string[] {
  return COLUMNS[kind].map((spec) => (spec.type === "amount" || spec.type === "signed-amount") && spec.key !== "quantity" ? `${spec.names[0]}(元)` : spec.names[0]!);
}

const ALL_SPECS = [...COLUMNS["budget-lines"], ...COLUMNS.adjustments, ...COLUMNS.payments];

/**
 * A column as the file (or a check) names it, in a language: Chinese as written; English by the column
 * spec's label, with its unit: columnLabel("en", "金额(万元)") → "amount (10k yuan)". A header that is
 * none of ours stays as written: columnLabel("en", "经办人") → "经办人".
 */
export function columnLabel(language: Language, header: string): string {
  if (language === "zh") return header;
  const { name, unit } = splitHeader(header);
  const wanted = normalizeName(name);
  const spec = ALL_SPECS.find((candidate) => candidate.names.some((chinese) => normalizeName(chinese) === wanted) || normalizeName(candidate.english) === wanted);
  if (!spec) return header;
  const english = translate(language, spec.label);
  if (unit === "万元" || unit?.toLowerCase() === "10k yuan") return `${english} (10k yuan)`;
  if (unit === "元" || unit?.toLowerCase() === "yuan") return `${english} (yuan)`;
  return unit ? `${english} (${unit})` : english;
}

/** A column of a kind as a message parameter (its name, in 元 or 万元 for amounts read in them): columnMessage(mapped). */
export function columnMessage(column: { spec: ColumnSpec; factor: 1 | 10000; header: string }): Message {
  const name = msg(column.spec.label);
  if (splitHeader(column.header).unit === null) return name;
  return column.factor === 10000 ? msg("impColInWan", { column: name }) : msg("impColInYuan", { column: name });
}
