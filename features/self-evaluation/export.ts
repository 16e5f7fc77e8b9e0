import ExcelJS from "exceljs";
import { protectFormulaText } from "../../files/write-xlsx.ts";
import { judgementMessage } from "../../domain/targets.ts";
import { levelMessage } from "../../domain/declaration.ts";
import { money } from "../../domain/money.ts";
import { msg, render, translate, type Language, type Message, type MessageKey } from "../../messages/index.ts";
import { stateMessage } from "../workflow/rules.ts";
import { FUNDS_WEIGHT, gradeMessage, type FundRowKind } from "./rules/index.ts";
import type { SelfEvaluationRowView, SelfEvaluationView } from "./queries/view.ts";

/*
 * The self-evaluation (绩效自评表, seeds/003) as an .xlsx workbook: one sheet laid out like the printed
 * one — title and year, 项目名称 / 主管部门 / 实施单位, the funds block (项目资金（万元）: amounts in 万元 as
 * numbers formatted #,##0.00, 分数 and 得分 on the total row, 执行率 as the rules give it: 96.27 under
 * 执行率(%)), 年度总体目标, the indicator table with 一级/二级 merged as printed, 总分 and 评分等级, and the
 * signature lines. An entered score that departs from the rule is marked, with the rule's score beside
 * it and the reason given. Labels in the user's language; what users typed is written as typed.
 */

const COLUMNS = 9;
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF808080" } };
const LABEL_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };
/** The mark of a score that departs from the rule (the reviewer's attention). */
const DEPARTURE_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFE699" } };
const AMOUNT = "#,##0.00";

const FUND_LABELS: Record<FundRowKind, MessageKey> = {
  total: "seFundsTotal",
  当年财政拨款: "seFundsCurrentYear",
  上年结转: "seFundsCarriedOver",
  其他资金: "seFundsOther",
};

/** The workbook's file name: 绩效自评表-2024-医疗救助-上海市闵行区医疗保障局.xlsx / self-evaluation-2024-….xlsx. */
export function selfEvaluationWorkbookName(language: Language, view: SelfEvaluationView): string {
  const { project } = view;
  return render(language, msg("slxFileName", { year: String(project.fiscalYear), project: project.name, unit: project.unitName }));
}

/** Rows of the same text next to each other, as the printed sheet merges them: [first, last] indexes. */
function runs(values: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  values.forEach((value, index) => {
    const last = out.at(-1);
    if (last && values[last[1]] === value && value !== "") last[1] = index;
    else out.push([index, index]);
  });
  return out;
}

/** A rough row height for wrapped text in a merged cell `width` characters wide (Excel cannot fit merged cells itself). */
function heightFor(text: string, width: number, minimum = 18): number {
  const lines = text.split("\n").reduce((sum, line) => sum + Math.max(1, Math.ceil([...line].length / width)), 0);
  return Math.min(409, Math.max(minimum, lines * 15));
}

/**
 * The workbook's bytes. Example: await selfEvaluationWorkbook(view, "zh") for the demo's 医疗救助 → a sheet
 * whose 全年预算数 cell is 329 (#,##0.00), 全年执行数 316.73, 执行率 96.27, 得分 9.63, 总分 99.13, 评分等级 优.
 */
