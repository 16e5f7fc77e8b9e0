import type { DB } from "../db/pool.ts";
import { forecastInput } from "../db/forecast-input.ts";
import { findUnitByName } from "../db/units.ts";
import { planTargets, withOverrides } from "../db/plan.ts";
import { planLines, type PlanLine, type PlanTotal } from "../domain/zero-based-plan.ts";
import { groupPlan } from "../domain/plan-totals.ts";
import { formatMonths } from "../domain/budget-line-form.ts";
import { parseCommandLine, UsageError } from "./args.ts";
import { formatTable } from "./table.ts";
import { notZeroBased } from "../domain/plan-derived-lines.ts";
import { equationText } from "../domain/plan-formulas.ts";
import { cliLanguage, fill, render, translate, type MessageKey } from "../messages/index.ts";
import { formatAmount } from "../domain/money.ts";
import { OUTLIER_RULE, type ForecastNote } from "../forecasting/index.ts";
import { noteText as appNoteText } from "../app/forecast-notes-text.ts";

/** One data note as a line of text, Chinese then English, from the app's catalogue (app/i18n.ts): "2024-12：每人次金额 … 2024-12: … excluded from fitting, …". */
export function noteText(note: ForecastNote): string {
  return `${appNoteText((key) => translate("zh", key), note)} ${appNoteText((key) => translate("en", key), note)}`;
}

/** Rule of the outlier screening, printed once under the notes (OUTLIER_RULE's constants). */
const { minRatioAbove, minRatioBelow, robustSds } = OUTLIER_RULE;
const OUTLIER_RULE_TEXT =
  `（异常月：每人次金额、人次或无人次的金额高出本明细各月中位数 ${minRatioAbove} 倍以上或低于其 1/${minRatioBelow}，且偏离超过 ${robustSds} 个稳健标准差 1.4826×MAD） ` +
  `(outlier: a month's cost per person-time, person-times or amount without person-times over ${minRatioAbove}× above or below 1/${minRatioBelow} of the line's monthly median, and beyond ${robustSds} robust sds)`;

export const FORECAST_USAGE = `  budget forecast --year 2025 [--unit NAME] [--project NAME] [--no-overrides] [--json]
                                         零基预算预测：每条预算明细的数量、单价、金额、80%/95%区间、方法、依据、分月安排、增减因素；
                                         默认含编制人员保存的人工调整（同 /plan 页面），--no-overrides 只看模型和标准的预测
                                         (zero-based forecast of next year's budget lines from the ledger and the standards, with the
                                         planners' saved overrides as on /plan unless --no-overrides)`;

/** The options of `budget forecast`, checked before the database is opened (bad ones exit 2). */
export function parseForecastArgs(args: string[]): { year: number; unit?: string; project?: string; json: boolean; overrides: boolean } {
  const { values, positionals } = parseCommandLine(args, {
    year: { type: "string" },
    unit: { type: "string" },
    project: { type: "string" },
    json: { type: "boolean" },
    "no-overrides": { type: "boolean" },
  } as const);
  if (positionals.length > 0) throw new UsageError(`多余的参数 unexpected arguments: ${positionals.join(" ")}`);
  if (values.year === undefined) throw new UsageError("缺少 --year（要预测的预算年度）missing --year (the year to forecast)");
  if (!(/^\d{4}$/.test(values.year) && Number(values.year) >= 2001 && Number(values.year) <= 2100)) {
    throw new UsageError(`--year 应为 2001–2100 的四位年度 must be a year from 2001 to 2100: ${values.year}`);
  }
  if (values.unit !== undefined && values.unit.trim() === "") throw new UsageError("--unit 需要单位名称 needs a unit name");
  if (values.project !== undefined && values.project.trim() === "") throw new UsageError("--project 需要项目名称 needs a project name");
  return {
    year: Number(values.year),
    unit: values.unit?.trim(),
    project: values.project?.trim(),
    json: values.json === true,
    overrides: values["no-overrides"] !== true,
  };
}

const totalJson = (total: PlanTotal) => ({
  amount: total.amount,
  forecast: total.forecast,
  interval80: total.interval80,
  interval95: total.interval95,
  lastYearInitial: total.lastYearInitial,
  lastYearAdjusted: total.lastYearAdjusted,
  lastYearExecuted: total.lastYearExecuted,
});

