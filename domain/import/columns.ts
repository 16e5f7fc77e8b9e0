import { roleAllows, type Permission, type Role } from "../permissions.ts";

/**
 * The columns of the three import kinds, as finance offices head them in Excel: Chinese or English
 * names, amounts optionally carrying their unit in the header (年初预算(万元), 金额(元)).
 */

export const IMPORT_KINDS = ["budget-lines", "adjustments", "payments"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The permission each kind of file needs. */
export const IMPORT_PERMISSION: Record<ImportKind, Permission> = {
  "budget-lines": "edit-budget",
  adjustments: "edit-adjustment",
  payments: "edit-payment",
};

/** The kinds of file a user with these roles may import: importableKinds(["manager"]) → ["adjustments"]. */
export function importableKinds(roles: readonly Role[]): ImportKind[] {
  return IMPORT_KINDS.filter((kind) => roleAllows(roles, IMPORT_PERMISSION[kind]));
}

/** A file whose header row cannot be used (missing or duplicated columns, unknown units). */
export class ImportFormatError extends Error {}

export type ColumnType = "year" | "text" | "amount" | "signed-amount" | "date" | "integer" | "months" | "fund-level" | "fund-type" | "payment-kind";

export interface ColumnSpec {
  key: string;
  /** The Chinese header as on the official forms; the first is used in templates. */
  names: string[];
  /** The English header. */
  english: string;
  type: ColumnType;
  required: boolean;
  /** An example value for the template. */
  example: string;
}

const year: ColumnSpec = { key: "year", names: ["年度", "预算年度"], english: "year", type: "year", required: true, example: "2024" };
const unit: ColumnSpec = { key: "unit", names: ["预算单位", "单位"], english: "unit", type: "text", required: true, example: "上海市闵行区马桥镇社区事务受理服务中心" };
const project: ColumnSpec = { key: "project", names: ["项目名称", "项目"], english: "project", type: "text", required: true, example: "医疗救助" };

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  "budget-lines": [
    year,
    unit,
    project,
    { key: "composition", names: ["项目构成"], english: "composition", type: "text", required: false, example: "医疗救助" },
    { key: "item", names: ["项目明细"], english: "item", type: "text", required: true, example: "市级政策门急诊救助" },
    { key: "fundLevel", names: ["资金级次", "资金来源级次"], english: "fund_level", type: "fund-level", required: true, example: "镇级" },
    { key: "fundType", names: ["资金类型", "资金性质"], english: "fund_type", type: "fund-type", required: true, example: "当年财政拨款" },
    { key: "initial", names: ["年初预算", "年初预算数"], english: "initial", type: "amount", required: true, example: "270000.00" },
    { key: "unitPrice", names: ["单价"], english: "unit_price", type: "amount", required: false, example: "180.00" },
    { key: "quantity", names: ["数量", "人次"], english: "quantity", type: "amount", required: false, example: "1500" },
    { key: "basis", names: ["依据", "测算依据"], english: "basis", type: "text", required: false, example: "沪医保规〔2022〕12号" },
    { key: "months", names: ["安排月份", "计划月份"], english: "months", type: "months", required: false, example: "1-12" },
    { key: "parent", names: ["上级单位"], english: "parent", type: "text", required: false, example: "马桥镇" },
  ],
  adjustments: [
    year,
    unit,
    project,
    { key: "item", names: ["项目明细"], english: "item", type: "text", required: true, example: "市级政策门急诊救助" },
    { key: "date", names: ["调整日期"], english: "date", type: "date", required: true, example: "2024-07-15" },
    { key: "amount", names: ["调整金额"], english: "amount", type: "signed-amount", required: true, example: "-20000.00" },
    { key: "fundLevel", names: ["资金级次"], english: "fund_level", type: "fund-level", required: true, example: "镇级" },
    { key: "reason", names: ["调整原因"], english: "reason", type: "text", required: true, example: "年中预算调整" },
    { key: "documentNumber", names: ["文号"], english: "document_number", type: "text", required: false, example: "闵财预〔2024〕12号" },
  ],
  payments: [
    year,
    unit,
    project,
    { key: "item", names: ["项目明细"], english: "item", type: "text", required: false, example: "" },
    { key: "date", names: ["支付日期"], english: "date", type: "date", required: true, example: "2024-01-10" },
    { key: "kind", names: ["支付方式"], english: "kind", type: "payment-kind", required: true, example: "社会化发放" },
    { key: "personTimes", names: ["人次"], english: "person_times", type: "integer", required: false, example: "112" },
    { key: "amount", names: ["金额", "支付金额"], english: "amount", type: "amount", required: true, example: "56307.81" },
    { key: "dueDate", names: ["到期日"], english: "due_date", type: "date", required: false, example: "" },
    { key: "returnedCount", names: ["退回人次"], english: "returned_count", type: "integer", required: false, example: "0" },
    { key: "returnedAmount", names: ["退回金额"], english: "returned_amount", type: "amount", required: false, example: "0.00" },
    { key: "reissuedOn", names: ["重发日期"], english: "reissued_on", type: "date", required: false, example: "" },
    { key: "note", names: ["备注"], english: "note", type: "text", required: false, example: "" },
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
 * "缺少必需的列：预算单位、项目名称、支付日期、支付方式、金额".
 */
export function missingColumnsProblem(kind: ImportKind, headers: readonly string[]): string | null {
  const specs = COLUMNS[kind];
  const present = new Set(headers.map((header) => specOf(specs, splitHeader(header).name)?.key));
  const missing = specs.filter((spec) => spec.required && !present.has(spec.key));
  return missing.length > 0 ? `缺少必需的列：${missing.map((spec) => spec.names[0]).join("、")}` : null;
}

/**
 * Maps a file's header row to the kind's columns. Throws a Chinese message naming every missing
 * required column, duplicated column, or unit that is neither 元 nor 万元.
 */
export function mapHeaders(kind: ImportKind, headers: readonly string[]): HeaderMapping {
  const specs = COLUMNS[kind];
  const columns: MappedColumn[] = [];
  const ignored: string[] = [];
  const problems: string[] = [];
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
      problems.push(`列“${header}”重复`);
      return;
    }
    let factor: 1 | 10000 = 1;
    if (unit !== null) {
      if (unit === "万元" || unit.toLowerCase() === "10k yuan") factor = 10000;
      else if (unit === "元" || unit.toLowerCase() === "yuan") factor = 1;
      else if (spec.type !== "amount" && spec.type !== "signed-amount") factor = 1;
      else problems.push(`列“${header}”的单位“${unit}”无法识别（应为 元 或 万元）`);
    }
    columns.push({ index, header, spec, factor });
  });
  const missing = specs.filter((spec) => spec.required && !columns.some((column) => column.spec.key === spec.key));
  if (missing.length > 0) problems.push(`缺少必需的列：${missing.map((spec) => spec.names[0]).join("、")}`);
  if (problems.length > 0) throw new ImportFormatError(problems.join("；"));
  return { columns, ignored, width, unheaded };
}

/** The template's header row of a kind, in Chinese, amounts in 元: templateHeaders("adjustments")[5] → "调整金额(元)". */
export function templateHeaders(kind: ImportKind): string[] {
  return COLUMNS[kind].map((spec) => (spec.type === "amount" || spec.type === "signed-amount") && spec.key !== "quantity" ? `${spec.names[0]}(元)` : spec.names[0]!);
}
