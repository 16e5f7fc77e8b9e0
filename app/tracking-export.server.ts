import Decimal from "decimal.js";
import ExcelJS from "exceljs";
import type { TrackingFormView } from "../db/tracking-view";

/*
 * The tracking form (附件2-1) as an .xlsx workbook: one sheet laid out like the paper form (merged
 * cells, labels left, values right; amounts as numbers formatted #,##0.00, the execution progress as
 * a fraction formatted 0.00% — 86.51% is the number 0.8651), and the indicator table below it, untracked
 * indicators included and marked 未纳入跟踪 with their reason, then 需要说明的情况.
 */

const COLUMNS = 12;
const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF808080" } };
const LABEL_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };

const box = (checked: boolean) => (checked ? "☑" : "☐");
const cnDate = (iso: string) => iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$1年$2月$3日");

/** The workbook's bytes. Example: await trackingWorkbook(view) for 华漕 2024 → a sheet whose 当年预算数 cell is 1109200 (#,##0.00). */
export async function trackingWorkbook(view: TrackingFormView): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "预算执行监控";
  const sheet = workbook.addWorksheet("运行监控表", {
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

  sheet.getCell(row, 1).value = "附件2-1";
  line();
  sheet.mergeCells(row, 1, row, COLUMNS);
  sheet.getCell(row, 1).value = "财政项目支出绩效运行监控（跟踪评价）（重点）";
  sheet.getCell(row, 1).font = { bold: true, size: 14 };
  sheet.getCell(row, 1).alignment = { horizontal: "center" };
  line(24);

  put(1, 2, "街镇名称：（盖章）", { label: true });
  put(3, COLUMNS, project.supervisingDepartment ?? "");
  line();
  put(1, 2, "项目名称", { label: true });
  put(3, COLUMNS, project.name);
  line();
  put(1, 2, "预算单位", { label: true });
  put(3, 6, project.unitName);
  put(7, 8, "具体实施（内设机构）", { label: true });
  put(9, COLUMNS, project.implementingUnit ?? "");
  line();
  put(1, 2, "跟踪时段", { label: true });
  put(3, 6, `${cnDate(view.periodStart)} — ${cnDate(view.periodEnd)}`);
  put(7, 8, "是否为经常性项目", { label: true });
  put(9, COLUMNS, `是 ${box(project.recurring)}  否 ${box(!project.recurring)}`);
  line();
  put(1, 2, "当年预算数（元）", { label: true });
  put(3, 4, amount(view.budget), { amount: true });
  put(5, 6, "预算执行数（元）", { label: true });
  put(7, 8, amount(view.executed), { amount: true });
  put(9, 10, "预算执行进度（%）", { label: true });
  const rate = view.evaluation.executionRate;
  put(11, COLUMNS, rate === null ? "—" : new Decimal(rate).dividedBy(100).toNumber(), { percent: rate !== null });
  line();
  put(1, 2, "是否需要预算调整", { label: true });
  put(3, 4, `是 ${box(fields.adjustmentNeeded === true)}  否 ${box(fields.adjustmentNeeded === false)}`);
  put(5, 5, "调整后预算数（元）", { label: true });
  put(6, 6, amount(fields.adjustedBudget), { amount: true });
  put(7, 7, "调减金额（元）", { label: true });
  put(8, 8, amount(fields.adjustmentDecrease), { amount: true });
  put(9, 9, "调增金额（元）", { label: true });
  put(10, 10, amount(fields.adjustmentIncrease), { amount: true });
  put(11, 11, "事前绩效评估评审预算（元）", { label: true });
  put(12, 12, amount(fields.preAssessmentBudget), { amount: true });
  line(30);
  put(1, 2, "选择重点跟踪理由", { label: true });
  put(3, COLUMNS, fields.keyTrackingReason ?? "");
  line(30);
  put(1, COLUMNS, `一、项目基本情况（包括项目背景概况、预算安排、工作内容和计划时间节点）：\n${fields.basicInfo ?? ""}`);
  line(90);
  put(1, COLUMNS, `二、项目具体实施情况（对照阶段性绩效目标的完成情况）：\n${fields.implementationStatus ?? ""}`);
  line(60);
  put(1, 2, "全年预计执行数（元）", { label: true });
  put(3, 4, amount(fields.estimatedFullYear ?? view.prefill), { amount: true });
  put(5, 6, "修改预填值的理由", { label: true });
  put(7, COLUMNS, fields.estimatedFullYearReason ?? "");
  line();
  if (fields.executionCauseCode || fields.executionCause || fields.executionMeasure) {
    put(1, 2, "预算执行偏差原因", { label: true });
    put(3, 7, [causeLabel(view, fields.executionCauseCode), fields.executionCause].filter(Boolean).join("："));
    put(8, 8, "纠偏措施", { label: true });
    put(9, COLUMNS, fields.executionMeasure ?? "");
    line(30);
  }

  line();
  put(1, COLUMNS, "主要跟踪指标（结合项目特点选择重点绩效指标）", { bold: true });
  line();
  const headers = ["一级指标", "二级指标", "三级指标", "年度指标值", "应完成的绩效目标值", "完成百分比或情况描述", "全年预计完成值", "偏差情况", "是否整改", "偏差原因", "纠偏措施", "整改建议"];
  headers.forEach((header, index) => put(index + 1, index + 1, header, { label: true, bold: true }));
  line(30);
  for (const indicator of view.indicators) {
    if (!indicator.tracked) {
      put(1, 1, indicator.level1);
      put(2, 2, indicator.level2);
      put(3, 3, indicator.name);
      put(4, 4, indicator.annualTarget);
      put(5, COLUMNS, `未纳入跟踪${indicator.untrackedReason ? `：${indicator.untrackedReason}` : ""}`);
      for (let column = 1; column <= COLUMNS; column++) sheet.getCell(row, column).font = { color: { argb: "FF808080" } };
      line(30);
      continue;
    }
    const reading = indicator.reading;
    const completion = reading.qualitative
      ? [indicator.judgement, indicator.description].filter(Boolean).join("：")
      : [indicator.actual, reading.completion === null ? null : `${reading.completion}%`].filter(Boolean).join(" / ");
    const values: ExcelJS.CellValue[] = [
      indicator.level1,
      indicator.level2,
      indicator.name,
      indicator.annualTarget,
      indicator.dueTarget ?? indicator.annualTarget,
      completion,
      indicator.estimatedFullYear ?? "",
      reading.qualitative ? (indicator.deviation ?? "") : reading.met ? "无偏差" : (reading.deviation ?? ""),
      indicator.rectify === null ? "" : indicator.rectify ? "是" : "否",
      [causeLabel(view, indicator.causeCode), indicator.cause].filter(Boolean).join("："),
      indicator.measure ?? "",
      indicator.rectifyAdvice ?? "",
    ];
    values.forEach((value, index) => put(index + 1, index + 1, value));
    line(30);
  }

  put(1, COLUMNS, `需要说明的情况：\n${fields.otherNotes ?? ""}`);
  line(45);

  line();
  const conclusion =
    view.evaluation.conclusion === "运行正常"
      ? `1、运行正常（执行率和目标完成度均在${Number(view.threshold)}%以上）。`
      : `2、运行偏差（执行率或目标完成度低于${Number(view.threshold)}%）。`;
  put(1, COLUMNS, `三、阶段性跟踪结论：${conclusion}`);
  line(24);
  const likely = (value: string | null) => ["确定能完成", "有可能完成", "确定不能完成"].map((option) => `${option} ${box(value === option)}`).join("   ");
  put(1, 3, "四、绩效跟踪后项目总体判断", { label: true });
  put(4, 5, "年度项目预算完成可能性", { label: true });
  put(6, COLUMNS, likely(fields.budgetLikelihood));
  line();
  put(1, 3, "", { label: true });
  put(4, 5, "年度绩效目标完成可能性", { label: true });
  put(6, COLUMNS, likely(fields.targetLikelihood));
  line();
  put(1, COLUMNS, `五、存在问题及改进措施：\n1、存在问题：${fields.problems ?? ""}\n2、改进措施：${fields.measures ?? ""}`);
  line(60);
  line();
  put(1, 3, `领导（签字）：${fields.leaderSignature ?? ""}`);
  put(4, 6, `绩效负责人（签字）：${fields.performanceLeadSignature ?? ""}`);
  put(7, 9, `经办人（签字）：${fields.preparerSignature ?? ""}`);
  put(10, COLUMNS, `填报日期：${fields.filledOn ?? ""}`);
  line();

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function causeLabel(view: TrackingFormView, code: string | null): string {
  if (code === null) return "";
  const cause = view.causes.find((candidate) => candidate.code === code);
  return cause ? `${cause.category}/${cause.label}` : code;
}