const lineJson = (line: PlanLine, notes: readonly ForecastNote[]) => ({
  composition: line.composition,
  item: line.item,
  quantity: line.quantity,
  unitPrice: line.unitPrice,
  amount: line.amount,
  forecastAmount: line.forecast?.amount ?? null,
  interval80: line.forecast?.interval80 ?? null,
  interval95: line.forecast?.interval95 ?? null,
  method: line.method,
  reason: render(cliLanguage(), line.reason),
  reasonCode: line.reason,
  basis: line.basis,
  standard: line.standard ? { code: line.standard.code, revision: line.standard.revision, document: line.standard.document } : null,
  months: formatMonths(line.months),
  monthly: line.monthly.map((m) => ({ month: m.month, amount: m.amount })),
  change: line.change,
  lastYear: line.lastYear,
  quantityCheck: line.quantityCheck,
  override: line.override ? { quantity: line.override.quantity, unitPrice: line.override.unitPrice, reason: line.override.reason, by: line.override.by } : null,
  derivation: line.derivation ? { ...line.derivation, equation: equationText(line.derivation) } : null,
  attention: line.attention.map((a) => ({ ...a, text: attentionText(a) })),
  notes: notes.map((note) => ({ code: note.code, params: note.params, text: noteText(note) })),
});

const ATTENTION_KEY: Record<PlanLine["attention"][number]["code"], MessageKey> = {
  carried: "attCarried",
  plannedQuantity: "attPlannedQuantity",
  zeroDerived: "attZeroDerived",
  missingDriver: "attMissingDriver",
  farFromBase: "attFarFromBase",
  negativeClearing: "attNegativeClearing",
  mayOverlap: "attMayOverlap",
};

/** A line's attention in Chinese, from the app's catalogue: "测算为 0：上年无执行（执行数 0.00 元）…". */
function attentionText(a: PlanLine["attention"][number]): string {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(a)) if (key !== "code") params[key] = /^-?\d+\.\d{2}$/.test(String(value)) ? formatAmount(String(value)) : String(value);
  return fill(translate("zh", ATTENTION_KEY[a.code]), params);
}

/** The methods as the table prints them. */
const METHOD_TEXT: Record<PlanLine["method"], string> = {
  model: "模型预测",
  standard: "标准×数量",
  formula: "因素×标准×分担",
  executed: "按上年执行",
  carried: "沿用上年基数（未零基测算）",
};

const interval = (i: { lower: string; upper: string } | null | undefined) => (i ? `${i.lower}–${i.upper}` : "—");

/**
 * `budget forecast`: the zero-based forecast of a year for a unit (and everything below it) or one project,
 * as a table or JSON with amounts as 2-decimal strings. Exit 0 done, 1 nothing to forecast, 2 bad arguments.
 */