export async function selfEvaluationWorkbook(view: SelfEvaluationView, language: Language = "zh"): Promise<Buffer> {
  const t = (key: MessageKey) => translate(language, key);
  const m = (message: Message) => render(language, message);
  const pair = (label: string, value: string) => m(msg("slxPair", { label, value }));
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t("appName");
  const sheet = workbook.addWorksheet(t("slxSheetName"), {
    pageSetup: {
      paperSize: 9,
      orientation: "portrait",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
  });
  const widths = [11, 12, 20, 13, 13, 10, 10, 11, 26];
  sheet.columns = widths.map((width) => ({ width }));
  const span = (from: number, to: number) => widths.slice(from - 1, to).reduce((sum, width) => sum + width, 0) / 2;
  let row = 1;

  const put = (
    from: number,
    to: number,
    value: ExcelJS.CellValue,
    options: { label?: boolean; number?: string; wrap?: boolean; bold?: boolean; center?: boolean; fill?: ExcelJS.Fill; rows?: number } = {},
  ) => {
    const last = row + (options.rows ?? 1) - 1;
    if (to > from || last > row) sheet.mergeCells(row, from, last, to);
    const cell = sheet.getCell(row, from);
    cell.value = value === "" ? null : value;
    const horizontal = options.number ? "right" : options.center ? "center" : "left";
    cell.alignment = { vertical: "middle", wrapText: options.wrap ?? true, horizontal };
    // What users typed is written as typed; text Excel would take for a formula is kept text (files/write-xlsx.ts).
    protectFormulaText(cell);
    if (options.number) cell.numFmt = options.number;
    if (options.fill ?? (options.label ? LABEL_FILL : undefined)) cell.fill = (options.fill ?? LABEL_FILL)!;
    if (options.bold) cell.font = { bold: true };
    for (let r = row; r <= last; r++) for (let column = from; column <= to; column++) sheet.getCell(r, column).border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
  };
  /** A figure as a number (2-decimal text from the rules) or "-" where the sheet has none. */
  const figure = (value: string | null) => (value === null ? "-" : Number(value));
  const line = (height?: number) => {
    if (height) sheet.getRow(row).height = height;
    row += 1;
  };
  const { project, result } = view;

  sheet.mergeCells(row, 1, row, COLUMNS);
  sheet.getCell(row, 1).value = t("seTitle");
  sheet.getCell(row, 1).font = { bold: true, size: 16 };
  sheet.getCell(row, 1).alignment = { horizontal: "center", vertical: "middle" };
  line(28);
  sheet.mergeCells(row, 1, row, COLUMNS);
  sheet.getCell(row, 1).value = m(msg("slxYearOf", { year: String(project.fiscalYear) }));
  sheet.getCell(row, 1).alignment = { horizontal: "center" };
  line(20);

  put(1, 2, t("seProjectName"), { label: true });
  put(3, COLUMNS, project.name);
  line(20);
  put(1, 2, t("seSupervising"), { label: true });
  put(3, 5, project.supervisingDepartment ?? "");
  put(6, 7, t("seImplementing"), { label: true });
  put(8, COLUMNS, project.implementingUnit ?? project.unitName);
  line(30);

  // 项目资金（万元）: a header row and the four funds rows, the label merged down the block.
  put(1, 1, t("seProjectFunds"), { label: true, rows: 1 + result.funds.length, center: true });
  put(2, 3, "", { label: true });
  (["seInitial", "seAdjusted", "seExecuted", "slxFundsWeight", "seRate", "seScore"] as const).forEach((key, index) =>
    put(4 + index, 4 + index, t(key), { label: true, bold: true, center: true }),
  );
  line(30);
  for (const fund of result.funds) {
    put(2, 3, t(FUND_LABELS[fund.kind]), { label: true });
    put(4, 4, Number(fund.initialWan), { number: AMOUNT });
    put(5, 5, Number(fund.adjustedWan), { number: AMOUNT });
    put(6, 6, Number(fund.executedWan), { number: AMOUNT });
    put(7, 7, figure(fund.weight), { number: fund.weight === null ? undefined : AMOUNT, center: fund.weight === null });
    put(8, 8, figure(fund.executionRate), { number: fund.executionRate === null ? undefined : "0.00", center: fund.executionRate === null });
    put(9, 9, figure(fund.score), { number: fund.score === null ? undefined : AMOUNT, center: fund.score === null });
    line(20);
  }

  // 年度总体目标: 预期目标 beside 实际完成情况.
  put(1, 1, t("seGoal"), { label: true, rows: 2, center: true });
  put(2, 5, t("seExpectedGoal"), { label: true, bold: true, center: true });
  put(6, COLUMNS, t("seActualSummary"), { label: true, bold: true, center: true });
  line(20);
  put(2, 5, view.expectedGoal ?? "", { wrap: true });
  put(6, COLUMNS, view.actualSummary ?? "", { wrap: true });
  for (const column of [2, 6]) {
    sheet.getCell(row, column).alignment = { vertical: "top", wrapText: true };
    protectFormulaText(sheet.getCell(row, column));
  }
  line(Math.max(heightFor(view.expectedGoal ?? "", span(2, 5)), heightFor(view.actualSummary ?? "", span(6, COLUMNS)), 45));

  // The indicator table.
  const headers = ["seLevel1", "seLevel2", "seLevel3", "seAnnualTarget", "seActual", "seWeight", "seScore", "seRuleScore", "seDeviationAnalysis"] as const;
  headers.forEach((key, index) => put(index + 1, index + 1, t(key), { label: true, bold: true, center: true }));
  line(30);
  const first = row;
  const achieved = (indicator: SelfEvaluationRowView) =>
    indicator.judgement === null ? "" : indicator.judgement === "达成" ? t("seAchievedIndicator") : m(judgementMessage(indicator.judgement));
  for (const indicator of view.rows) {
    const { reading } = indicator;
    const mark = reading.departure ? DEPARTURE_FILL : undefined;
    const analysis = [indicator.deviationAnalysis ?? "", reading.departure && indicator.scoreReason ? pair(t("seScoreReason"), indicator.scoreReason) : ""]
      .filter(Boolean)
      .join("\n");
    put(1, 1, m(levelMessage(indicator.level1)));
    put(2, 2, m(levelMessage(indicator.level2)));
    put(3, 3, indicator.name);
    put(4, 4, indicator.annualTarget);
    put(5, 5, reading.qualitative ? achieved(indicator) : (indicator.actual ?? ""));
    put(6, 6, indicator.weight === null ? "" : Number(indicator.weight), { number: AMOUNT });
    put(7, 7, reading.score === null ? "" : Number(reading.score), { number: AMOUNT, fill: mark, bold: reading.departure });
    put(8, 8, reading.departure && reading.ruleScore !== null ? Number(reading.ruleScore) : "", { number: AMOUNT, fill: mark });
    put(9, 9, analysis);
    line(Math.max(heightFor(indicator.name, span(3, 3)), heightFor(analysis, span(9, 9)), heightFor(m(levelMessage(indicator.level2)), span(2, 2)), 20));
  }
  // 一级指标 merged over its rows, 二级指标 over its rows within the same 一级.
  const level1 = view.rows.map((indicator) => indicator.level1);
  const level2 = view.rows.map((indicator) => `${indicator.level1}\u0000${indicator.level2}`);
  for (const [column, values] of [
    [1, level1],
    [2, level2],
  ] as const) {
    for (const [from, to] of runs(values)) {
      if (to > from) sheet.mergeCells(first + from, column, first + to, column);
      sheet.getCell(first + from, column).alignment = { vertical: "middle", horizontal: "center", wrapText: true };
      protectFormulaText(sheet.getCell(first + from, column));
    }
  }

  // 总分: the weights (the funds row's 10 and the indicators') and the scores; the rule's total where a score departs.
  const departs = result.departures.length > 0;
  put(1, 5, t("seTotalScore"), { label: true, bold: true, center: true });
  put(6, 6, money(FUNDS_WEIGHT).plus(result.weightSum).toNumber(), { number: AMOUNT, bold: true });
  put(7, 7, Number(result.total), { number: AMOUNT, bold: true, fill: departs ? DEPARTURE_FILL : undefined });
  put(8, 8, departs ? Number(result.ruleTotal) : "", { number: AMOUNT, fill: departs ? DEPARTURE_FILL : undefined });
  put(9, 9, "");
  line(22);
  put(1, 2, t("seGrade"), { label: true, bold: true, center: true });
  put(3, COLUMNS, m(gradeMessage(result.grade)), { bold: true });
  line(22);
  if (departs) {
    sheet.mergeCells(row, 1, row, COLUMNS);
    sheet.getCell(row, 1).value = t("slxDepartureNote");
    sheet.getCell(row, 1).font = { italic: true, size: 9 };
    line();
  }

  line();
  put(1, 2, pair(t("seSignFiller"), ""));
  put(3, 4, pair(t("seSignReviewer"), ""));
  put(5, 7, pair(t("seSignHead"), ""));
  put(8, COLUMNS, pair(t("seSignDate"), ""));
  line(28);
  line();
  sheet.mergeCells(row, 1, row, COLUMNS);
  const status = view.status === null ? t("slxUnsaved") : m(stateMessage(view.status));
  const source = view.snapshot ? "" : ` · ${m(msg("slxLedgerNote", { date: view.yearEnd }))}`;
  sheet.getCell(row, 1).value = `${pair(t("status"), status)}${source}`;
  sheet.getCell(row, 1).font = { size: 9, color: { argb: "FF808080" } };
  line();

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
