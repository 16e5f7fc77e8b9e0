import Decimal from "decimal.js";
import ExcelJS from "exceljs";
import { protectFormulaText } from "../../files/write-xlsx.ts";
import { levelMessage } from "../../domain/declaration.ts";
import { formatDate, msg, render, translate, type Language, type Message, type MessageKey } from "../../messages/index.ts";
import { categoryMessage, causeMessage, conclusionStatement, deviationMessage, storedJudgementMessage, LIKELIHOODS, likelihoodMessage } from "./rules/index.ts";
import type { TrackingFormView } from "./queries/view.ts";

/*
 * The tracking form (附件2-1) as an .xlsx workbook: one sheet laid out like the paper form (merged
 * cells, labels left, values right; amounts as numbers formatted #,##0.00, the execution progress as
 * a fraction formatted 0.00% — 86.51% is the number 0.8651), and the indicator table below it, untracked
 * indicators included and marked 未纳入跟踪 with their reason, then 需要说明的情况. In the language of
 * the user (labels from the catalogue); what users typed is written as typed.
 */

const COLUMNS = 12;
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF808080" } };
const LABEL_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };

const box = (checked: boolean) => (checked ? "☑" : "☐");
/** The official form's dates: 2024年01月01日; in English 1 Jan 2024. */
const formDate = (language: Language, iso: string) => (language === "zh" ? iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$1年$2月$3日") : formatDate(language, iso));

/** The workbook's file name: 运行监控表-2024-医疗救助-…-第1版.xlsx / tracking-form-2024-…-revision-1.xlsx. */
export function trackingWorkbookName(language: Language, view: TrackingFormView): string {
  const { project } = view;
  return render(language, msg("trxFileName", { year: project.fiscalYear, project: project.name, unit: project.unitName, revision: view.revision }));
}

/** The workbook's bytes. Example: await trackingWorkbook(view, "zh") for 华漕 2024 → a sheet whose 当年预算数 cell is 1109200 (#,##0.00). */
export async function trackingWorkbook(view: TrackingFormView, language: Language = "zh"): Promise<Buffer> {
  const t = (key: MessageKey) => translate(language, key);
  const m = (message: Message) => render(language, message);
  const pair = (label: string, value: string) => m(msg("trxPair", { label, value }));
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t("appName");
  const sheet = workbook.addWorksheet(t("trxSheetName"), {
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = [14, 12, 18, 14, 14, 14, 14, 14, 12, 18, 18, 14].map((width) => ({ width }));
  let row = 1;

  const put = (
    from: number,
    to: number,
    value: ExcelJS.CellValue,
    options: { label?: boolean; amount?: boolean; percent?: boolean; wrap?: boolean; bold?: boolean } = {},
  ) => {
    if (to > from) sheet.mergeCells(row, from, row, to);
    const cell = sheet.getCell(row, from);
    cell.value = value;
    cell.alignment = { vertical: "middle", wrapText: options.wrap ?? true, horizontal: options.amount || options.percent ? "right" : "left" };
    // What users typed is written as typed; text Excel would take for a formula is kept text (files/write-xlsx.ts).
    protectFormulaText(cell);
    if (options.amount) cell.numFmt = "#,##0.00";
    if (options.percent) cell.numFmt = "0.00%";
    if (options.label) cell.fill = LABEL_FILL;
    if (options.bold) cell.font = { bold: true };
    for (let column = from; column <= to; column++) sheet.getCell(row, column).border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
  };
  const amount = (value: string | null) => (value === null ? null : Number(value));
  const line = (height?: number) => {
    if (height) sheet.getRow(row).height = height;
    row += 1;
  };
  const { project, fields } = view;
  /** A cause as category/label (the label is the administrator's data): 经费保障/结算滞后. */
  const causeLabel = (code: string | null): string => {
    if (code === null) return "";
    const cause = view.causes.find((candidate) => candidate.code === code);
    return cause ? `${m(categoryMessage(cause.category))}/${m(causeMessage(cause))}` : code;
  };
  /** Parts that are given, joined as label and value: "结算滞后：部分医院…". */
  const joined = (first: string | null, second: string | null): string => {
    const parts = [first, second].filter((part): part is string => Boolean(part));
    return parts.length === 2 ? pair(parts[0]!, parts[1]!) : (parts[0] ?? "");
  };

  sheet.getCell(row, 1).value = t("trAnnex");
  line();
  sheet.mergeCells(row, 1, row, COLUMNS);
  sheet.getCell(row, 1).value = t("trSheetTitle");
  sheet.getCell(row, 1).font = { bold: true, size: 14 };
  sheet.getCell(row, 1).alignment = { horizontal: "center" };
  line(24);

  put(1, 2, t("trxTown"), { label: true });
  put(3, COLUMNS, project.supervisingDepartment ?? "");
  line();
  put(1, 2, t("project"), { label: true });
  put(3, COLUMNS, project.name);
  line();
  put(1, 2, t("unit"), { label: true });
  put(3, 6, project.unitName);
  put(7, 8, t("trImplementing"), { label: true });
  put(9, COLUMNS, project.implementingUnit ?? "");
  line();
  put(1, 2, t("trPeriod"), { label: true });
  put(3, 6, `${formDate(language, view.periodStart)} — ${formDate(language, view.periodEnd)}`);
  put(7, 8, t("recurring"), { label: true });
  put(9, COLUMNS, `${t("yes")} ${box(project.recurring)}  ${t("no")} ${box(!project.recurring)}`);
  line();
  put(1, 2, t("trBudget"), { label: true });
  put(3, 4, amount(view.budget), { amount: true });
  put(5, 6, t("trExecuted"), { label: true });
  put(7, 8, amount(view.executed), { amount: true });
  put(9, 10, t("trProgress"), { label: true });
  const rate = view.evaluation.executionRate;
  put(11, COLUMNS, rate === null ? "—" : new Decimal(rate).dividedBy(100).toNumber(), { percent: rate !== null });
  line();
  put(1, 2, t("trAdjustmentNeeded"), { label: true });
  put(3, 4, `${t("yes")} ${box(fields.adjustmentNeeded === true)}  ${t("no")} ${box(fields.adjustmentNeeded === false)}`);
  put(5, 5, t("trAdjustedBudget"), { label: true });
  put(6, 6, amount(fields.adjustedBudget), { amount: true });
  put(7, 7, t("trxDecrease"), { label: true });
  put(8, 8, amount(fields.adjustmentDecrease), { amount: true });
  put(9, 9, t("trxIncrease"), { label: true });
  put(10, 10, amount(fields.adjustmentIncrease), { amount: true });
  put(11, 11, t("trPreAssessment"), { label: true });
  put(12, 12, amount(fields.preAssessmentBudget), { amount: true });
  line(30);
  put(1, 2, t("trKeyReason"), { label: true });
  put(3, COLUMNS, fields.keyTrackingReason ?? "");
  line(30);
  put(1, COLUMNS, `${t("trBasicInfo")}\n${fields.basicInfo ?? ""}`);
  line(90);
  put(1, COLUMNS, `${t("trImplementation")}\n${fields.implementationStatus ?? ""}`);
  line(60);
  put(1, 2, t("trEstimate"), { label: true });
  put(3, 4, amount(fields.estimatedFullYear ?? view.prefill), { amount: true });
  put(5, 6, t("trEstimateReason"), { label: true });
  put(7, COLUMNS, fields.estimatedFullYearReason ?? "");
  line();
  if (fields.executionCauseCode || fields.executionCause || fields.executionMeasure) {
    put(1, 2, t("trExecutionDeviation"), { label: true });
    put(3, 7, joined(causeLabel(fields.executionCauseCode), fields.executionCause));
    put(8, 8, t("trMeasure"), { label: true });
    put(9, COLUMNS, fields.executionMeasure ?? "");
    line(30);
  }

  line();
  put(1, COLUMNS, m(msg("trxConclusion", { conclusion: conclusionStatement(view.evaluation.conclusion, view.threshold) })));
  line(24);
  const likely = (value: string | null) => LIKELIHOODS.map((option) => `${m(likelihoodMessage(option))} ${box(value === option)}`).join("   ");
  put(1, 3, t("trOverall"), { label: true });
  put(4, 5, t("trBudgetLikelihood"), { label: true });
  put(6, COLUMNS, likely(fields.budgetLikelihood));
  line();
  put(1, 3, "", { label: true });
  put(4, 5, t("trTargetLikelihood"), { label: true });
  put(6, COLUMNS, likely(fields.targetLikelihood));
  line();
  put(1, COLUMNS, `${t("trxProblemsHeading")}\n${t("trProblemsItem")}${fields.problems ?? ""}\n${t("trMeasuresItem")}${fields.measures ?? ""}`);
  line(60);
  line();
  put(1, COLUMNS, t("trIndicators"), { bold: true });
  line();
  // The paper's columns under its two group headers (附件2-1); 全年预计完成情况 as the national form has it.
  const levelHeads = (["level1", "level2", "indicator", "annualTarget"] as const).map(t);
  levelHeads.forEach((header, index) => put(index + 1, index + 1, header, { label: true, bold: true }));
  put(5, 8, t("trGroupCompletion"), { label: true, bold: true });
  put(9, COLUMNS, t("trGroupCorrection"), { label: true, bold: true });
  const groupRow = row;
  line();
  const subHeads = (["trDueTarget", "trCompletion", "trEstimateValue", "trDeviation", "trCause"] as const).map(t);
  for (let column = 1; column <= 4; column++) put(column, column, "", { label: true });
  subHeads.forEach((header, index) => put(index + 5, index + 5, header, { label: true, bold: true }));
  put(10, COLUMNS, t("trMeasure"), { label: true, bold: true });
  for (let column = 1; column <= 4; column++) sheet.mergeCells(groupRow, column, row, column);
  line(30);
  for (const indicator of view.indicators) {
    put(1, 1, m(levelMessage(indicator.level1)));
    put(2, 2, m(levelMessage(indicator.level2)));
    put(3, 3, indicator.name);
    put(4, 4, indicator.annualTarget);
    if (!indicator.tracked) {
      put(5, COLUMNS, indicator.untrackedReason ? pair(t("trUntracked"), indicator.untrackedReason) : t("trUntracked"));
      for (let column = 1; column <= COLUMNS; column++) sheet.getCell(row, column).font = { color: { argb: "FF808080" } };
      line(30);
      continue;
    }
    const reading = indicator.reading;
    const completion = reading.qualitative
      ? joined(indicator.judgement === null ? null : m(storedJudgementMessage(indicator.judgement)), indicator.description)
      : [indicator.actual, reading.completion === null ? null : `${reading.completion}%`].filter(Boolean).join(" / ");
    put(5, 5, indicator.dueTarget ?? indicator.annualTarget);
    put(6, 6, completion);
    put(7, 7, indicator.estimatedFullYear ?? "");
    put(8, 8, reading.qualitative ? (indicator.deviation ?? "") : reading.met ? t("trNoDeviation") : reading.deviation === null ? "" : m(deviationMessage(reading.deviation)));
    put(9, 9, joined(causeLabel(indicator.causeCode), indicator.cause));
    // 是否整改 is not on the paper: a row answered 是 carries it under its measure.
    const rectify = indicator.rectify === true ? joined(t("trRectifyYes"), indicator.rectifyAdvice) : "";
    put(10, COLUMNS, [indicator.measure ?? "", rectify].filter(Boolean).join("\n"));
    line(30);
  }

  put(1, COLUMNS, `${t("trOtherNotes")}\n${fields.otherNotes ?? ""}`);
  line(45);

  line();
  put(1, 3, pair(t("trLeader"), fields.leaderSignature ?? ""));
  put(4, 6, pair(t("trPerformanceLead"), fields.performanceLeadSignature ?? ""));
  put(7, 9, pair(t("trPreparer"), fields.preparerSignature ?? ""));
  put(10, COLUMNS, pair(t("trFilledOn"), fields.filledOn ?? ""));
  line();

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