export async function forecastCommand(db: DB, args: string[], output: NodeJS.WritableStream): Promise<number> {
  const options = parseForecastArgs(args);
  let unitId: number | undefined;
  if (options.unit !== undefined) {
    const unit = await findUnitByName(db, options.unit);
    if (!unit) throw new UsageError(`未知单位 unknown unit: ${options.unit}`);
    unitId = unit.id;
  }
  const input = await forecastInput(db, { targetYear: options.year, unitId, projectName: options.project });
  const proposed = planLines(input);
  const { forecasts, settlement } = proposed;
  const lines = options.overrides ? await withOverrides(db, options.year, proposed.lines) : proposed.lines;
  const overridden = lines.filter((l) => l.override !== null).length;
  if (lines.length === 0) {
    process.stderr.write(`错误 error: ${input.baseYear} 年没有可据以预测的预算明细 no budget lines in ${input.baseYear} to forecast from\n`);
    return 1;
  }
  const groups = groupPlan(lines, forecasts, settlement);
  const targets = await planTargets(db, options.year, lines);
  const targetsOf = (projectId: number) => targets.find((t) => t.projectId === projectId)?.indicators ?? [];
  const overridesNote = options.overrides
    ? `含编制人员保存的人工调整 ${overridden} 条（同 /plan 页面；--no-overrides 只看预测）including ${overridden} saved override(s)`
    : "未含人工调整（--no-overrides：模型和标准的预测）without the planners' overrides";
  const coverage = notZeroBased(lines);
  const coverageText =
    coverage.count > 0
      ? fill(translate("zh", "notZeroBasedHeader"), { of: coverage.of, count: coverage.count, share: coverage.share ?? "—" })
      : fill(translate("zh", "notZeroBasedNone"), { of: coverage.of });
  if (options.json) {
    const json = {
      year: options.year,
      baseYear: input.baseYear,
      overrides: options.overrides,
      notZeroBased: coverage,
      total: totalJson(groups.total),
      units: groups.units.map((unit) => ({
        unit: unit.unitName,
        total: totalJson(unit.total),
        projects: unit.projects.map((project) => ({
          project: project.projectName,
          total: totalJson(project.total),
          lines: project.lines.map((line) => lineJson(line, line.notes)),
          settlement: project.settlement,
          targets: targetsOf(project.projectId),
        })),
      })),
    };
    output.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  output.write(`${options.year} 年度零基预算预测（依据 ${input.baseYear} 年预算明细、支付记录、支出标准、测算因素和分担比例；${overridesNote}）\n${coverageText}\n`);
  for (const unit of groups.units) {
    for (const project of unit.projects) {
      output.write(`\n${unit.unitName} · ${project.projectName}\n`);
      output.write(
        formatTable(
          ["项目构成", "项目明细", "单价(元)", "数量", "金额(元)", "80%区间", "95%区间", "方法", "依据（支出标准）"],
          [
            ...project.lines.map((l) => [
              l.composition,
              l.item,
              l.unitPrice,
              l.quantity,
              l.amount,
              interval(l.forecast?.interval80),
              interval(l.forecast?.interval95),
              METHOD_TEXT[l.method],
              `${l.basis}${l.standard ? `（${l.standard.code} 第${l.standard.revision}版）` : ""}`,
            ]),
            ["合计", "", "", "", project.total.amount, interval(project.total.interval80), interval(project.total.interval95), "", ""],
          ],
          [false, false, true, true, true, true, true, false, false],
        ),
      );
      for (const l of project.lines) {
        output.write(`\n  ${l.item}：${render(cliLanguage(), l.reason)}\n`);
        for (const a of l.attention) output.write(`    ⚠ ${attentionText(a)}\n`);
        const notes = l.notes;
        if (notes.length > 0) {
          output.write(`    数据提示 data notes ${OUTLIER_RULE_TEXT}：\n`);
          for (const note of notes) output.write(`    ⚠ ${noteText(note)}\n`);
        }
        if (l.override) {
          output.write(`    人工调整（${l.override.by}）：数量 ${l.override.forecastQuantity} → ${l.override.quantity}，单价 ${l.override.forecastUnitPrice} → ${l.override.unitPrice}；理由：${l.override.reason}\n`);
        }
        output.write(`    较上年执行数 ${l.change.lastYear}：人次 ${l.change.volume}，政策标准 ${l.change.policy}，次均费用及其他 ${l.change.unitCost}，合计 ${l.change.total}\n`);
        output.write(`    分月 ${l.monthly.map((m) => `${Number(m.month.slice(5))}月 ${m.amount}`).join("，")}\n`);
      }
      if (project.settlement) {
        output.write(`\n  未纳入明细（结算行）：${project.settlement.items.join("；")}：上年调整后 ${project.settlement.adjusted}，上年执行 ${project.settlement.executed}\n`);
      }
      for (const check of targetsOf(project.projectId)) {
        output.write(
          `\n  绩效目标 ${check.name} ${check.target}：计划 ${check.planned ?? "无对应计划数量"}${check.ratio ? `（${check.ratio}%${check.flagged ? "，差异超过 20% ⚠" : ""}）` : ""}`,
        );
      }
      output.write(`\n  项目合计 ${project.total.amount}（上年基数 ${project.total.lastYearInitial}，上年调整后 ${project.total.lastYearAdjusted}，上年执行 ${project.total.lastYearExecuted}）\n`);
    }
    if (unit.projects.length > 1) output.write(`单位合计 ${unit.unitName}：${unit.total.amount}\n`);
  }
  output.write(`\n总计 ${groups.total.amount}（80%区间 ${interval(groups.total.interval80)}，95%区间 ${interval(groups.total.interval95)}）\n`);
  return 0;
}
